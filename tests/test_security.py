"""No script from an article ever runs: payloads in titles, quotes, urls, actors, targets, place names and
every other field, through the released ``geomap map`` command, in the default page (Leaflet from the CDN,
served here from the cached npm packages), the offline page and the embeddable fragment inside a host page.
Chromium opens every popup and tooltip; a ``window.__pwned`` trap, dialogs, page errors and requests show
that nothing ran, and no ``javascript:`` or ``data:`` url became a live link."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geomap import assets, frame
from geomap.cli import app
from tests.test_browser import CHROMIUM, READY, VIEWPORT, browser  # noqa: F401 - the fixture
from tests.test_render import incident

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent")
runner = CliRunner()

# Each payload sets window.__pwned or opens a dialog if it ever runs.
PAYLOADS = [
    '<script>window.__pwned="script"</script>',
    '"><img src=x onerror="window.__pwned=\'img\'">',
    "'><svg onload=window.__pwned='svg'>",
    "</script><script>alert('close')</script>",
    "<iframe src=\"javascript:parent.__pwned='iframe'\"></iframe>",
    "<a href=\"javascript:window.__pwned='a'\">link</a>",
    "<details open ontoggle=window.__pwned='toggle'>",
    "{{constructor.constructor('alert(1)')()}} ${alert(2)} \u2028\u2029<!-- -->",
]
URLS = [
    "javascript:window.__pwned='url'",
    " JaVaScRiPt:alert('url')",
    "data:text/html,<script>alert('data')</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "https://news.example.org/a\"onmouseover=\"window.__pwned='attr'",  # a real link, its quote kept inside
]
PLACES = [(35.3, 40.1), (15.3, 44.2), (49.0, 31.0), (27.0, 17.0), (17.0, -4.0), (34.5, 66.0), (3.0, 46.0)]  # apart


def hostile_geojson(path: Path) -> Path:
    """An incidents GeoJSON (as from a third party) with a payload in every text field."""
    rows = []
    for n, payload in enumerate(PAYLOADS[: len(PLACES)]):
        lat, lon = PLACES[n]
        rows.append(
            incident(
                n,
                day=date(2018, 1, 1 + n),
                event_type="air strike" if n % 2 else payload,
                actor=payload,
                target=payload,
                location=payload,
                admin1=payload,
                country=payload,
                lat=lat,
                lon=lon,
                quote=f"Quote {n}: {payload}",
                date_precision=payload,
                id=payload,
                articles=[payload],
                titles=[payload],
                urls=[URLS[n % len(URLS)]],
                published=[payload],
                geo_precision=1,
            )
        )
    frame.write(frame.to_frame(rows), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"][1]["properties"]["date"] = PAYLOADS[0]  # not a date at all
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def hostile_articles(folder: Path) -> Path:
    """Articles whose titles, urls and text carry payloads (our own short reports)."""
    folder.mkdir()
    rows = [
        ("idlib.txt", "Warplanes struck a market in Idlib on Friday {p}, killing 12 civilians, rescuers said."),
        (
            "hodeidah.md",
            "Drone strikes hit the port of Hodeidah on Monday {p}, killing three fighters, officials said.",
        ),
        ("kharkiv.txt", "Missiles struck a depot in Kharkiv on Tuesday {p}, killing two guards, officials said."),
    ]
    lines = ["file,published,title,url,source"]
    for n, (name, text) in enumerate(rows):
        (folder / name).write_text(text.format(p=PAYLOADS[n]) + "\n", encoding="utf-8")
        cells = [name, f"2018-03-0{n + 2}", PAYLOADS[n + 3], URLS[n], PAYLOADS[(n + 6) % len(PAYLOADS)]]
        lines.append(",".join('"' + c.replace('"', '""') + '"' for c in cells))
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def serve_cdn(page) -> None:
    """Answer the pinned CDN files from the npm cache and refuse everything else that is not the page."""
    files = {a.url: a for a in (*assets.LEAFLET, *assets.MARKERCLUSTER, *assets.HEAT)}

    def handle(route):
        url = route.request.url
        if url.startswith("file:"):
            return route.continue_()
        asset = files.get(url)
        if asset is None:
            return route.abort()
        route.fulfill(body=assets.text(asset), content_type="text/css" if asset.kind == "css" else "text/javascript")

    page.route("**/*", handle)


def drawn(browser, path: Path, *, online: bool) -> dict:  # noqa: F811
    """Open the page, open every popup and tooltip, and report what the page did."""
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(10_000)
    dialogs, errors, requests = [], [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("request", lambda r: requests.append(r.url))
    page.add_init_script("window.__pwned = undefined;")
    if online:
        serve_cdn(page)
    try:
        page.goto(path.as_uri())
        page.wait_for_function(READY, timeout=30_000)
        texts, links = [], []
        markers = page.locator(".geomap-marker")
        for k in range(markers.count()):
            markers.nth(k).dispatch_event("mouseover")  # the tooltip (events: boxes over the map may cover it)
            markers.nth(k).dispatch_event("click")  # the popup (the previous one closes)
            popup = page.locator(".leaflet-popup-content").last
            popup.locator(".geomap-popup").wait_for()
            texts.append(popup.inner_text())
            links += popup.locator("a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        drawn_markers = markers.count()
        controls = use_controls(page)
        return {
            **controls,
            "markers": drawn_markers,
            "pwned": page.evaluate("window.__pwned"),
            "dialogs": dialogs,
            "errors": [e for e in errors if "Failed to load resource" not in e],  # the refused tiles
            "requests": requests,
            "popups": texts,
            "panel": page.locator(".geomap-panel").inner_text(),
            "links": links + page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"),
            "handlers": page.evaluate(
                """() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
                     .filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"""
            ),
            "planted": page.locator("iframe, object, embed, img:not(.leaflet-tile)").count(),
        }
    finally:
        page.close()


def use_controls(page) -> dict:
    """Work every new control with the payloads: search for each (the feed lists what matches), open the feed's
    incidents and copy their links, follow #incident= links to the hostile ids and to an unknown hostile one,
    download what is shown. Returns what the page showed as text and what it downloaded."""
    search, feed = page.locator("[data-geomap='search']").first, page.locator("[data-geomap='list']").first
    shown = []
    for payload in PAYLOADS:
        search.fill(payload)
        page.wait_for_function(READY)
        shown.append(page.locator(".geomap-panel").first.inner_text() + feed.inner_text())
    search.fill("")
    page.wait_for_function(READY)
    ids = page.evaluate("Object.values(window).find(v => v instanceof L.Map).geomap.data.id")
    view = "Object.values(window).find(v => v instanceof L.Map)"
    start = page.evaluate(f"(() => {{ const m = {view}; return [m.getCenter(), m.getZoom()]; }})()")
    for k in range(feed.locator("a").count()):
        page.evaluate(f"(s) => {view}.setView(s[0], s[1], {{animate: false}})", start)  # an item zooms in
        feed.locator("a").nth(k).dispatch_event("click")
        popup = page.locator(".leaflet-popup-content").last
        popup.locator(".geomap-popup").wait_for()
        popup.locator("[data-geomap='link']").dispatch_event("click")  # no clipboard here: the address, as text
    for incident_id in [*ids, PAYLOADS[1] + " nowhere"]:
        page.evaluate("(id) => { location.hash = '#incident=' + encodeURIComponent(id); }", incident_id)
        page.wait_for_timeout(100)
        shown.append(page.locator(".geomap-notice").first.inner_text())
        shown.append(page.locator(".leaflet-popup-content").last.inner_text())
    downloads = []
    for kind in ("csv", "geojson"):
        with page.expect_download() as info:
            page.locator(f"[data-geomap='download-{kind}']").first.click()
        downloads.append(Path(info.value.path()).read_text(encoding="utf-8"))
    return {"controls": "\n".join(shown), "ids": ids, "downloads": downloads}


def check(result: dict, *, online: bool, page_url: str) -> None:
    assert result["pwned"] is None, result["pwned"]
    assert result["dialogs"] == []
    assert result["errors"] == []
    assert result["handlers"] == [] and result["planted"] == 0
    assert all(link.startswith(("https://", "http://", "#")) for link in result["links"]), result["links"]
    cdn = {a.url for a in (*assets.LEAFLET, *assets.MARKERCLUSTER, *assets.HEAT)}
    others = [u for u in result["requests"] if u != page_url and u not in cdn]
    if online:  # only map tiles besides the pinned files; nothing a payload names
        assert all("tile.openstreetmap.org" in u for u in others), others
    else:
        assert others == []


MODES = {
    "cdn": ([], True),
    "offline": (["--offline"], False),
    "embed-cdn": (["--embed"], True),
    "embed-offline": (["--embed", "--offline"], False),
}
HOST = "<!DOCTYPE html><html><head><title>Report</title></head><body><h1>Report</h1>{map}<p>End.</p></body></html>"


def write_map(tmp_path: Path, source: Path, options: list[str], name: str) -> Path:
    out = tmp_path / f"{name}.html"
    title = ["--title", PAYLOADS[0] + " title"]
    result = runner.invoke(app, ["map", str(source), *options, *title, "--no-cache", "-q", "-o", str(out)])
    assert result.exit_code == 0, result.output
    if "--embed" in options:  # pasted into a report page
        out.write_text(HOST.replace("{map}", out.read_text(encoding="utf-8")), encoding="utf-8")
    return out


@pytest.mark.parametrize("mode", MODES)
def test_payloads_in_every_field_do_not_run(browser, tmp_path, mode):  # noqa: F811
    options, online = MODES[mode]
    page = write_map(tmp_path, hostile_geojson(tmp_path / "hostile.geojson"), options, mode)
    result = drawn(browser, page, online=online)
    check(result, online=online, page_url=page.as_uri())
    assert result["markers"] == len(result["popups"]) == len(PLACES)
    shown = "\n".join(result["popups"]) + result["panel"]
    for payload in PAYLOADS[: len(PLACES)]:
        assert payload.split("\u2028")[0] in shown  # shown as text, not dropped
    assert URLS[-1] in result["links"]  # the one http(s) url is a link, its quote kept inside the attribute
    for payload in PAYLOADS[: len(PLACES)]:  # the search, the feed, the links and the notice show them as text
        assert payload.split("\u2028")[0] in result["controls"]
        assert payload in result["ids"]
    assert f"No incident \u201c{PAYLOADS[1]} nowhere\u201d" in result["controls"]
    table = json.loads(result["downloads"][1])["features"]
    assert sorted(f["properties"]["id"] for f in table) == sorted(PAYLOADS[: len(PLACES)])  # kept as data
    assert all(line.split(",")[0][:1] not in "=+-@" for line in result["downloads"][0].splitlines())  # no formulas


@pytest.mark.parametrize("mode", ["cdn", "embed-offline"])
def test_payloads_in_articles_do_not_run(browser, gaz, tmp_path, monkeypatch, mode):  # noqa: F811
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(gaz.path))
    options, online = MODES[mode]
    page = write_map(tmp_path, hostile_articles(tmp_path / "articles"), options, mode)
    result = drawn(browser, page, online=online)
    check(result, online=online, page_url=page.as_uri())
    assert result["markers"] == 3
    shown = "\n".join(result["popups"])
    for payload in PAYLOADS[:6]:  # in the quotes, and as titles
        assert payload in shown
