"""The map in a real browser: Debian's Chromium driven by playwright (never `playwright install`).

Clusters add up to the incidents, popups open with their text, the time slider and the toggles change
what is shown, offline pages make no request at all and log no error, article payloads do not run.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from geomap import assets, render
from tests.test_render import XSS_QUOTE, XSS_TITLE, make_frame, xss_frame

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent (.ci/run installs Debian's chromium package)"
)
VIEWPORT = {"width": 1400, "height": 900}
READY = "() => { const e = document.querySelector('.geomap-map'); return e && e.dataset.geomapReady === '1'; }"


@pytest.fixture(scope="module")
def browser():
    if assets.missing():
        assets.fetch_all()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=render.CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A page that records every request, console error and page error."""

    def __init__(self, browser, path: Path):
        self.url = path.as_uri()
        self.page = browser.new_page(viewport=VIEWPORT)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self) -> Page:
        self.page.goto(self.url)
        self.wait()
        return self

    def wait(self) -> None:
        self.page.wait_for_function(READY, timeout=30_000)

    def shown(self) -> int:
        return int(self.page.evaluate("document.querySelector('.geomap-map').dataset.shown"))

    def drawn(self) -> int:
        """Incidents on screen: the clusters' counts plus the single markers."""
        return self.page.evaluate(
            """() => [...document.querySelectorAll('.geomap-cluster span')].reduce((s, e) => s + +e.textContent, 0)
                   + document.querySelectorAll('.geomap-marker').length"""
        )

    def set_view(self, lat: float, lon: float, zoom: float, within: str = ".geomap-map") -> None:
        """Move the map in ``within`` to a point and zoom, without animation."""
        self.page.evaluate(
            """([within, lat, lon, zoom]) => Object.values(window)
                 .find(v => v instanceof L.Map && v.getContainer().matches(within))
                 .setView([lat, lon], zoom, {animate: false})""",
            [within, lat, lon, zoom],
        )

    def click_marker(self) -> None:
        """Click a single marker that nothing covers (the boxes drawn over the map, other markers)."""
        point = self.page.evaluate(
            """() => { for (const e of document.querySelectorAll('.geomap-marker')) {
                 const r = e.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
                 if (e.contains(document.elementFromPoint(x, y))) return [x, y]; } return null; }"""
        )
        assert point, "no single marker in view"
        self.page.mouse.click(*point)
        self.page.wait_for_selector(".leaflet-popup-content .geomap-popup")

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def open_map(browser, tmp_path):
    pages = []

    def opener(gdf=None, *, embed=False, host=None, **options) -> Page:
        m = render.incident_map(make_frame(12) if gdf is None else gdf, **options)
        path = tmp_path / f"map{len(pages)}.html"
        text = render.to_html(m, embed=embed)
        path.write_text(host.replace("{map}", text) if host else text, encoding="utf-8")
        page = Page(browser, path)
        pages.append(page)
        return page.open()

    yield opener
    for page in pages:
        page.close()


def test_offline_page_makes_no_request_and_logs_no_error(open_map):
    page = open_map(offline=True, heatmap=True)
    page.click_marker()
    page.page.get_by_label("Heatmap").check()
    page.page.wait_for_selector("canvas.leaflet-heatmap-layer")
    page.page.mouse.wheel(0, -300)  # zoom: draws uncertainty circles and country labels at a new level
    page.page.wait_for_timeout(500)
    assert page.requests == [page.url]
    assert page.errors == []
    # the Natural Earth basemap with the names in view: countries, and cities from the gazetteer
    assert page.page.locator(".geomap-country").count() >= 1 and page.page.locator(".geomap-city").count() > 10


def test_offline_basemap_names_more_cities_and_outlines_regions_as_one_zooms_in(open_map):
    page = open_map(offline=True)
    cities, regions = page.page.locator(".geomap-city span"), page.page.locator("path.geomap-region")
    page.set_view(35.3, 40.1, 4)  # the whole region: capitals and the largest cities, no region outlines
    page.page.wait_for_timeout(200)
    wide = cities.all_inner_texts()
    assert "Beirut" in wide and "Deir ez-Zor" not in wide and regions.count() == 0
    page.set_view(35.3, 40.1, 6)
    page.page.wait_for_timeout(200)
    assert "Deir ez-Zor" in cities.all_inner_texts() and regions.count() > 0
    page.set_view(37.19, 40.58, 7)  # Kiziltepe, a smaller town, is named from zoom 8 (beside Mardin)
    page.page.wait_for_timeout(200)
    assert "K\u0131z\u0131ltepe" not in cities.all_inner_texts()
    page.set_view(37.19, 40.58, 8)
    page.page.wait_for_timeout(200)
    assert "K\u0131z\u0131ltepe" in cities.all_inner_texts()
    assert page.requests == [page.url] and page.errors == []


