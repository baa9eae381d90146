"""Text files and records: plain text, Markdown with front matter, JSON, JSON Lines and CSV records.

Also the helpers every kind shares: decoding bytes, reading a date from metadata or a dateline, and
building an ``Article`` from a record's fields.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date, datetime

from geomap.records import Article, ArticleError

Item = Article | ArticleError

MAX_BYTES = 50 * 2**20
TEXT_FIELDS = ("text", "body", "content", "article")
DATE_FIELDS = ("published", "date", "publish_date")

csv.field_size_limit(MAX_BYTES)  # article bodies in CSV cells outgrow the 128 KB default

_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTH_ABBR = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_ABBR, 1)}
_DATE = re.compile(  # groups: (i)so, (m)onth first, (d)ay first -> <form>y, <form>m, <form>d
    rf"(?<!\w)(?:(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})(?!\d)"
    rf"|(?P<mm>{_MONTH})\b\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|\s+)(?P<my>\d{{4}})(?!\d)"
    rf"|(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm>{_MONTH})\b\.?(?:,\s*|\s+)(?P<dy>\d{{4}})(?!\d))",
    re.IGNORECASE | re.ASCII,
)
_BAD_BYTE = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of each invalid byte


def find_dateline(text: str) -> date | None:
    """The first valid full date in the first 400 characters ("Dec 7, 2015", "7 December 2015", "2015-12-07")."""
    for m in _DATE.finditer(text[:400]):
        year, month, day = next((m[f"{f}y"], m[f"{f}m"], m[f"{f}d"]) for f in "imd" if m[f"{f}y"])
        try:
            return date(int(year), int(month) if month.isdigit() else _MONTHS[month[:3].lower()], int(day))
        except ValueError:
            continue
    return None


def parse_date(value: str) -> date | None:
    """A metadata date: ISO date or datetime, or any form ``find_dateline`` knows; None if there is none."""
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return find_dateline(value)


def check_binary(data: bytes) -> None:
    """Raise ValueError for data that is not text at all (a NUL byte near the start), UTF-16 aside."""
    if b"\0" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValueError("binary file")


def decode(data: bytes) -> str:
    """UTF-8 (BOM optional; < 1% bad bytes replaced) or UTF-16 with a BOM, newlines normalized; else ValueError."""
    check_binary(data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise ValueError(f"not UTF-16 text ({e.reason})") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text, bad = _BAD_BYTE.subn("\ufffd", data.decode("utf-8-sig", "surrogateescape"))
            if bad * 100 >= len(data):
                raise ValueError(f"not UTF-8 text ({bad} of {len(data)} bytes invalid)") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ValueError("empty")
    return text


def clean(value: object) -> str | None:
    """A metadata value as stripped text; None when missing, empty or not a scalar."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value).strip() or None


def from_record(aid: str, rec: dict, date_fields: tuple[str, ...] = DATE_FIELDS) -> Item:
    """An article from a record's fields (keys lower-case): text, title, date, url/link, source."""
    text = next((v for k in TEXT_FIELDS if isinstance(v := rec.get(k), str) and v.strip()), None)
    if text is None:
        return ArticleError(aid, f"no text (none of the fields {', '.join(TEXT_FIELDS)})")
    published = next((d for k in date_fields if (v := clean(rec.get(k))) and (d := parse_date(v))), None)
    url = clean(rec.get("url")) or clean(rec.get("link"))
    title, source = clean(rec.get("title")), clean(rec.get("source"))
    return Article(aid, text.strip(), published, title, url, source, "metadata" if published else None)


def record(file_id: str, n: int | None, rec: object) -> Item:
    """Record ``n`` of a file, id ``<file>#<id>`` (its ``id`` field) or ``<file>#<n>``; ``<file>`` when n is None."""
    aid = file_id if n is None else f"{file_id}#{n}"
    if not isinstance(rec, dict):
        return ArticleError(aid, "record is not an object")
    rec = {str(k).strip().lower(): v for k, v in rec.items()}
    if n is not None and (rid := clean(rec.get("id"))):
        aid = f"{file_id}#{rid}"
    return from_record(aid, rec)


def read_plain(data: bytes, aid: str) -> Iterator[Item]:
    yield Article(aid, decode(data).strip())


def read_markdown(data: bytes, aid: str) -> Iterator[Item]:
    """Markdown with optional ``---`` front matter of ``key: value`` lines."""
    text = decode(data)
    meta: dict[str, str] = {}
    if m := re.match(r"---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*$\n?", text, re.DOTALL | re.MULTILINE):
        for line in m[1].splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip():
                meta[key.strip().lower()] = value.strip().strip("\"'")
        text = text[m.end() :]
    yield from_record(aid, {**meta, "text": text})


def read_json(data: bytes, aid: str) -> Iterator[Item]:
    """One object (id = the file) or a list of objects."""
    text = decode(data)
    try:
        value = json.loads(text)
    except ValueError as e:
        raise ValueError(f"invalid JSON: {e}") from None
    if isinstance(value, list):
        for n, rec in enumerate(value, 1):
            yield record(aid, n, rec)
    else:
        yield record(aid, None, value)


def read_jsonl(data: bytes, aid: str) -> Iterator[Item]:
    """One object per (non-blank) line; a bad line is one error."""
    for n, line in enumerate((line for line in decode(data).split("\n") if line.strip()), 1):
        try:
            rec = json.loads(line)
        except ValueError as e:
            yield ArticleError(f"{aid}#{n}", f"invalid JSON: {e}")
            continue
        yield record(aid, n, rec)


def csv_rows(text: str) -> csv.DictReader:
    """A CSV's rows as dicts (the header names the fields)."""
    return csv.DictReader(io.StringIO(text))


def read_csv(data: bytes, aid: str) -> Iterator[Item]:
    """One article per row; the header names the fields."""
    for n, rec in enumerate(csv_rows(decode(data)), 1):
        yield record(aid, n, {k: v for k, v in rec.items() if k is not None})
