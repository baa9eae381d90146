"""Polite downloads of the web pages a link list names (only when the user asks: ``--fetch``).

Politeness and safety, each a one-line ``FetchError`` when it stops a download:

- robots.txt is read once per site and obeyed (its Crawl-delay too, up to ``MAX_CRAWL_DELAY``); an
  unreachable robots.txt (5xx, no answer) means no page of that site is fetched (RFC 9309).
- One request at a time, and at least ``delay`` seconds between two requests to the same host.
- Timeouts to connect and between bytes, a deadline for the whole page, a size limit, one retry after
  a failed connection, a 5xx or a 429 (waiting as long as ``Retry-After`` asks, up to ``max_wait``).
- Only http and https; redirects are followed by hand (at most ``max_redirects``, loops reported) and
  every hop is checked again. Each host is resolved once per request and the connection goes to that
  checked address, so a name cannot point somewhere else between the check and the request. Private,
  loopback, link-local and other non-public addresses are refused unless ``allow_private`` (True, or the
  networks allowed, such as ``["127.0.0.1/32"]``).
- Only web pages (HTML) are kept; a binary answer is reported before its body is read.

Pages fetched are kept in an SQLite cache (by URL), so that a re-run reads them from disk, with no request.
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import sqlite3
import time
import urllib.robotparser
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import urllib3

MAX_PAGE_BYTES = 20 * 2**20
MAX_ROBOTS_BYTES = 512 * 2**10
MAX_CRAWL_DELAY = 30.0
REDIRECTS = (301, 302, 303, 307, 308)
RETRIED = (429, 500, 502, 503, 504)
PAGE_TYPES = ("text/html", "application/xhtml+xml")


class FetchError(Exception):
    """Why a link gave no page (one line)."""


@dataclass(frozen=True, slots=True)
class Page:
    """A downloaded page: the URL asked for, the URL it came from after redirects, its type and bytes."""

    url: str
    final_url: str
    content_type: str | None
    body: bytes
    cached: bool = False


@dataclass(frozen=True, slots=True)
class _Target:
    """A checked http(s) URL and the address the connection goes to."""

    url: str
    scheme: str
    host: str
    port: int
    address: str
    path: str

    @property
    def site(self) -> tuple[str, str, int]:
        return self.scheme, self.host, self.port


def _user_agent() -> str:
    try:
        return f"geomap/{version('geomap')} (news incident mapper; reads robots.txt)"
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "geomap (news incident mapper; reads robots.txt)"


class Fetcher:
    """Downloads pages one at a time, politely, through an on-disk cache (``cache`` None: no cache)."""

    def __init__(
        self,
        cache: str | Path | None = None,
        *,
        delay: float = 1.0,
        timeout: float = 10.0,
        deadline: float = 30.0,
        max_bytes: int = MAX_PAGE_BYTES,
        retries: int = 1,
        max_wait: float = 60.0,
        max_redirects: int = 5,
        allow_private: bool | Iterable[str] = False,
        user_agent: str | None = None,
    ):
        self.delay, self.timeout, self.deadline, self.max_bytes = delay, timeout, deadline, max_bytes
        self.retries, self.max_wait, self.max_redirects = retries, max_wait, max_redirects
        self.allowed = (
            allow_private if isinstance(allow_private, bool) else [ipaddress.ip_network(n) for n in allow_private]
        )
        self.user_agent = user_agent or _user_agent()
        self.fetched = self.from_cache = 0
        self._next: dict[str, float] = {}  # host -> earliest time of its next request
        self._delay: dict[str, float] = {}  # host -> its robots.txt Crawl-delay, when longer than ``delay``
        self._robots: dict[tuple[str, str, int], tuple[urllib.robotparser.RobotFileParser | None, str]] = {}
        self.db = _open_cache(Path(cache)) if cache is not None else None

    # -- the one public call ------------------------------------------------------------------------------------

    def get(self, url: str) -> Page:
        """The page at ``url`` (from the cache when it was fetched before); raises FetchError."""
        check_scheme(url)
        if self.db is not None:
            row = self.db.execute("SELECT final_url, content_type, body FROM pages WHERE url = ?", (url,)).fetchone()
            if row is not None:
                self.from_cache += 1
                return Page(url, row[0], row[1], row[2], cached=True)
        page = self._download(url)
        self.fetched += 1
        if self.db is not None:
            with self.db:
                self.db.execute(
                    "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
                    (url, page.final_url, page.content_type, page.body, datetime.now(timezone.utc).isoformat()),
                )
        return page

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def describe(self) -> dict:
        private = bool(self.allowed)
        return {"delay": self.delay, "timeout": self.timeout, "max_bytes": self.max_bytes, "allow_private": private}

    # -- downloading --------------------------------------------------------------------------------------------

    def _download(self, url: str) -> Page:
        chain = [url]
        for _ in range(self.max_redirects + 1):
            target = self._target(chain[-1])
            self._obey_robots(target)
            response = self._request(target)
            try:
                if response.status in REDIRECTS:
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchError(f"HTTP {response.status} redirect without a Location")
                    following = urljoin(target.url, location.strip())
                    if following in chain:
                        raise FetchError(f"redirect loop ({' -> '.join([*chain, following])[:300]})")
                    chain.append(following)
                    continue
                if response.status != 200:
                    raise FetchError(f"HTTP {response.status} {response.reason or ''}".strip())
                kind = response.headers.get("Content-Type")
                mime = (kind or "").split(";")[0].strip().lower()
                if mime and mime not in PAGE_TYPES:
                    raise FetchError(f"not a web page (content type {mime})")
                return Page(url, target.url, kind, self._body(response, self.max_bytes))
            finally:
                response.release_conn()
        raise FetchError(f"too many redirects (more than {self.max_redirects})")

    def _target(self, url: str) -> _Target:
        """The URL checked: http(s), a host, and every address it resolves to public (or allowed)."""
        check_scheme(url)
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        if not host:
            raise FetchError(f"no host in the link {url[:200]!r}")
        try:
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except ValueError as e:
            raise FetchError(f"bad link {url[:200]!r} ({e})") from None
        except (OSError, UnicodeError) as e:
            raise FetchError(f"cannot resolve {host!r} ({getattr(e, 'strerror', None) or e})") from None
        addresses = [info[4][0] for info in infos]
        for address in addresses:
            self._check_address(host, address)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return _Target(url, parts.scheme.lower(), host, port, addresses[0], path)

    def _check_address(self, host: str, address: str) -> None:
        ip = ipaddress.ip_address(address.split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if ip.is_global and not ip.is_multicast:
            return
        if ip.is_unspecified or ip.is_multicast:
            raise FetchError(f"{host} resolves to {ip}, which is no address to fetch from")
        if self.allowed is True or (self.allowed and any(ip in net for net in self.allowed)):
            return
        raise FetchError(f"{host} is a private or local address ({ip}): refused (--allow-private reads it)")

    def _obey_robots(self, target: _Target) -> None:
        if target.site not in self._robots:
            self._robots[target.site] = self._read_robots(target)
        rules, problem = self._robots[target.site]
        if rules is None:
            raise FetchError(f"robots.txt of {target.host} could not be read ({problem}): not fetched")
        if not rules.can_fetch(self.user_agent, target.url):
            raise FetchError(f"robots.txt of {target.host} does not allow this page")

    def _read_robots(self, target: _Target) -> tuple[urllib.robotparser.RobotFileParser | None, str]:
        """The site's rules: a missing robots.txt (4xx; a redirect is taken as missing) allows all; an
        unreachable one (5xx, no answer) allows nothing."""
        robots = replace(target, url=f"{target.scheme}://{_host_header(target)}/robots.txt", path="/robots.txt")
        rules = urllib.robotparser.RobotFileParser()
        try:
            response = self._request(robots)
            try:
                if response.status >= 500:
                    return None, f"HTTP {response.status}"
                lines = self._body(response, MAX_ROBOTS_BYTES).decode("utf-8", "replace").splitlines()
            finally:
                response.release_conn()
        except FetchError as e:
            return None, str(e)
        rules.parse(lines if response.status == 200 else [])
        if (wait := rules.crawl_delay(self.user_agent)) is not None:
            self._delay[target.host] = min(float(wait), MAX_CRAWL_DELAY)
        return rules, ""

    def _request(self, target: _Target) -> urllib3.BaseHTTPResponse:
        """One GET (and its retry), in the host's turn; the response body is left to read."""
        problem = ""
        for _ in range(self.retries + 1):
            self._wait_turn(target.host)
            try:
                response = _pool(target, self.timeout).urlopen(
                    "GET",
                    target.path,
                    headers={"Host": _host_header(target), "User-Agent": self.user_agent, "Accept": "text/html,*/*"},
                    redirect=False,
                    retries=False,
                    preload_content=False,
                    assert_same_host=False,
                )
            except urllib3.exceptions.HTTPError as e:
                problem = _network_reason(e)
                self._pause(target.host, self.delay)
                continue
            if response.status not in RETRIED:
                self._pause(target.host, self.delay)
                return response
            wait = _retry_after(response.headers.get("Retry-After"))
            response.drain_conn()
            response.release_conn()
            problem = f"HTTP {response.status} {response.reason or ''}".strip()
            if wait is not None and wait > self.max_wait:
                raise FetchError(f"{problem} (asked to wait {wait:.0f} s, more than {self.max_wait:.0f} s)")
            self._pause(target.host, max(self.delay, wait or 0.0))
        tries = f" ({self.retries + 1} tries)" if self.retries else ""
        raise FetchError(f"{problem}{tries}")

    def _body(self, response: urllib3.BaseHTTPResponse, limit: int) -> bytes:
        """The response body, read within the size limit and the deadline."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(f"too large ({int(declared) / 2**20:.1f} MB > {limit / 2**20:.0f} MB)")
        chunks, size, started = [], 0, time.monotonic()
        try:
            while chunk := response.read1(65536):
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"too large (more than {limit / 2**20:.0f} MB)")
                if time.monotonic() - started > self.deadline:
                    raise FetchError(f"too slow (not done after {self.deadline:.0f} s)")
                chunks.append(chunk)
        except urllib3.exceptions.HTTPError as e:
            raise FetchError(_network_reason(e)) from None
        return b"".join(chunks)

    def _wait_turn(self, host: str) -> None:
        if (wait := self._next.get(host, 0.0) - time.monotonic()) > 0:
            time.sleep(wait)

    def _pause(self, host: str, seconds: float) -> None:
        """No request to ``host`` for ``seconds`` from now (its crawl delay, when longer)."""
        seconds = max(seconds, self._delay.get(host, 0.0))
        self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + seconds)


def check_scheme(url: str) -> None:
    """Raise FetchError unless ``url`` is an http or https link."""
    scheme = urlsplit(url).scheme.lower()
    if scheme == "file":
        raise FetchError("a file:// link: not read (only http and https links are fetched)")
    if scheme not in ("http", "https"):
        raise FetchError(f"unsupported link {url[:100]!r} (only http and https links are fetched)")


def _pool(target: _Target, timeout: float) -> urllib3.HTTPConnectionPool:
    """A connection to the checked address (TLS still checks the host's name and certificate)."""
    pool_timeout = urllib3.Timeout(connect=timeout, read=timeout)
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=pool_timeout,
            maxsize=1,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
        )
    return urllib3.HTTPConnectionPool(target.address, target.port, timeout=pool_timeout, maxsize=1)


def _host_header(target: _Target) -> str:
    default = 443 if target.scheme == "https" else 80
    host = f"[{target.host}]" if ":" in target.host else target.host
    return host if target.port == default else f"{host}:{target.port}"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _network_reason(e: Exception) -> str:
    if isinstance(e, urllib3.exceptions.TimeoutError):
        return "timed out"
    if isinstance(e, urllib3.exceptions.SSLError):
        return "TLS error (certificate or protocol)"
    if isinstance(e, urllib3.exceptions.NewConnectionError):
        return "cannot connect"
    reason = getattr(e, "reason", None) or e
    return f"network error ({str(reason)[:120]})"


def _open_cache(path: Path) -> sqlite3.Connection:
    """The pages cache (a damaged file is replaced, never trusted)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(2):
        try:
            db = sqlite3.connect(path, timeout=60, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS pages "
                "(url TEXT PRIMARY KEY, final_url TEXT, content_type TEXT, body BLOB, fetched_at TEXT)"
            )
            return db
        except sqlite3.DatabaseError:
            if attempt:
                raise
            path.unlink(missing_ok=True)
    raise AssertionError("unreachable")  # pragma: no cover
