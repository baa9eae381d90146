"""The controls analysts work with, in Chromium (Debian's, driven by playwright): the link to an incident, the
search, the downloads (compared with the GeoJSON of the same incidents), play, the feed of incidents in view,
the counts per period; two maps embedded in one page working independently; bad input (long quotes with
markup, no dates or figures, 100,000 incidents at one spot, an unknown #incident= id). Every page here is
offline: it must make no request besides itself and log no error."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geomap import frame, render
from tests.test_browser import CHROMIUM, READY, VIEWPORT, Page, browser, open_map  # noqa: F401 - fixtures
from tests.test_render import incident, make_frame

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent")
CONTRACT = [  # the incident columns of ../shared/CONTRACT.md, and the article lists `extract` writes beside them
    "id", "date", "date_precision", "event_type", "actor", "target", "location", "country", "admin1",
    "geo_precision", "killed_min", "killed_max", "injured_min", "injured_max", "articles", "source_count",
    "quote", "historical", "titles", "urls", "published",
]  # fmt: skip


def hook(page: Page, name: str, within: str = ".geomap-map"):
    return page.page.locator(f"{within} [data-geomap='{name}']")


def count(page: Page, within: str = ".geomap-map") -> int:
    return int(hook(page, "count", within).inner_text())


def search(page: Page, text: str, within: str = ".geomap-map") -> None:
    hook(page, "search", within).fill(text)
    page.wait()


def popup_id(page: Page, within: str = ".geomap-map") -> str:
    text = page.page.locator(f"{within} .leaflet-popup-content .gp-id").inner_text()
    return text.split("incident ", 1)[1].split(" \u00b7 ")[0]


def download(page: Page, kind: str, within: str = ".geomap-map") -> str:
    with page.page.expect_download() as info:
        hook(page, f"download-{kind}", within).click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def geojson_rows(gdf: gpd.GeoDataFrame) -> dict[str, dict]:
    """The incidents as `geomap extract` writes them, by id."""
    return {f["id"]: f for f in json.loads(frame.to_geojson(gdf))["features"]}


def check_downloads(page: Page, gdf: gpd.GeoDataFrame, ids: list[str], within: str = ".geomap-map") -> None:
    """Both downloads hold exactly the incidents ``ids``, with the values of the GeoJSON."""
    expected = geojson_rows(gdf)
    got = json.loads(download(page, "geojson", within))["features"]
    assert sorted(f["id"] for f in got) == sorted(ids)
    for feature in got:
        want = expected[feature["id"]]
        assert feature["properties"] == {c: want["properties"][c] for c in CONTRACT}
        assert feature["geometry"]["coordinates"] == pytest.approx(want["geometry"]["coordinates"], abs=1e-5)
    rows = list(csv.DictReader(io.StringIO(download(page, "csv", within))))
    assert list(rows[0]) == [*CONTRACT, "lon", "lat"] if rows else True
    assert sorted(r["id"] for r in rows) == sorted(ids)
    for row in rows:
        want = expected[row["id"]]["properties"]
        for c in CONTRACT:
            value = want[c]
            text = (
                ""
                if value is None
                else json.dumps(value, ensure_ascii=False)
                if isinstance(value, list)
                else str(value)
            )
            assert row[c] == text, (row["id"], c)


def clean(page: Page) -> None:
    assert page.requests == [page.url.split("#")[0]] or page.requests == [page.url]
    assert page.errors == []


# -- link to an incident -------------------------------------------------------------------------------


def test_link_opens_the_right_popup_and_the_control_copies_it(browser, tmp_path):  # noqa: F811
    path = tmp_path / "map.html"
    render.save(render.incident_map(make_frame(12), offline=True), path)
    context = browser.new_context(viewport=VIEWPORT)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(path.as_uri() + "#incident=inc0007")
        page.wait_for_function(READY)
        popup = page.locator(".leaflet-popup-content")
        assert "incident inc0007" in popup.inner_text() and "Town 7" in popup.inner_text()
        centre = page.evaluate("() => Object.values(window).find(v => v instanceof L.Map).getCenter()")
        assert abs(centre["lat"] - make_frame(12).geometry.y[7]) < 0.1  # zoomed to it
        popup.locator("[data-geomap='link']").click()
        page.wait_for_timeout(200)
        assert page.evaluate("navigator.clipboard.readText()") == path.as_uri() + "#incident=inc0007"
        assert "link copied" in popup.inner_text()
        page.evaluate("location.hash = '#incident=inc0002'")  # a link pasted into the same page
        page.wait_for_timeout(300)
        assert "incident inc0002" in page.locator(".leaflet-popup-content").last.inner_text()
    finally:
        context.close()


def test_unknown_incident_id_is_reported_and_the_page_works(open_map, tmp_path):  # noqa: F811
    page = open_map(offline=True)
    page.page.goto(page.url + "#incident=no-such-incident")
    page.wait()
    notice = page.page.locator(".geomap-notice")
    assert notice.is_visible() and "no-such-incident" in notice.inner_text()
    assert count(page) == 12 and page.drawn() == 12
    search(page, "russian")
    assert count(page) == 4
    assert page.errors == []


# -- search, together with the other filters ---------------------------------------------------------


def test_search_by_actor_type_place_target_and_quote(open_map):  # noqa: F811
    page = open_map(offline=True)
    for text, expected in [
        ("russian", 4),  # actor
        ("MISSILE", 4),  # event type, any case
        ("town 10", 1),  # place: both words ("Town 10")
        ("islamic state", 12),  # target
        ("positions near", 12),  # quote
        ("dayr zawr town 3", 1),  # words anywhere, in any field
        ("", 12),
    ]:
        search(page, text)
        assert count(page) == expected == page.shown() == page.drawn(), text
    search(page, "qqqq")
    assert count(page) == 0 and "No incident matches" in page.page.locator(".gp-hint").inner_text()
    assert page.errors == []


def test_search_ignores_accents_and_marks(open_map):  # noqa: F811
    gdf = frame.to_frame(
        [
            incident(1, location="Dar\u2018\u0101", admin1="\u1e28am\u0101h"),
            incident(2, location="Deir ez-Zor", quote="Strikes hit S\u00e3o Tom\u00e9 and \u0141\u00f3d\u017a."),
            incident(3, location="Mosul"),
        ]
    )
    page = open_map(gdf, offline=True)
    for text, expected in [("dara", 1), ("HAMAH", 1), ("deir ez zor", 1), ("sao tome", 1), ("lodz", 1)]:
        search(page, text)
        assert count(page) == expected, text


def test_search_combines_with_type_time_and_undated_filters_and_downloads_what_is_shown(open_map):  # noqa: F811
    gdf = make_frame(12)
    page = open_map(gdf, offline=True)
    search(page, "drone")  # incidents 2, 5, 8 and 11 (undated)
    assert count(page) == 4
    page.page.get_by_text("undated (1)").click()
    page.wait()
    assert count(page) == 3
    until = page.page.get_by_label("Until date")
    until.focus()
    page.page.keyboard.press("Home")  # until the first day: none of the drone attacks
    page.wait()
    assert count(page) == 0 and "lie outside the other filters" in page.page.locator(".gp-hint").inner_text()
    page.page.keyboard.press("End")
    page.wait()
    page.page.locator(".geomap-panel label", has_text="drone attack").locator("input").uncheck()
    page.wait()
    assert count(page) == 0
    page.page.locator(".geomap-panel label", has_text="drone attack").locator("input").check()
    search(page, "us-led")  # 0, 3, 6, 9: the air strikes of the US-led coalition
    assert count(page) == 4
    check_downloads(page, gdf, ["inc0000", "inc0003", "inc0006", "inc0009"])
    clean(page)


# -- downloads ---------------------------------------------------------------------------------------


def test_downloads_of_everything_match_the_geojson(open_map):  # noqa: F811
    gdf = make_frame(12)
    page = open_map(gdf, offline=True)
    check_downloads(page, gdf, [f"inc{n:04d}" for n in range(12)])
    search(page, "qqqq")
    check_downloads(page, gdf, [])  # nothing shown: the header only
    clean(page)


# -- play ------------------------------------------------------------------------------------------------


def test_play_moves_the_window_to_the_end_and_a_second_press_stops(open_map):  # noqa: F811
    page = open_map(offline=True)
    play, until = hook(page, "play"), page.page.get_by_label("Until date")
    last = until.get_attribute("max")
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    page.page.wait_for_timeout(700)
    play.click()  # stops
    assert play.get_attribute("aria-pressed") == "false"
    stopped = until.input_value()
    assert stopped < last
    page.page.wait_for_timeout(700)
    assert until.input_value() == stopped  # it stays stopped

    play.click()  # plays on from there to the end
    page.page.wait_for_function(
        "() => document.querySelector('[data-geomap=play]').getAttribute('aria-pressed') === 'false'", timeout=30_000
    )
    page.wait()
    assert until.input_value() == last
    lo = int(page.page.get_by_label("From date").input_value())
    days = [d and (date.fromisoformat(d) - date(1970, 1, 1)).days for d in map(frame.iso_day, make_frame(12)["date"])]
    in_window = sum(1 for d in days if d is not None and d >= lo) + days.count(None)
    assert count(page) == in_window < 12 and page.drawn() == in_window
    clean(page)


# -- feed and counts per period ------------------------------------------------------------------------


def test_feed_lists_the_incidents_in_view_newest_first_and_opens_them(open_map):  # noqa: F811
    page = open_map(offline=True)
    feed = hook(page, "list")
    items = feed.locator("li")
    assert items.count() == 12
    dates = [items.nth(k).locator(".gf-date").inner_text() for k in range(12)]
    assert dates[0] == "2017-10-28" and dates[-1] == "date unknown" and dates[:-1] == sorted(dates[:-1], reverse=True)
    assert "killed" in items.first.inner_text() and "Town 10" in items.first.inner_text()

    page.set_view(35.3, 40.1, 12)
    page.page.wait_for_timeout(300)
    assert items.count() == 3  # the three at one spot
    assert {items.nth(k).locator(".gf-place").inner_text().split(",")[0] for k in range(3)} == {
        "Town 0",
        "Town 1",
        "Town 2",
    }
    page.page.locator(".geomap-panel label", has_text="missile strike").locator("input").uncheck()
    page.wait()
    assert items.count() == 2  # follows the filters too
    items.first.locator("a").click()
    assert popup_id(page) == "inc0002"
    clean(page)


def test_counts_of_incidents_and_killed_per_period(open_map):  # noqa: F811
    page = open_map(offline=True)
    readout = hook(page, "periods")
    assert readout.inner_text().startswith("busiest week: ")
    box = page.page.locator(".geomap-time svg").bounding_box()
    periods = int(page.page.locator(".geomap-time svg").get_attribute("viewBox").split()[2])
    page.page.mouse.move(box["x"] + box["width"] * 0.5 / periods, box["y"] + 10)  # the first week's bars
    assert readout.inner_text() == "week of 2016-12-26: 1 incident, 0 killed"
    last_week = box["x"] + box["width"] * (periods - 0.5) / periods
    page.page.mouse.move(last_week, box["y"] + 10)
    assert readout.inner_text() == "week of 2017-10-23: 1 incident, 10 killed"
    page.page.locator(".geomap-panel label", has_text="missile strike").locator("input").uncheck()
    page.wait()
    page.page.mouse.move(last_week, box["y"] + 12)
    assert readout.inner_text() == "week of 2017-10-23: 0 incidents, 0 killed"  # after the filters


# -- two maps in one page ------------------------------------------------------------------------------


def other_frame() -> gpd.GeoDataFrame:
    return frame.to_frame(
        [incident(n, id=f"other{n}", event_type="artillery", location=f"Village {n}", lat=48 + n / 10, lon=37)
         for n in range(5)]
    )  # fmt: skip


def test_two_maps_embedded_in_one_page_work_independently(browser, tmp_path):  # noqa: F811
    first, second = make_frame(12), other_frame()
    fragments = [render.to_html(render.incident_map(g, offline=True), embed=True) for g in (first, second)]
    host = tmp_path / "report.html"
    host.write_text(
        "<!DOCTYPE html><html><body><h1>Report</h1>" + fragments[0] + "<p>Between the maps.</p>" + fragments[1]
        + "</body></html>",
        encoding="utf-8",
    )  # fmt: skip
    page = Page(browser, host)
    page.page.goto(host.as_uri() + "#incident=other3")
    page.page.wait_for_function(
        "() => [...document.querySelectorAll('.geomap-map')].every(e => e.dataset.geomapReady === '1')"
    )
    maps = page.page.locator(".geomap-map")
    a, b = f"#{maps.nth(0).get_attribute('id')}", f"#{maps.nth(1).get_attribute('id')}"
    assert popup_id(page, b) == "other3"  # the map holding it opened it
    assert page.page.locator(f"{a} .leaflet-popup-content").count() == 0
    assert page.page.locator(".geomap-notice:visible").count() == 0

    search(page, "russian", a)
    assert count(page, a) == 4 and count(page, b) == 5
    search(page, "village 2", b)
    assert count(page, a) == 4 and count(page, b) == 1
    check_downloads(page, second, ["other2"], b)
    check_downloads(page, first, ["inc0001", "inc0004", "inc0007", "inc0010"], a)
    page.page.evaluate(  # the second map was zoomed to other3: back to all its villages
        f"() => Object.values(window).find(v => v instanceof L.Map && '#' + v.getContainer().id === '{b}').setZoom(7)"
    )
    page.page.wait_for_timeout(300)
    assert hook(page, "list", a).locator("li").count() == 4 and hook(page, "list", b).locator("li").count() == 1

    hook(page, "play", b).click()  # one map plays, the other stays
    page.page.wait_for_timeout(600)
    assert hook(page, "play", a).get_attribute("aria-pressed") == "false"
    assert page.page.locator(f"{a} [aria-label='Until date']").input_value() == page.page.locator(
        f"{a} [aria-label='Until date']"
    ).get_attribute("max")
    hook(page, "play", b).click()

    page.page.evaluate("location.hash = '#incident=nowhere'")
    page.page.wait_for_timeout(300)
    assert page.page.locator(".geomap-notice:visible").count() == 2  # each map says it does not hold it
    assert page.requests == [host.as_uri()] and page.errors == []
    page.close()


# -- bad input -----------------------------------------------------------------------------------------


def test_long_quotes_with_markup_and_incidents_without_dates_or_figures(open_map):  # noqa: F811
    quote = "<b>Bold</b> <script>window.__x=1</script> & words " * 220  # about 10,000 characters
    gdf = frame.to_frame(
        [
            incident(1, quote=quote[:10_000]),
            incident(2, day=None, killed_min=None, killed_max=None, injured_min=None, injured_max=None),
            incident(3, day=None, killed_min=None, killed_max=None, event_type=None, actor=None, target=None),
        ]
    )
    page = open_map(gdf, offline=True)
    assert count(page) == 3
    items = hook(page, "list").locator("li")
    texts = [items.nth(k).inner_text() for k in range(items.count())]
    assert sum("date unknown" in t and "killed: not reported" in t for t in texts) == 2
    page.page.goto(page.url + "#incident=inc0001")
    page.wait()
    quote_box = page.page.locator(".leaflet-popup-content blockquote")
    assert quote_box.inner_text().startswith("<b>Bold</b> <script>")  # text, not markup
    assert quote_box.bounding_box()["height"] < 250  # scrolls inside the popup
    search(page, "window.__x")
    assert count(page) == 1
    rows = json.loads(download(page, "geojson"))["features"]
    assert len(rows[0]["properties"]["quote"]) == 10_000
    assert page.page.evaluate("window.__x") is None
    clean(page)


def one_spot(n: int) -> gpd.GeoDataFrame:
    """``n`` incidents at one point, a day apart, some without figures."""
    days = pd.date_range("2020-01-01", periods=n, freq="D").strftime("%Y-%m-%d")
    killed = pd.array(np.where(np.arange(n) % 3 == 0, None, np.arange(n) % 7), dtype="Int64")
    table = pd.DataFrame(
        {
            "id": [f"spot{k:06d}" for k in range(n)],
            "date": days,
            "event_type": np.where(np.arange(n) % 2 == 0, "air strike", "artillery"),
            "actor": "forces",
            "location": "One Spot",
            "country": "SY",
            "killed_min": killed,
            "killed_max": killed,
            "geo_precision": 1,
            "quote": [f"Report {k} of shelling at the one spot." for k in range(n)],
            "articles": [[f"a{k}"] for k in range(n)],
        }
    )
    return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy([38.5] * n, [35.5] * n), crs=4326)


def test_one_hundred_thousand_incidents_at_one_spot(open_map):  # noqa: F811
    n = 100_000
    page = open_map(one_spot(n), offline=True)
    assert count(page) == n and page.drawn() == n
    assert "99,900 older" in page.page.locator(".gf-more").inner_text()
    page.set_view(35.5, 38.5, 18)
    page.wait()
    page.page.locator(".geomap-cluster").first.click()
    listing = page.page.locator(".leaflet-popup-content .geomap-list")
    assert listing.inner_text().startswith("100,000 incidents at this spot (the first 200)")
    assert listing.locator("li").count() == 200
    search(page, "report 12345 ")
    assert count(page) == 1
    clean(page)
