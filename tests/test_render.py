"""The map without a browser: the payload it carries, escaping, offline and online pages, the embeddable
fragment, byte-identical output, the large-set path and the command line options."""

from __future__ import annotations

import base64
import itertools
import json
import re
import zlib
from datetime import date, timedelta

import folium
import geopandas as gpd
import pytest
from shapely.geometry import Point
from typer.testing import CliRunner

from geomap import assets, frame, render
from geomap.cli import app
from geomap.records import Incident
from geomap.render import basemap
from geomap.render import page as render_page
from geomap.render import payload as page_payload

runner = CliRunner()
XSS_TITLE = '<img src=x onerror="window.__xss=1">Strike report'
XSS_QUOTE = "Jets struck the depot <script>window.__xss=2</script> late on Saturday."
XSS_URL = "javascript:window.__xss=3"


def incident(n: int, **fields) -> Incident:
    """An incident with every field filled; ``fields`` override (``day`` sets date and publication)."""
    day = fields.pop("day", date(2017, 1, 1) + timedelta(days=30 * n))
    values = dict(
        id=f"inc{n:04d}",
        date=day,
        date_precision="day" if day else None,
        event_type="air strike",
        actor="US-led coalition",
        target="Islamic State",
        location=f"Town {n}",
        lat=35.0 + (n * 37 % 101) / 25,
        lon=38.0 + (n * 61 % 97) / 20,
        country="SY",
        admin1="Dayr az Zawr",
        geonameid=None,
        geo_precision=1,
        killed_min=n % 4 * 5 or None,
        killed_max=n % 4 * 5 or None,
        injured_min=None,
        injured_max=None,
        quote=f"Quote number {n}: coalition jets struck positions near Town {n}.",
        historical=False,
        articles=[f"article-{n}.txt"],
        titles=[f"Title of article {n}"],
        urls=[f"https://news.example.org/{n}"],
        published=[(day or date(2020, 1, 1)).isoformat()],
    )
    values.update(fields)
    return Incident(**values)


def make_frame(n: int = 12, **overrides) -> gpd.GeoDataFrame:
    """``n`` incidents over eastern Syria and Iraq (three at one spot), three event types, three actors
    (one of them "not stated"), one undated."""
    kinds = ["air strike", "missile strike", "drone attack"]
    actors = ["US-led coalition", "Russian forces", None]
    items = []
    for i in range(n):
        fields = {"event_type": kinds[i % 3], "actor": actors[i % 3], "geo_precision": 1 + i % 3}
        if i < 3:  # three reports of one town: a cluster at any zoom
            fields.update(lat=35.3, lon=40.1)
        if i == n - 1:
            fields["day"] = None
        fields.update(overrides)
        items.append(incident(i, **fields))
    return frame.to_frame(items)


def xss_frame() -> gpd.GeoDataFrame:
    """Every article-borne text carries a payload."""
    return frame.to_frame(
        [
            incident(
                1,
                titles=[XSS_TITLE],
                urls=[XSS_URL],
                quote=XSS_QUOTE,
                actor='<svg onload="window.__xss=4">',
                target="</script><script>window.__xss=5</script>",
                location='"><img src=y onerror=window.__xss=6>',
            ),
            incident(2, lat=30.0, lon=47.0),
        ]
    )


def payload(page: str, key: str = "data"):
    """Decode a payload element of a page (plain JSON or deflate + base64)."""
    m = re.search(rf'<script type="([^"]+)" id="[^"]+-{key}">(.*?)</script>', page, re.S)
    assert m, f"no {key} payload"
    kind, body = m.groups()
    if kind == "application/json":
        return json.loads(body)
    assert kind == "application/x-geomap-deflate-base64"
    return json.loads(zlib.decompress(base64.b64decode(body)))


@pytest.fixture(scope="session")
def offline_ready():
    """Offline pages need the cached npm packages (`geomap gazetteer build` fetches them)."""
    absent = assets.missing()
    if absent:
        assets.fetch_all()
        absent = assets.missing()
    assert not absent, f"run `geomap gazetteer build` first: {absent} not cached"


