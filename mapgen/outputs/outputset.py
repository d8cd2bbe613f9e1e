"""Publish a build's files into the output directory as one set: all replaced together, or none."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from mapgen.errors import InputError

MANIFEST = "manifest.json"
_STAGING = ".mapgen-staging-"
# Signals that would stop the process half-way through moving files into place; held back for that moment.
_HELD_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def check_out_dir(out_dir: Path) -> None:
    """Fail early, before any work, when the output directory cannot be one."""
    existing = next((p for p in (out_dir, *out_dir.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        msg = f"{out_dir}: cannot write outputs there: {existing} is a file, not a directory"
        raise InputError(msg)
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        msg = f"{out_dir}: cannot write outputs there: {existing} is not writable"
        raise InputError(msg)


def publish(out_dir: Path, files: Mapping[str, str]) -> None:
    """Write `files` (relative path -> text) into `out_dir` as one set.

    Files go to a staging folder beside `out_dir`, then each is moved into place with the previous one
    kept aside, so that a failure while moving puts every earlier output back. Files listed in the
    previous build's manifest that this build did not make are removed; no other file is touched.
    """
    check_out_dir(out_dir)
    _check_targets(out_dir, files)
    staging = _make_staging(out_dir)
    try:
        _stage(staging, files)
        stale = sorted(set(previous_outputs(out_dir)) - set(files))
        with _signals_held():
            _commit(out_dir, staging, list(files), stale)
    except OSError as error:
        msg = f"{out_dir}: writing the outputs failed ({error.strerror}: {error.filename})"
        raise InputError(msg) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def previous_outputs(out_dir: Path) -> list[str]:
    """The files the previous build wrote into `out_dir`, from its manifest (none if unreadable)."""
    try:
        listed = json.loads((out_dir / MANIFEST).read_text("utf-8")).get("outputs", [])
    except (OSError, ValueError, AttributeError):
        return []
    names = [name for name in listed if isinstance(name, str)] if isinstance(listed, list) else []
    # Only plain relative names inside out_dir: a manifest is a file anyone could have edited.
    return [name for name in names if _inside(name)] + ([MANIFEST] if names else [])


def _inside(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def _check_targets(out_dir: Path, files: Mapping[str, str]) -> None:
    """Refuse, before anything moves, targets that are directories or sit below a file."""
    for name in files:
        target = out_dir / name
        blocker = next((p for p in target.parents if p != out_dir and p.is_relative_to(out_dir) and p.is_file()),
                       None)
        if target.is_dir() or blocker is not None:
            msg = f"{out_dir}: cannot write {name}: {blocker or target} is in the way (remove it)"
            raise InputError(msg)


def _make_staging(out_dir: Path) -> Path:
    """A fresh staging folder beside `out_dir` (same file system, so moves are atomic); old ones go."""
    parent = out_dir.absolute().parent
    prefix = f".{out_dir.absolute().name}{_STAGING}"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        for old in parent.glob(prefix + "*"):
            if not _alive(old.name.removeprefix(prefix)):
                shutil.rmtree(old, ignore_errors=True)
        staging = parent / f"{prefix}{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
    except OSError as error:
        msg = f"{out_dir}: cannot write outputs there ({error.strerror})"
        raise InputError(msg) from error
    return staging


def _alive(pid_text: str) -> bool:
    """Whether the build that made a staging folder (named by its process id) is still running."""
    if not pid_text.isdigit() or int(pid_text) == os.getpid():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _stage(staging: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = staging / "new" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        # errors="replace": a file name that is not valid UTF-8 (kept by Python as surrogates) becomes "?".
        with path.open("w", encoding="utf-8", errors="replace", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(path, new_file_mode())


def new_file_mode() -> int:
    """The permissions a new file gets under the current umask (0644 under the usual 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _commit(out_dir: Path, staging: Path, names: list[str], stale: list[str]) -> None:
    """Move new files in and stale ones out, keeping the old ones aside until every move succeeded."""
    order = [*names, *stale]
    for index, name in enumerate(order):
        try:
            _set_aside(out_dir / name, staging / "old" / name)
            if index < len(names):
                (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / "new" / name, out_dir / name)
        except OSError:
            _roll_back(out_dir, staging, order[: index + 1])
            raise
    for name in stale:
        _prune_empty(out_dir, (out_dir / name).parent)


def _set_aside(target: Path, keep: Path) -> None:
    if target.is_file() or target.is_symlink():
        keep.parent.mkdir(parents=True, exist_ok=True)
        os.replace(target, keep)


def _roll_back(out_dir: Path, staging: Path, names: list[str]) -> None:
    """Put back every file set aside, and remove new files that had no predecessor."""
    for name in reversed(names):
        kept, new, target = staging / "old" / name, staging / "new" / name, out_dir / name
        with contextlib.suppress(OSError):
            if kept.exists():
                os.replace(kept, target)
            elif not new.exists() and target.is_file():  # moved in, with nothing before it
                target.unlink()


def _prune_empty(out_dir: Path, folder: Path) -> None:
    """Remove folders that only held stale outputs, up to (not including) `out_dir`."""
    while folder != out_dir and folder.is_relative_to(out_dir):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Delay Ctrl-C and termination while files move, so that the set is never left half-replaced.

    Python-level handlers, not a signal mask: threads started by numerical libraries keep the signals
    unblocked, and Python would then still interrupt the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {number: signal.signal(number, lambda got, _frame: received.append(got)) for number in _HELD_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
        for number in received:
            signal.raise_signal(number)  # now that the set is whole, as if it had arrived just after
