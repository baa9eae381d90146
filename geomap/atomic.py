"""Atomic file writes: a file is written beside its target, synced and renamed over it, so readers never
see half a file and a run killed at any point leaves the previous file whole."""

from __future__ import annotations

import contextlib
import glob
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path


def atomic_write(path: Path, write) -> Path:
    """Call ``write(tmp_path)`` and rename the result over ``path``: readers never see half a file, and a
    run killed at any point leaves the previous file whole."""
    return atomic_write_many({Path(path): write})[0]


def atomic_write_many(writers: dict[Path, Callable[[Path], object]]) -> list[Path]:
    """Write several files as one change: each ``write(tmp_path)`` is called and its file synced before
    the first rename, so a run killed while writing leaves all the previous files, never a mix. Temporary
    files are hidden siblings named after this process (``.<stem>.<pid>-<random>.tmp<suffix>``); those
    left by killed runs are removed."""
    staged = []
    try:
        for path, write in writers.items():
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.stem}.{os.getpid()}-{secrets.token_hex(4)}.tmp{path.suffix}")
            staged.append((tmp, path))
            write(tmp)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    for folder in {path.parent for _, path in staged}:
        _sync_folder(folder)
    for _, path in staged:
        _remove_stale(path)
    return [path for _, path in staged]


def text_writer(text: str) -> Callable[[Path], object]:
    """A ``write`` for :func:`atomic_write`: the text as UTF-8."""
    return lambda tmp: tmp.write_text(text, encoding="utf-8")


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX; a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_stale(path: Path) -> None:
    """Remove the temporary files of ``path`` whose writer process is gone (killed mid-write; POSIX)."""
    if os.name != "posix":
        return
    name = re.compile(rf"\.{re.escape(path.stem)}\.(\d+)-[0-9a-f]{{8}}\.tmp{re.escape(path.suffix)}")
    for tmp in path.parent.glob(glob.escape(f".{path.stem}.") + "*.tmp" + glob.escape(path.suffix)):
        if not (m := name.fullmatch(tmp.name)):
            continue
        try:
            os.kill(int(m[1]), 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
        except (OSError, OverflowError):
            pass  # alive (someone else's), or not a process id
