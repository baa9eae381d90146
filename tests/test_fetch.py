"""Link lists and polite downloads, against a web server on 127.0.0.1: pages, redirects and loops, 404,
429 with Retry-After, 5xx, slow and dripping answers, huge and binary ones, robots.txt, the per-host delay,
the cache of pages, and addresses that are refused (private, loopback, file://) unless allowed."""

from __future__ import annotations

import itertools
import json
import socket
from datetime import date

import pytest
from typer.testing import CliRunner

from geomap.articles import Fetcher, read_articles
from geomap.articles.fetch import FetchError
from geomap.cli import app
from geomap.records import Article, ArticleError
from tests.webserver import LocalServer

LOOPBACK = ["127.0.0.1/32"]


@pytest.fixture
def server():
    with LocalServer() as srv:
        yield srv


def fetcher(**options) -> Fetcher:
    settings = {"delay": 0.0, "timeout": 1.0, "deadline": 2.0, "max_bytes": 2**20, "allow_private": LOOPBACK}
    return Fetcher(None, **{**settings, **options})


def reason(f: Fetcher, url: str) -> str:
    with pytest.raises(FetchError) as caught:
        f.get(url)
    return str(caught.value)


def test_a_page_and_a_redirect(server):
    f = fetcher()
    page = f.get(server.base + "/page/1")
    assert (page.final_url, page.cached) == (server.base + "/page/1", False) and b"Tall Abyad" in page.body
    moved = f.get(server.base + "/redirect")
    assert moved.url == server.base + "/redirect" and moved.final_url == server.base + "/page/3"


@pytest.mark.parametrize(
    ("path", "expected", "hits"),
    [
        ("/gone", "HTTP 404 Not Found", 1),
        ("/loop/a", "redirect loop", 1),
        ("/always-busy", "HTTP 429 Too Many Requests (asked to wait 3600 s, more than 60 s)", 1),
        ("/broken", "HTTP 500 Internal Server Error (2 tries)", 2),  # one retry
        ("/slow", "timed out (2 tries)", 2),
        ("/drip", "too slow (not done after 2 s)", 1),
        ("/huge", "too large (500.0 MB > 1 MB)", 1),  # declared: the body is never read
        ("/huge-stream", "too large (more than 1 MB)", 1),
        ("/image", "not a web page (content type image/png)", 1),
        ("/private/page", "robots.txt of 127.0.0.1 does not allow this page", 0),
        ("/to-private", "10.11.12.13 is a private or local address", 1),  # refused before any connection
        ("/to-file", "a file:// link: not read", 1),
    ],
)
def test_failures_are_one_line_reasons(server, path, expected, hits):
    assert expected in reason(fetcher(), server.base + path)
    assert server.hits[path] == hits


def test_429_retry_after_is_waited_for(server):
    f = fetcher()
    f.get(server.base + "/page/1")  # robots.txt read first
    page = f.get(server.base + "/busy")  # 429 with Retry-After: 1, then the page
    assert b"raid 5" in page.body and server.hits["/busy"] == 2
    (first, _, _), (second, _, _) = [t for t in server.times if t[2] == "/busy"]
    assert second - first >= 0.95


def test_robots_txt_read_once_and_the_delay_between_requests_to_a_host(server):
    f = fetcher(delay=0.3)
    for path in ("/page/1", "/page/2", "/redirect"):  # the redirect's target is a fourth request
        f.get(server.base + path)
    assert server.hits["/robots.txt"] == 1
    times = [t for t, _, _ in server.times]
    assert len(times) == 5 and all(b - a >= 0.29 for a, b in itertools.pairwise(times))


def test_an_unreachable_robots_txt_stops_the_site(server, monkeypatch):
    from tests import webserver

    monkeypatch.setitem(webserver.ROUTES, "/robots.txt", lambda h: h.send(503, b"down", "text/plain"))
    assert "robots.txt of 127.0.0.1 could not be read (HTTP 503" in reason(fetcher(retries=0), server.base + "/page/1")
    assert server.hits["/page/1"] == 0


def test_the_cache_of_pages_means_no_second_request(server, tmp_path):
    first = Fetcher(tmp_path / "pages.sqlite", delay=0, allow_private=LOOPBACK)
    assert not first.get(server.base + "/redirect").cached
    first.close()
    again = Fetcher(tmp_path / "pages.sqlite", delay=0, allow_private=LOOPBACK)
    page = again.get(server.base + "/redirect")
    assert page.cached and page.final_url == server.base + "/page/3" and b"raid 3" in page.body
    assert server.hits["/redirect"] == server.hits["/page/3"] == 1 and again.fetched == 0


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]", "169.254.169.254"])
def test_private_and_local_addresses_are_refused_by_default(server, host, monkeypatch):
    port = server.server_address[1]
    connect = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connect.append(a) or pytest.fail("connected"))
    assert "is a private or local address" in reason(Fetcher(None, delay=0), f"http://{host}:{port}/page/1")
    assert not connect and not server.hits


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("file:///etc/passwd", "a file:// link: not read"),
        ("ftp://example.org/x.html", "unsupported link"),
        ("http://0.0.0.0/", "no address to fetch from"),
        ("http://:80/", "no host"),
    ],
)
def test_links_that_are_never_fetched(url, expected):
    assert expected in reason(Fetcher(None, allow_private=True), url)


