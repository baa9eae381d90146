"""The incident map: an HTML page (folium and Leaflet) that analysts work in.

One module per part of the page, in the spirit of folium's one element per plugin:

- :mod:`~geomap.render.payload`: the incidents as one compact columnar JSON payload (deflate and base64 when
  large), from which the browser makes markers, popups, filters, the feed and the downloads;
- :mod:`~geomap.render.page`: the folium map, the page's scripts and stylesheet (real files in ``static/``,
  shipped as package data), the page or embeddable fragment and its atomic save;
- :mod:`~geomap.render.basemap`: the offline basemap (countries, region outlines, city names);
- :mod:`~geomap.render.png`: the PNG rendered in headless Chromium.

Every text comes from untrusted articles: the payload is JSON with ``<``, ``>`` and ``&`` escaped, the page
builds its popups with HTML escaping and its other texts with ``textContent``, and only http(s) urls become
links. ``incident_map(frame)`` returns a :class:`folium.Map` (it shows in notebooks); :func:`save` writes a
page or, with ``embed=True``, a fragment to paste into a report; :func:`to_png` renders it.
"""

from geomap.render.page import EMBED_HEIGHT, FAST_ABOVE, incident_map, save, to_html
from geomap.render.payload import COLOURS, PRECISION, SHAPES, UNCERTAINTY_M, title_for
from geomap.render.png import CHROMIUM_ARGS, PngError, chromium_path, to_png

__all__ = [
    "CHROMIUM_ARGS",
    "COLOURS",
    "EMBED_HEIGHT",
    "FAST_ABOVE",
    "PRECISION",
    "SHAPES",
    "UNCERTAINTY_M",
    "PngError",
    "chromium_path",
    "incident_map",
    "save",
    "title_for",
    "to_html",
    "to_png",
]
