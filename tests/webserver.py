"""A small web server on 127.0.0.1 for the fetching tests: pages, redirects, errors, slow, huge and binary answers."""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Test Wire</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="Test Wire">
<meta property="article:published_time" content="2019-03-0{n}T08:00:00Z">
<link rel="canonical" href="https://wire.example/{n}">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>{title}</h1>
<p>Warplanes struck an ammunition depot outside the town of Tall Abyad on Thursday, killing {n} guards, residents
said. The strike set off explosions that could be heard for hours across the district.</p>
<p>A medic at the town's hospital said several other people were wounded and that rescuers were still searching
the site late in the evening.</p>
<p>Read more: <a href="/other">Another story from the wire</a></p>
</article>
<footer>Copyright Test Wire. All rights reserved.</footer>
</body></html>"""


class Handler(BaseHTTPRequestHandler):
    server: LocalServer

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        path = self.path
        self.server.hits[path] += 1
        self.server.times.append((time.monotonic(), self.headers.get("Host", ""), path))
        route = ROUTES.get(path.split("?")[0])
        if route is None:
            self.send(404, b"<html><body>not here</body></html>")
            return
        route(self)

    def send(self, status: int, body: bytes = b"", kind: str = "text/html; charset=utf-8", **headers) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, to: str) -> None:
        self.send(302, b"", Location=to)


def _page(n: int):
    return lambda h: h.send(200, ARTICLE.format(n=n, title=f"Depot hit in raid {n}").encode())


def _busy_once(h: Handler) -> None:
    if h.server.hits[h.path] == 1:
        h.send(429, b"slow down", "text/plain", Retry_After="1")
    else:
        _page(5)(h)


def _slow(h: Handler) -> None:
    time.sleep(h.server.slow_seconds)
    _page(6)(h)


def _drip(h: Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    for _ in range(40):
        h.wfile.write(b"<p>" + b"x" * 10 + b"</p>")
        h.wfile.flush()
        time.sleep(0.1)


def _huge_declared(h: Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", str(500 * 2**20))
    h.end_headers()


def _huge_stream(h: Handler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    try:
        for _ in range(64):  # 4 MB, more than the test fetcher's 1 MB limit
            h.wfile.write(b"<p>" + b"y" * 65530 + b"</p>")
    except OSError:  # the client hung up at its limit
        pass


def _latin1(h: Handler) -> None:
    page = ARTICLE.format(n=7, title="Café depot hit").replace('<meta charset="utf-8">', "")
    h.send(200, page.encode("cp1252"), "text/html; charset=windows-1252")


ROUTES = {
    "/robots.txt": lambda h: h.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain"),
    "/page/1": _page(1),
    "/page/2": _page(2),
    "/redirect": lambda h: h.redirect("/page/3"),
    "/page/3": _page(3),
    "/loop/a": lambda h: h.redirect("/loop/b"),
    "/loop/b": lambda h: h.redirect("/loop/a"),
    "/gone": lambda h: h.send(404, b"<html><body>gone</body></html>"),
    "/busy": _busy_once,
    "/always-busy": lambda h: h.send(429, b"", "text/plain", Retry_After="3600"),
    "/broken": lambda h: h.send(500, b"oops", "text/plain"),
    "/slow": _slow,
    "/drip": _drip,
    "/huge": _huge_declared,
    "/huge-stream": _huge_stream,
    "/image": lambda h: h.send(200, b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "image/png"),
    "/latin1": _latin1,
    "/private/page": _page(8),
    "/to-private": lambda h: h.redirect("http://10.11.12.13/secret"),
    "/to-file": lambda h: h.redirect("file:///etc/passwd"),
}


class LocalServer(ThreadingHTTPServer):
    """The server, with what it was asked: ``hits`` per path and ``times`` (monotonic time, host, path)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: Counter = Counter()
        self.times: list[tuple[float, str, str]] = []
        self.slow_seconds = 3.0
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def handle_error(self, request, client_address) -> None:
        """Quiet: a client that hangs up early (at its size limit or timeout) is what some tests do."""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
