"""Download GeoNames dumps from GeoNames' download server (the only part of geomap that goes online
for the gazetteer, and only when asked: ``geomap gazetteer download``).

A country's files are its geoname table (``SY.zip``) and its alternate names
(``alternatenames/SY.zip``, the alternateNamesV2 format); ``all`` takes ``allCountries.zip`` and
``alternateNamesV2.zip``. ``admin1CodesASCII.txt`` comes with either. Each file is written to
``NAME.part`` and renamed when complete; an interrupted download resumes from the bytes it has (an HTTP
range request). A file must arrive at the size the server announced and hold what its kind promises
(a readable zip whose data file has the GeoNames columns) before anything is imported.
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from gazetteer.paths import cache_dir
from gazetteer.sources import geonames_dump

GEONAMES_URL = "https://download.geonames.org/export/dump/"
URL_ENV = "GEOMAP_GEONAMES_URL"
CHUNK = 1 << 16
TIMEOUT = 60.0

Progress = Callable[[str, int | None], Callable[[int], None]]


class DownloadError(OSError):
    """A dump could not be fetched whole, or is not what its name promises."""


@dataclass(frozen=True, slots=True)
class DumpFile:
    """One file of GeoNames' dump folder: its path below the base URL and the kind of table it holds."""

    name: str  # "SY.zip", "alternatenames/SY.zip", "allCountries.zip", "admin1CodesASCII.txt"
    kind: str  # "geoname", "alternate_names" or "admin1" (see ``geonames_dump``)


def base_url(url: str | None = None) -> str:
    """The dump folder's URL: ``url``, else ``$GEOMAP_GEONAMES_URL``, else GeoNames' own server."""
    url = url or os.environ.get(URL_ENV) or GEONAMES_URL
    return url if url.endswith("/") else url + "/"


def plan(countries: Iterable[str], known: Iterable[str]) -> list[DumpFile]:
    """The files for ``countries`` (ISO alpha-2 codes, or ``all``); ValueError for an unknown code."""
    codes = [c.strip().upper() for c in countries]
    if not codes:
        raise ValueError("name one or more countries (ISO alpha-2, e.g. SY IQ) or `all`")
    if "ALL" in codes:
        files = [DumpFile("allCountries.zip", "geoname"), DumpFile("alternateNamesV2.zip", "alternate_names")]
    else:
        known = set(known)
        bad = [c for c in codes if not re.fullmatch(r"[A-Z]{2}", c) or c not in known]
        if bad:
            raise ValueError(f"not a country code GeoNames has: {', '.join(bad)} (use ISO alpha-2, e.g. SY, or all)")
        files = [f for c in dict.fromkeys(codes) for f in (DumpFile(f"{c}.zip", "geoname"), _names(c))]
    return [*files, DumpFile("admin1CodesASCII.txt", "admin1")]


def _names(country: str) -> DumpFile:
    return DumpFile(f"alternatenames/{country}.zip", "alternate_names")


def folder() -> Path:
    """Where downloaded dumps are kept: ``geonames/`` in the cache folder."""
    return cache_dir() / "geonames"


def fetch(file: DumpFile, url: str, into: Path, *, progress: Progress | None = None, refresh: bool = False) -> Path:
    """Download ``file`` from the dump folder at ``url`` into ``into`` (resuming a partial download) and
    check it; returns its path. A file already downloaded and checked is reused unless ``refresh``."""
    target = into / file.name
    source = url + file.name
    if target.exists() and not refresh:
        check(target, file.kind, source)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    if refresh:
        part.unlink(missing_ok=True)
    _download(source, part, file.name, progress)
    try:
        check(part, file.kind, source, name=file.name)
    except DownloadError:
        part.unlink(missing_ok=True)  # complete but wrong: resuming it would not help
        raise
    os.replace(part, target)
    return target


def _download(source: str, part: Path, label: str, progress: Progress | None) -> None:
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(source, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        response = urllib.request.urlopen(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # nothing after what we have: the part may be whole already
            total = _total(exc.headers.get("Content-Range"))
            if total == have:
                return
            part.unlink(missing_ok=True)
            raise DownloadError(f"{source}: the partial download did not match the server's file; run again") from None
        raise DownloadError(f"{source}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(f"{source}: cannot connect ({reason})") from None
    with response:
        if response.status == 206:
            start = _start(response.headers.get("Content-Range"))
            if start != have:
                raise DownloadError(f"{source}: the server resumed at byte {start}, not {have}")
            mode = "ab"
        else:  # the whole file (the server ignored or was not asked for a range)
            have, mode = 0, "wb"
        length = response.headers.get("Content-Length")
        expected = have + int(length) if length and length.isdigit() else None
        tick = progress(label, expected) if progress else (lambda n: None)
        tick(have)
        got = have
        with open(part, mode) as out:
            try:
                while chunk := response.read(CHUNK):
                    out.write(chunk)
                    got += len(chunk)
                    tick(len(chunk))
            except (OSError, ValueError) as exc:  # connection reset, timeout, incomplete read
                raise DownloadError(_interrupted(source, got, expected, exc.__class__.__name__)) from None
    if expected is not None and got != expected:
        raise DownloadError(_interrupted(source, got, expected, "connection closed"))


def _interrupted(source: str, got: int, expected: int | None, why: str) -> str:
    of = "" if expected is None else f" of {expected:,}"
    return f"{source}: download interrupted at {got:,}{of} bytes ({why}); run the command again to resume"


def _start(content_range: str | None) -> int | None:
    m = re.match(r"bytes (\d+)-\d+/(\d+|\*)", content_range or "")
    return int(m.group(1)) if m else None


def _total(content_range: str | None) -> int | None:
    m = re.match(r"bytes (?:\*|\d+-\d+)/(\d+)", content_range or "")
    return int(m.group(1)) if m else None


def check(path: Path, kind: str, source: str, *, name: str | None = None) -> None:
    """DownloadError unless ``path`` is a whole zip (every member's checksum verified) or text file whose
    first row has the columns of ``kind``. ``name`` is the file's real name when ``path`` is a ``.part``."""
    name = name or path.name
    if name.endswith(".zip"):
        if not zipfile.is_zipfile(path):
            raise DownloadError(f"{source}: not a zip file, or a truncated one ({path.stat().st_size:,} bytes)")
        try:
            with zipfile.ZipFile(path) as zf:
                broken = zf.testzip()
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise DownloadError(f"{source}: damaged zip ({exc})") from None
        if broken:
            raise DownloadError(f"{source}: damaged zip (bad checksum in {broken})")
    try:
        found = geonames_dump.kind(path, name=name)
    except (ValueError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise DownloadError(f"{source}: {_reason(exc)}") from None
    if found != kind:
        raise DownloadError(f"{source}: expected a GeoNames {kind.replace('_', ' ')} table, found a {found} table")


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text.split(": ", 1)[1] if ": " in text else text
