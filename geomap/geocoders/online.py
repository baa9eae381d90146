"""``Online``: any geopy geocoder, rate-limited and cached on disk, for users who enable it.

Nothing here runs unless asked for (``--online`` or ``GEOMAP_ONLINE=1``): geomap is
offline by default.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from gazetteer.model import Entry
from gazetteer.paths import cache_dir

USER_AGENT = "geomap/0.1 (news incident mapper; https://pypi.org/project/geomap/)"


class Online(Geocoder):
    """Wrap ``geocoder`` (Nominatim by default) with geopy's ``RateLimiter`` and an SQLite cache.

    Answers, including "no match", are cached by provider and query, so a re-run asks nothing.
    """

    def __init__(
        self, geocoder: Geocoder | None = None, *, min_delay_seconds: float = 1.0, cache: Path | str | None = None
    ):
        super().__init__()
        self.geocoder = geocoder or Nominatim(user_agent=USER_AGENT)
        self.provider = f"{type(self.geocoder).__name__}:{getattr(self.geocoder, 'domain', '')}"
        self._limited = RateLimiter(
            self.geocoder.geocode, min_delay_seconds=min_delay_seconds, max_retries=2, swallow_exceptions=False
        )
        path = Path(cache or cache_dir() / "online-geocoder.sqlite")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS answers(provider TEXT, query TEXT, exactly_one INT,"
            " answer TEXT, PRIMARY KEY(provider, query, exactly_one))"
        )
        self._lock = threading.Lock()

    def geocode(self, query: str, *, exactly_one: bool = True, **kwargs):
        key = (self.provider, query.strip(), int(exactly_one))
        with self._lock:
            row = self._db.execute(
                "SELECT answer FROM answers WHERE provider=? AND query=? AND exactly_one=?", key
            ).fetchone()
        if row is not None:
            return _decode(json.loads(row[0]), exactly_one)
        answer = self._limited(query, exactly_one=exactly_one, **kwargs)
        found = [answer] if exactly_one and answer else (answer or [])
        data = [{"address": a.address, "point": [a.latitude, a.longitude], "raw": a.raw} for a in found]
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO answers VALUES (?,?,?,?)", (*key, json.dumps(data)))
            self._db.commit()
        return answer


def _decode(data: list[dict], exactly_one: bool):
    locations = [Location(d["address"], tuple(d["point"]), d["raw"]) for d in data]
    if exactly_one:
        return locations[0] if locations else None
    return locations or None


class OnlineResolver:
    """The spaCy component ``geomap_online`` (registered in ``geomap.places``, after the resolver): asks the
    online geocoder for the place names the gazetteer left unresolved (not demonyms nor names in organisations)."""

    SKIP_KINDS = ("demonym", "associative")

    def __init__(self, geocoder: Geocoder):
        self.geocoder = geocoder

    def __call__(self, doc):
        if doc._.toponyms:
            doc._.toponyms = [self.resolve(t) for t in doc._.toponyms]
        return doc

    def resolve(self, toponym):
        if toponym.entry is not None or toponym.kind in self.SKIP_KINDS:
            return toponym
        try:
            found = self.geocoder.geocode(toponym.name, exactly_one=True, addressdetails=True, language="en")
        except GeopyError:  # the service failing never costs the article its other places
            return toponym
        return replace(toponym, entry=to_entry(found), score=0.5) if found is not None else toponym


def to_entry(location: Location) -> Entry:
    """A gazetteer entry for a place found online (source ``online``, no GeoNames id)."""
    raw = location.raw or {}
    address = raw.get("address") or {}
    return Entry(
        id=-int(raw.get("place_id") or 0),
        name=(location.address or "").split(",")[0].strip() or str(raw.get("name") or ""),
        lat=location.latitude,
        lon=location.longitude,
        country=(address.get("country_code") or "").upper() or None,
        admin1=None,
        admin1_name=address.get("state"),
        feature_class=str(raw.get("class") or "online"),
        feature_code=str(raw.get("type") or "online"),
        population=0,
        geonameid=None,
        source="online",
        importance=0.3,
    )