# -- link lists through read_articles ----------------------------------------------------------------------------


def link_list(tmp_path, server, name: str = "links.txt") -> list[str]:
    urls = [server.base + p for p in ("/page/1", "/redirect", "/gone", "/image", "/latin1")]
    lines = ["# saved on Monday", *urls, "", "file:///etc/passwd", urls[0]]
    (tmp_path / name).write_text("\n".join(lines) + "\n")
    return urls


def test_without_a_fetcher_no_link_touches_the_network(tmp_path, server, monkeypatch):
    urls = link_list(tmp_path, server)

    def refuse(*args, **kwargs):
        raise AssertionError("network used without --fetch")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    items = list(read_articles([tmp_path / "links.txt"]))
    assert [type(i) for i in items] == [ArticleError] * 7
    assert [i.id for i in items[:5]] == urls and all("--fetch downloads it" in i.reason for i in items[:5])
    assert "file:// link: not read" in items[5].reason and "the same link as line 2" in items[6].reason
    assert not server.hits


def test_a_link_list_fetched(tmp_path, server):
    urls = link_list(tmp_path, server)
    items = list(read_articles([tmp_path / "links.txt"], fetch=fetcher()))
    by_id = {}
    for item in items:
        by_id.setdefault(item.id, []).append(item)
    page, moved, latin1 = by_id[urls[0]][0], by_id[urls[1]][0], by_id[urls[4]][0]
    assert isinstance(page, Article) and isinstance(moved, Article) and isinstance(latin1, Article)
    assert page.text.startswith("Depot hit in raid 1\n\nWarplanes struck an ammunition depot")
    assert "Read more" not in page.text and "Copyright" not in page.text and "Home" not in page.text
    assert (page.title, page.source, page.url) == ("Depot hit in raid 1", "Test Wire", "https://wire.example/1")
    assert (page.published, page.date_source) == (date(2019, 3, 1), "metadata")
    assert moved.title == "Depot hit in raid 3"
    assert latin1.title == "Café depot hit" and "Café depot hit" in latin1.text  # charset from the server
    assert "HTTP 404" in by_id[urls[2]][0].reason and "image/png" in by_id[urls[3]][0].reason
    assert "file:// link" in by_id["file:///etc/passwd"][0].reason
    assert "the same link as line 2" in by_id[urls[0]][1].reason
    assert server.hits[urls[0].removeprefix(server.base)] == 1


def test_a_csv_table_of_links_gives_its_metadata(tmp_path, server):
    table = tmp_path / "links.csv"
    table.write_text(
        "url,title,published,source\n"
        f"{server.base}/page/1,Listed title,2020-05-06,Listed source\n"
        f"{server.base}/page/2,,not a date,\n"
    )
    first, warning, second = read_articles([table], fetch=fetcher())
    assert (first.title, first.published, first.date_source, first.source) == (
        "Listed title",
        date(2020, 5, 6),
        "manifest",
        "Listed source",
    )
    assert isinstance(warning, ArticleError) and "bad published date 'not a date'" in warning.reason
    assert (second.title, second.published) == ("Depot hit in raid 2", date(2019, 3, 2))


def test_a_text_file_with_prose_is_an_article_not_a_list(tmp_path):
    (tmp_path / "a.txt").write_text("See https://example.org/report for the full report.\nhttps://example.org/x\n")
    (item,) = read_articles([tmp_path / "a.txt"])
    assert isinstance(item, Article) and item.text.startswith("See https://")


# -- the command -------------------------------------------------------------------------------------------------


def test_run_fetch_reports_each_failure_and_caches_the_pages(tmp_path, server, gaz, monkeypatch):
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(gaz.path))
    monkeypatch.setenv("GEOMAP_CACHE", str(tmp_path / "cache"))
    link_list(tmp_path, server)
    args = ["run", str(tmp_path / "links.txt"), "--fetch", "--allow-private", "--fetch-delay", "0", "-j", "1"]
    done = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert (report["articles_read"], report["pages_fetched"], report["pages_from_cache"]) == (3, 3, 0)
    reasons = " | ".join(e["reason"] for e in report["errors"])
    assert "HTTP 404" in reasons and "image/png" in reasons and "file:// link" in reasons
    features = json.loads((tmp_path / "out" / "incidents.geojson").read_text())["features"]
    assert any(f["properties"]["location"].startswith("Tall Abya") for f in features)
    pages = ("/page/1", "/redirect", "/page/3", "/latin1")
    assert [server.hits[p] for p in pages] == [1, 1, 1, 1]

    again = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "again")])
    assert again.exit_code == 0, again.output
    report = json.loads((tmp_path / "again" / "report.json").read_text())
    assert (report["articles_read"], report["pages_fetched"], report["pages_from_cache"]) == (3, 0, 3)
    assert [server.hits[p] for p in pages] == [1, 1, 1, 1]  # pages come from the cache; failures are asked again
    assert server.hits["/gone"] == server.hits["/image"] == 2


def test_allow_private_needs_fetch(tmp_path):
    (tmp_path / "links.txt").write_text("http://127.0.0.1:9/x\n")
    done = CliRunner().invoke(app, ["extract", str(tmp_path / "links.txt"), "--allow-private", "-o", "x.geojson"])
    assert done.exit_code == 2 and "--allow-private: only with --fetch" in done.output
