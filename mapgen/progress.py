"""Progress of a build's long steps on stderr, shown only on a terminal (logs stay clean)."""

from __future__ import annotations

import sys
from types import TracebackType

from tqdm import tqdm


class Progress:
    """A bar of a build's steps, each labelled; silent when stderr is no terminal or `quiet` is set."""

    def __init__(self, steps: int, *, quiet: bool = False) -> None:
        """Prepare a bar of `steps` steps; it is drawn only on an interactive stderr."""
        shown = not quiet and sys.stderr.isatty()
        self._bar = tqdm(total=steps, disable=not shown, file=sys.stderr, leave=False, unit="step",
                         bar_format="{desc:<32} {bar} {n_fmt}/{total_fmt} {elapsed}")
        self._started = False

    def step(self, label: str) -> None:
        """Start the step called `label` (the previous one is counted done)."""
        if self._started:
            self._bar.update(1)
        self._started = True
        self._bar.set_description_str(label)

    def __enter__(self) -> Progress:
        """Use as a context manager: the bar goes when the build ends."""
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        """Close the bar, clearing its line."""
        self._bar.close()
