"""Every county's love map and poster, built in parallel on any `concurrent.futures` executor."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial

import pandas as pd

from mapgen.analysis.coverage import Coverage, county_scope
from mapgen.settings import Settings

COUNTIES_DIR = "counties"


@dataclass(frozen=True)
class CountyJob:
    """What every county's pages are made from: the parsed inputs and the analysis, shared by all counties."""

    points: pd.DataFrame  # stations and offices
    coverage: Coverage
    settings: Settings
    sample: bool
    data_date: str  # the date of the data, printed on posters


def county_files(job: CountyJob, adcode: str) -> dict[str, str]:
    """One county's love map (as `--county` makes it) and its poster, by path under the output directory."""
    from mapgen.web.page import render_map
    from mapgen.web.poster import poster_html

    shown, scoped = county_scope(job.points, job.coverage, adcode, job.settings.radius_m)
    page = render_map(shown, scoped, replace(job.settings, county=adcode), sample=job.sample)
    county = scoped.counties.iloc[0]
    stations = job.points[(job.points["kind"] == "station") & (job.points["adcode"] == adcode)]
    offices = job.points[(job.points["kind"] == "office") & (job.points["adcode"] == adcode)].sort_values("id")
    poster = poster_html(str(county["county"]), str(county["prefecture"]), adcode, county.geometry,
                         stations.sort_values("id"), offices.iloc[0] if len(offices) else None,
                         base_url=job.settings.base_url, data_date=job.data_date, lang=job.settings.lang)
    return {f"{COUNTIES_DIR}/{adcode}/index.html": page, f"{COUNTIES_DIR}/{adcode}/poster.html": poster}


def every_county(job: CountyJob, *, workers: int | None = None, executor: Executor | None = None,
                 done: Callable[[str], None] | None = None) -> dict[str, str]:
    """Every county's files plus the province page, in adcode order whatever order they finish in.

    With no `executor`, a process pool of `workers` processes, each given the job once when it starts;
    any other executor (a dask.distributed client's `get_executor()`, say) receives the job with every task.
    """
    from mapgen.web.counties import counties_index_html

    adcodes = sorted(job.coverage.counties["adcode"].astype(str))
    if executor is None:
        with ProcessPoolExecutor(max_workers=workers, initializer=_share, initargs=(job,)) as pool:
            results = _collect(pool.map(_county_files_of_shared_job, adcodes), adcodes, done)
    else:
        results = _collect(executor.map(partial(county_files, job), adcodes), adcodes, done)
    files = {name: text for result in results for name, text in result.items()}
    files[f"{COUNTIES_DIR}/index.html"] = counties_index_html(job.coverage.table, lang=job.settings.lang,
                                                              sample=job.sample)
    return files


def _collect(results: Iterable[dict[str, str]], adcodes: list[str],
             done: Callable[[str], None] | None) -> list[dict[str, str]]:
    collected = []
    for adcode, result in zip(adcodes, results, strict=True):
        collected.append(result)
        if done is not None:
            done(adcode)
    return collected


_SHARED: list[CountyJob] = []


def _share(job: CountyJob) -> None:
    """Keep the job in this worker process, so that each task sends only an adcode."""
    _SHARED[:] = [job]


def _county_files_of_shared_job(adcode: str) -> dict[str, str]:
    return county_files(_SHARED[0], adcode)