def test_incident_map_returns_a_folium_map_with_every_incident():
    gdf = make_frame(12)
    m = render.incident_map(gdf)
    assert isinstance(m, folium.Map)
    page = render.to_html(m)
    data = payload(page)
    assert data["n"] == 12 and len(data["lat"]) == 12
    assert [t[0] for t in data["types"]] == ["air strike", "missile strike", "drone attack"]
    assert sum(t[3] for t in data["types"]) == 12
    assert {g[0] for g in data["groups"]} == {"US-led coalition", "Russian forces", "actor not stated"}
    assert data["d"].count(-1) == 1  # one undated incident
    assert data["gp"] == [1 + i % 3 for i in range(12)]
    assert data["arts"][0] == ["Title of article 0", "https://news.example.org/0", "2017-01-01", "article-0.txt"]
    assert "<title>12 incidents, 2017-01-01 to 2017-10-28, at least 90 killed</title>" in page


def test_popup_fields_are_in_the_payload():
    data = payload(render.to_html(render.incident_map(make_frame(4))))
    i = 1
    assert data["quotes"][data["q"][i]] == "Quote number 1: coalition jets struck positions near Town 1."
    assert data["places"][data["p"][i]] == ["Town 1", "Dayr az Zawr", "SY"]
    assert data["actors"][data["ac"][i]] == "Russian forces"
    assert data["targets"][data["g"][i]] == "Islamic State"
    assert (data["km"][i], data["kx"][i]) == (5, 5)
    assert data["dps"][data["dp"][i]] == "day" and data["dates"][data["d"][i]] == "2017-01-31"
    assert data["id"][i] == "inc0001"


def test_same_frame_gives_byte_identical_html(offline_ready):
    for options in ({}, {"offline": True, "heatmap": True}):
        first = render.to_html(render.incident_map(make_frame(12), **options))
        second = render.to_html(render.incident_map(make_frame(12), **options))
        assert first == second
    embed = [render.to_html(render.incident_map(make_frame(5)), embed=True) for _ in range(2)]
    assert embed[0] == embed[1]
    assert not re.search(r"[0-9a-f]{32}", first)  # no random uuid left


def test_different_frames_get_different_element_ids():
    pages = [render.to_html(render.incident_map(make_frame(n))) for n in (3, 4)]
    names = [re.search(r'id="(map_[^"]+)"', page).group(1) for page in pages]
    assert names[0] != names[1]  # two maps embedded in one report page do not collide


def test_untrusted_texts_are_escaped_and_javascript_urls_dropped():
    page = render.to_html(render.incident_map(xss_frame()))
    for raw in ("<img src=x", "<script>window.__xss", "<svg onload", '"><img src=y', "javascript:window"):
        assert raw not in page
    data = payload(page)
    assert data["arts"][0][0] == XSS_TITLE  # kept as text, escaped in the page
    assert data["arts"][0][1] is None  # a javascript: url is not a link
    assert "\\u003cscript\\u003ewindow.__xss=2\\u003c/script\\u003e" in page
    assert page.count("</script>") == page.count("<script")  # nothing closes a script element early


def test_template_syntax_in_article_text_is_kept_as_text():
    quote = "{{ 7 * 7 }} then {% raw %} and {# a note"  # evaluated, or a build error, if compiled as a template
    page = render.to_html(render.incident_map(make_frame(3, quote=quote)))
    assert set(payload(page)["quotes"]) == {quote}


def test_title_is_escaped():
    page = render.to_html(render.incident_map(make_frame(3), title="Strikes <b>&</b> shelling"))
    assert "<title>Strikes &lt;b&gt;&amp;&lt;/b&gt; shelling</title>" in page
    assert '"title":"Strikes \\u003cb\\u003e\\u0026\\u003c/b\\u003e shelling"' in page