def test_clusters_add_up_to_the_incidents(open_map):
    page = open_map(offline=True)
    assert page.shown() == 12
    assert page.drawn() == 12
    assert page.page.locator(".geomap-cluster").count() >= 1  # some are clustered at the fitted view


def test_popup_opens_and_shows_its_text(open_map):
    page = open_map(offline=True)
    page.click_marker()
    popup = page.page.locator(".leaflet-popup-content")
    text = popup.inner_text()
    for label in ("Date", "Place", "precision", "Actor", "Target", "Killed", "Injured", "Reported by 1 article"):
        assert label in text
    assert "Quote number" in text and "Title of article" in text
    link = popup.locator("ol a")
    assert link.get_attribute("href").startswith("https://news.example.org/")
    assert link.get_attribute("rel") == "noopener noreferrer"


def test_time_slider_changes_what_is_shown(open_map):
    page = open_map(offline=True)
    until = page.page.get_by_label("Until date")
    until.focus()
    page.page.keyboard.press("Home")  # until = the first date: one dated incident left, and the undated one
    page.wait()
    assert page.shown() == 2 and page.drawn() == 2
    assert "2017-01-01" in page.page.locator(".gt-range").inner_text()
    page.page.get_by_text("undated (1)").click()
    page.wait()
    assert page.shown() == 1
    page.page.keyboard.press("End")
    until.focus()
    page.page.keyboard.press("End")
    page.wait()
    assert page.shown() == 11 and page.drawn() == 11


def test_layer_toggles_by_event_type_and_by_actor(open_map):
    page = open_map(offline=True)
    panel = page.page.locator(".geomap-panel")
    panel.locator("label", has_text="missile strike").locator("input").uncheck()
    page.wait()
    assert page.shown() == 8 and page.drawn() == 8
    panel.locator("label", has_text="Russian forces").locator("input").uncheck()  # the missile strikes' actor
    page.wait()
    assert page.shown() == 8
    panel.locator("label", has_text="US-led coalition").locator("input").uncheck()
    page.wait()
    assert page.shown() == 4 and page.drawn() == 4  # the drone attacks, actor not stated
    panel.locator("details", has_text="Event type").get_by_role("button", name="none").click()
    page.wait()
    assert page.shown() == 0 and page.drawn() == 0
    panel.locator("details", has_text="Event type").get_by_role("button", name="all").click()
    panel.locator("details", has_text="Actor").get_by_role("button", name="all").click()
    page.wait()
    assert page.shown() == 12 and page.drawn() == 12


def test_article_payloads_do_not_run(open_map):
    page = open_map(xss_frame(), offline=True)
    texts, planted = [], 0
    for marker in page.page.locator(".geomap-marker").all():
        marker.hover()  # the tooltip
        marker.click()  # the popup
        page.page.wait_for_timeout(300)  # the previous popup fades out
        texts.append(page.page.locator(".leaflet-popup-content").inner_text())
        planted += page.page.locator(
            ".leaflet-popup-content :is(img, script, iframe, [onerror], [onload], a[href^='javascript'])"
        ).count()
    assert len(texts) == 2
    assert page.page.evaluate("window.__xss") is None
    shown = " ".join(texts)
    assert XSS_TITLE in shown and XSS_QUOTE in shown  # shown as text
    assert '<svg onload="window.__xss=4">' in shown and '"><img src=y onerror=window.__xss=6>' in shown
    assert planted == 0  # no element was made from the payloads
    assert page.page.locator("a[href^='javascript']").count() == 0
    assert page.page.locator("img").count() == 0
    assert page.requests == [page.url]  # no src=x image was ever requested
    assert page.errors == []


