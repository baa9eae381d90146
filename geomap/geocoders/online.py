"""``Online``: any geopy geocoder, rate-limited and cached on disk, for users who enable it.

Nothing here runs unless asked for (``--online`` or ``GEOMAP_ONLINE=1``): geomap is
offline by default.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location

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
