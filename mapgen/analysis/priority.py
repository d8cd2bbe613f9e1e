"""The counties ranked for action: where uncovered workers are most, and what suggested sites add there."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mapgen.geo.geography import PROVINCE_ADCODE

PRIORITY_COLUMNS = ("priority", "suggested_sites", "suggested_newly_covered")


def prioritise(table: pd.DataFrame, sites: pd.DataFrame | None = None) -> pd.DataFrame:
    """The coverage table with each county's rank for action (1 = most urgent), and its suggested sites.

    With demand the rank follows the uncovered demand weight (most first); without, the share of the county
    within reach (least first). Ties go to the lower adcode, so the ranking is stable. The province row has
    no rank; its suggestion figures are the totals.

    >>> table = pd.DataFrame({"adcode": ["430102", "430103", "430000"], "covered_pct": [80.0, 20.0, 50.0],
    ...                       "demand_total": [np.nan] * 3, "demand_covered": [np.nan] * 3})
    >>> prioritise(table)["priority"].tolist()
    [2, 1, <NA>]
    """
    out = table.copy()
    county = (out["adcode"] != PROVINCE_ADCODE).to_numpy()
    has_demand = bool(out.loc[county, "demand_total"].notna().any())
    urgency = (out["demand_total"] - out["demand_covered"]) if has_demand else -out["covered_pct"]
    order = pd.DataFrame({"urgency": urgency.fillna(-np.inf), "adcode": out["adcode"]})[county]
    ranked = order.sort_values(["urgency", "adcode"], ascending=[False, True], kind="stable").index
    out["priority"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out.loc[ranked, "priority"] = np.arange(1, len(ranked) + 1)
    if sites is not None:
        per = sites.groupby("adcode")["newly_covered"].agg(["size", "sum"])
        out["suggested_sites"] = out["adcode"].map(per["size"]).fillna(0).astype(int)
        out["suggested_newly_covered"] = out["adcode"].map(per["sum"]).fillna(0.0)
        out.loc[~county, ["suggested_sites", "suggested_newly_covered"]] = [len(sites),
                                                                           float(sites["newly_covered"].sum())]
    return out