def test_large_set_clusters_and_filters_with_the_same_popups(open_map):
    n = render.FAST_ABOVE + 500
    page = open_map(make_frame(n), offline=True)
    assert page.shown() == n and page.drawn() == n
    page.page.locator(".geomap-panel label", has_text="drone attack").locator("input").uncheck()
    page.wait()
    assert page.shown() == n - n // 3 and page.drawn() == page.shown()
    page.page.locator(".geomap-cluster").first.click()  # zooms in, eventually to single markers
    for _ in range(8):
        page.page.wait_for_timeout(400)
        if page.page.locator(".geomap-marker").count():
            break
        page.page.locator(".geomap-cluster").first.click()
    page.click_marker()
    assert "Reported by 1 article" in page.page.locator(".leaflet-popup-content").inner_text()
    assert page.requests == [page.url] and page.errors == []


def test_embedded_fragment_works_inside_a_host_page(open_map):
    host = "<!DOCTYPE html><html><body><h1>Report</h1><p>Text before.</p>{map}<p>Text after.</p></body></html>"
    page = open_map(offline=True, embed=True, host=host)
    assert page.drawn() == 12
    box = page.page.locator(".geomap-embed").bounding_box()
    assert box["height"] == 600 and page.page.get_by_text("Text after.").is_visible()
    assert page.page.evaluate("getComputedStyle(document.body).margin") != "0px"  # host styles untouched
    assert page.requests == [page.url] and page.errors == []


def test_default_page_loads_the_pinned_cdn_files(browser, tmp_path):
    """The usual page asks the CDN for exactly the pinned files (served here from the npm cache) and tiles."""
    path = tmp_path / "online.html"
    render.save(render.incident_map(make_frame(12), heatmap=True), path)
    files = {a.url: a for a in (*assets.LEAFLET, *assets.MARKERCLUSTER, *assets.HEAT)}
    page = Page(browser, path)

    def serve(route):
        asset = files.get(route.request.url)
        if asset is None:
            return route.abort()  # tiles: no network here
        route.fulfill(body=assets.text(asset), content_type="text/css" if asset.kind == "css" else "text/javascript")

    page.page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else serve(route))
    page.open()
    assert page.drawn() == 12
    requested = {u for u in page.requests if not u.startswith("file:")}
    assert set(files) <= requested
    assert all(u in files or "tile.openstreetmap.org" in u for u in requested)
    assert [e for e in page.errors if "Failed to load resource" not in e] == []  # only the blocked tiles
    page.close()


def test_png_of_the_map(tmp_path):
    png = tmp_path / "map.png"
    render.to_png(render.incident_map(make_frame(12), offline=True), png, width=800, height=500)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (800, 500)
    assert len(data) > 20_000  # a drawn map, not a blank page


def leaflet_state(page: Page, expression: str):
    """Evaluate ``expression`` with ``g`` bound to the map's ``geomap`` state (markers, data, layers)."""
    return page.page.evaluate(
        f"() => {{ const g = Object.values(window).find(v => v && v.geomap).geomap; return {expression}; }}"
    )


def test_circles_of_uncertainty_for_imprecise_places(open_map):
    page = open_map(offline=True)
    imprecise = sum(1 for i in range(12) if 1 + i % 3 >= 2)
    assert leaflet_state(page, "g.uncertainty.getLayers().length") == imprecise
    radii = leaflet_state(page, "g.uncertainty.getLayers().map(c => c.getRadius()).sort((a, b) => a - b)")
    assert set(radii) == set(render.UNCERTAINTY_M.values())
    page.page.locator(".geomap-panel label", has_text="Location uncertainty").locator("input").uncheck()
    assert leaflet_state(page, "g.uncertainty.getLayers().length") == 0


def test_incidents_at_one_spot_are_listed_in_a_large_set(open_map):
    n = render.FAST_ABOVE + 100
    page = open_map(make_frame(n), offline=True)
    page.set_view(35.3, 40.1, 18)
    page.wait()
    page.page.locator(".geomap-cluster").first.click()
    listing = page.page.locator(".leaflet-popup-content .geomap-list")
    assert listing.inner_text().startswith("3 incidents at this spot")
    listing.locator("a").first.click()
    page.page.wait_for_timeout(300)
    assert "Reported by 1 article" in page.page.locator(".leaflet-popup-content").last.inner_text()
    assert page.errors == []