def test_default_page_links_pinned_cdn_files_and_no_unused_ones():
    page = render.to_html(render.incident_map(make_frame(5), heatmap=True))
    for asset in (*assets.LEAFLET, *assets.MARKERCLUSTER, *assets.HEAT):
        assert asset.url in page
    assert "tile.openstreetmap.org" in page
    for unused in ("jquery", "bootstrap", "font-awesome", "fontawesome", "awesome-markers", "glyphicons"):
        assert unused not in page.lower()


def test_offline_page_references_nothing_outside_itself(offline_ready):
    page = render.to_html(render.incident_map(make_frame(5), offline=True, heatmap=True))
    assert "<script src" not in page and "<link" not in page
    assert not re.search(r"""\bsrc\s*=\s*["']?(?:https?:)?//""", page) and "@import" not in page
    assert not re.search(r"url\((?!data:|#)", page)  # stylesheet images are data URIs
    assert "tile.openstreetmap.org" not in page
    assert "Leaflet 1.9.4" in page and "leaflet.markercluster" in page
    base = payload(page, "base")
    assert len(base["countries"]["features"]) > 200
    assert any(label[0] == "Syria" for label in base["labels"])


def test_offline_basemap_rings_do_not_cross_the_antimeridian(offline_ready):
    for feature in basemap.countries()["countries"]["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                lons = [p[0] for p in ring]
                assert all(abs(a - b) < 180 for a, b in itertools.pairwise(lons))


def test_offline_without_cached_assets_names_the_set_up_command(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOMAP_CACHE", str(tmp_path))
    with pytest.raises(assets.AssetsMissing, match="run `geomap gazetteer build`"):
        render.incident_map(make_frame(3), offline=True)
    path = tmp_path / "incidents.geojson"
    frame.write(make_frame(3), path)
    result = runner.invoke(app, ["map", str(path), "--offline", "-o", str(tmp_path / "map.html")])
    assert result.exit_code == 1
    assert "geomap gazetteer build" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "map.html").exists()


def test_large_sets_use_the_compressed_payload_and_the_grid():
    n = render.FAST_ABOVE + 200
    gdf = make_frame(n)
    page = render.to_html(render.incident_map(gdf))
    assert 'type="application/x-geomap-deflate-base64"' in page
    assert "leaflet.markercluster@" not in page  # clustered by the page's own grid (markers.js)
    data = payload(page)
    assert data["n"] == n and len(data["r"]) == n
    assert len(data["arts"]) == n


def test_embed_is_a_fragment_that_leaves_the_host_page_alone():
    fragment = render.to_html(render.incident_map(make_frame(5)), embed=True)
    assert fragment.startswith('<div class="geomap-embed"') and fragment.rstrip().endswith("</div>")
    for page_level in ("<html", "<head", "<body", "<!DOCTYPE", "html, body", "<meta"):
        assert page_level not in fragment
    assert 'class="folium-map geomap-map"' in fragment and "L.map(" in fragment


def test_notebook_display_is_an_iframe_with_the_page():
    m = render.incident_map(make_frame(3))
    shown = m._repr_html_()
    assert "<iframe srcdoc=" in shown and "geomap-map" in shown


def test_hand_made_frames_with_few_columns_and_other_crs():
    gdf = gpd.GeoDataFrame(
        {"event_type": ["air strike", None], "date": ["2020-05-01", None]},
        geometry=[Point(4_300_000, 4_100_000), Point(4_400_000, 4_200_000)],
        crs="EPSG:3857",
    )
    data = payload(render.to_html(render.incident_map(gdf)))
    assert data["n"] == 2 and 34 < data["lat"][0] < 35 and 38 < data["lon"][0] < 39
    assert [t[0] for t in data["types"]] == ["air strike", "other"]
    assert data["r"] == [[], []] and data["q"] == [-1, -1]


def test_empty_frame_draws_an_empty_world_map():
    empty = make_frame(3).iloc[0:0]
    page = render.to_html(render.incident_map(empty))
    assert payload(page)["n"] == 0
    assert '"bounds":null' in page and "0 incidents, dates unknown" in page


def test_list_cells_read_back_from_csv(tmp_path):
    path = tmp_path / "incidents.csv"
    frame.write(make_frame(3), path)
    flat = gpd.read_file(path)  # list columns come back as JSON text
    flat = gpd.GeoDataFrame(flat, geometry=gpd.points_from_xy(flat.lon.astype(float), flat.lat.astype(float)))
    data = payload(render.to_html(render.incident_map(flat)))
    assert data["arts"][0][0] == "Title of article 0"


def test_map_command_writes_offline_embed_and_checks_png_name(tmp_path, offline_ready):
    path = tmp_path / "incidents.geojson"
    frame.write(make_frame(6), path)
    out = tmp_path / "map.html"
    result = runner.invoke(app, ["map", str(path), "--offline", "--heatmap", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "<script src" not in out.read_text() and "6 incidents" in result.stdout
    result = runner.invoke(app, ["map", str(path), "--embed", "--since", "2017-03", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.startswith('<div class="geomap-embed"') and payload(text)["n"] == 3  # undated one filtered out
    result = runner.invoke(app, ["map", str(path), "--png", str(tmp_path / "map.jpg"), "-o", str(out)])
    assert result.exit_code == 2 and "use a .png name" in result.stderr


def test_png_errors_are_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOMAP_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(render.PngError, match="Chromium"):
        render.to_png(render.incident_map(make_frame(2)), tmp_path / "map.png")
    assert not (tmp_path / "map.png").exists()


def test_leaflet_stylesheet_images_become_data_uris(offline_ready):
    css = assets.text(assets.LEAFLET[0])
    assert "url(images/" not in css and "data:image/png;base64," in css


def test_actor_toggles_group_sides_and_popups_keep_the_words():
    rows = frame.to_frame(
        [
            incident(1, actor="coalition jets", actor_side="US-led coalition"),
            incident(2, actor="US-led coalition warplanes", actor_side="US-led coalition"),
            incident(3, actor="Turkish F-16s", actor_side="Turkey"),
            incident(4, actor="a militia"),  # no side known: its own words group it
        ]
    )
    data = page_payload.build(rows)
    assert sorted(data["groups"]) == [["Turkey", 1], ["US-led coalition", 2], ["a militia", 1]]
    assert {"coalition jets", "US-led coalition warplanes"} <= set(data["actors"])


def test_offline_basemap_names_cities_and_outlines_regions_near_the_incidents(offline_ready):
    base = payload(render.to_html(render.incident_map(make_frame(6), offline=True)), "base")
    cities = {c[0]: c for c in base["cities"]}
    assert cities["Damascus"][4] == 1 and cities["Beirut"][4] == 1  # capitals
    assert cities["Beirut"][3] <= 4 and cities["Damascus"][3] <= 6  # 85 km apart: the second one once both fit
    assert cities["Aleppo"][3] <= cities["Ar Raqqah"][3]  # larger cities are named from a wider zoom
    assert all(2 <= c[3] <= 11 for c in base["cities"]) and len(base["cities"]) > 5000
    world = sum(len(rings) for _, _, rings in basemap.regions())
    assert 0 < len(base["regions"]) < world / 10  # Syria's regions and its neighbours', not the world's
    assert base["regionZoom"] == 5
    empty = payload(render.to_html(render.incident_map(make_frame(3).iloc[0:0], offline=True)), "base")
    assert empty["regions"] == [] and empty["cities"] == base["cities"]


def test_page_scripts_are_package_files_inlined_in_every_page():
    page = render.to_html(render.incident_map(make_frame(3)))
    for name in (*render_page.SCRIPTS, render_page.STYLESHEET):
        text = render_page.static(name)
        assert text.strip() and text in page, name
    assert "geomapPage.draw(" in page
