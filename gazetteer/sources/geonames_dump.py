"""Readers for the real GeoNames dump formats, for users who download them.

``allCountries.zip``, a country file (``SY.zip``) or ``cities500.zip`` (the 19-column
"geoname" table), ``alternateNamesV2.zip`` (or ``alternateNames.zip``) and
``admin1CodesASCII.txt``. Zips and plain ``.txt`` files are both read, streaming.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gazetteer.sources import Place

# alternate-name "languages" that are codes or links, not names
_NOT_NAMES = {"link", "wkdt", "post", "iata", "icao", "faac", "fr_1793", "unlc", "tcid", "abbr"}


@contextmanager
def _lines(path: Path, name: str | None = None) -> Iterator[Iterator[str]]:
    """The lines of a dump file, or of the one ``.txt`` in a zip that is not a readme (``name``: the
    file's real name when ``path`` is a partial download)."""
    real = Path(name or path.name)
    if real.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as zf:
            members = [n for n in zf.namelist() if n.endswith(".txt") and "readme" not in n.lower()]
            members = [n for n in members if Path(n).stem == real.stem] or members
            if len(members) != 1:
                raise ValueError(f"{path}: expected one data .txt in the zip, found {members or 'none'}")
            with zf.open(members[0]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as fh:
            yield fh


def kind(path: Path, *, name: str | None = None) -> str:
    """``geoname``, ``alternate_names`` or ``admin1``, from the columns of the file's first row."""
    try:
        with _lines(path, name) as lines:
            first = next(iter(lines), "")
    except UnicodeDecodeError:
        first = ""
    cols = first.rstrip("\n").split("\t")
    if len(cols) == 19 and cols[0].isdigit():
        return "geoname"
    if len(cols) in (8, 10) and cols[0].isdigit() and cols[1].isdigit():  # alternateNamesV2 has 10, the old 8
        return "alternate_names"
    if len(cols) == 4 and re.fullmatch(r"[A-Z]{2}\.\w+", cols[0]):
        return "admin1"
    raise ValueError(
        f"{path}: not a GeoNames dump (a geoname table has 19 tab-separated columns, alternate names 10,"
        " admin1 codes 4)"
    )


def places(path: Path, feature_classes: str | None = None) -> Iterator[Place]:
    """Rows of a geoname table; rows that do not parse raise ``ValueError`` naming the line."""
    with _lines(path) as lines:
        for number, line in enumerate(lines, start=1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 19:
                raise ValueError(f"{path}:{number}: expected 19 columns, found {len(cols)}")
            if feature_classes and cols[6] not in feature_classes:
                continue
            try:
                yield Place(
                    name=cols[1],
                    lat=float(cols[4]),
                    lon=float(cols[5]),
                    country=cols[8] or None,
                    admin1=cols[10] or None,
                    feature_class=cols[6] or "?",
                    feature_code=cols[7] or "?",
                    population=int(cols[14] or 0),
                    geonameid=int(cols[0]),
                    source=f"geonames:{path.name}",
                    alternates=[n for n in (cols[2], *cols[3].split(",")) if n],
                )
            except ValueError as exc:
                raise ValueError(f"{path}:{number}: {exc}") from exc


def alternate_names(path: Path) -> Iterator[tuple[int, str]]:
    """(geonameid, name) pairs, without links, postcodes and airport codes."""
    with _lines(path) as lines:
        for number, line in enumerate(lines, start=1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 4:
                raise ValueError(f"{path}:{number}: expected at least 4 columns, found {len(cols)}")
            if cols[2] not in _NOT_NAMES and cols[3]:
                yield int(cols[1]), cols[3]


def admin1_codes(path: Path) -> Iterator[tuple[str, str, str]]:
    """(country, admin1 code, name) from ``admin1CodesASCII.txt`` ("SY.07<TAB>Deir ez-Zor...")."""
    with _lines(path) as lines:
        for number, line in enumerate(lines, start=1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2 or "." not in cols[0]:
                raise ValueError(f"{path}:{number}: expected 'CC.CODE<TAB>name'")
            cc, code = cols[0].split(".", 1)
            yield cc, code, cols[1]
