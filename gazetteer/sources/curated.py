"""The project's own curated files in ``gazetteer/data/``: conflict sites and demonyms."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from gazetteer.sources import Place

DATA = Path(__file__).resolve().parent.parent / "data"
SUPPLEMENT = DATA / "supplement.csv"
DEMONYMS = DATA / "demonyms.csv"
FEATURES = DATA / "features.csv"
COUNTRY_POINTS = DATA / "country_points.csv"
REGION_NAMES = DATA / "region_names.csv"
COLUMNS = (
    "name",
    "alternate_names",
    "lat",
    "lon",
    "country",
    "admin1",
    "feature_class",
    "feature_code",
    "population",
    "source",
)


def places(path: Path = SUPPLEMENT) -> Iterator[Place]:
    """Military bases, crossings, dams, fields and hills that GeoNames cities500 lacks."""
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        for line, row in enumerate(reader, start=2):
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except ValueError as exc:
                raise ValueError(f"{path}:{line}: bad coordinates {row['lat']!r}, {row['lon']!r}") from exc
            yield Place(
                name=row["name"].strip(),
                lat=lat,
                lon=lon,
                country=row["country"] or None,
                admin1=row["admin1"] or None,
                feature_class=row["feature_class"],
                feature_code=row["feature_code"],
                population=int(row["population"] or 0),
                source=f"curated: {row['source']}".replace("curated: curated: ", "curated: "),
                alternates=[n.strip() for n in row["alternate_names"].split("|") if n.strip()],
                # oceans, seas, world regions and rivers that span countries rank as capitals do
                importance=0.6 if row["country"] else 0.9,
            )


def demonyms(path: Path = DEMONYMS) -> Iterator[tuple[str, str]]:
    """(demonym, ISO alpha-2) pairs such as ("Syrian", "SY")."""
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            yield row["demonym"].strip(), row["country"].strip().upper()


def country_points(path: Path = COUNTRY_POINTS) -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> (lat, lon) where we choose a country's point ourselves (basis in the file)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["country"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(fh)}


def region_names(path: Path = REGION_NAMES) -> Iterator[tuple[str, str, str, str]]:
    """(country, admin1 code, name, kind) with kind "abbreviation" ("Kan.") or "demonym" ("Texans")."""
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            yield row["country"].strip(), row["admin1"].strip(), row["name"].strip(), row["kind"].strip()
