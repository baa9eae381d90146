"""Leaflet and its plugins for the maps, from pinned npm packages.

The default map links the files on jsDelivr; an offline map inlines the very same files, read from the
package tarballs that ``geomap gazetteer build`` fetches once with ``npm pack`` into the cache (beside the
Natural Earth packages of :mod:`gazetteer.sources.npm`). Nothing is copied into the repository and nothing
is fetched while a map is drawn.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import posixpath
import re
import tarfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gazetteer.sources import npm

log = logging.getLogger(__name__)

# Pinned: the online and the offline map run the same code.
PACKAGES = {
    "leaflet": "1.9.4",
    "leaflet.markercluster": "1.5.3",
    "leaflet.heat": "0.2.0",
}
SETUP_COMMAND = "geomap gazetteer build"


class AssetsMissing(RuntimeError):
    """An offline map was asked for before the set-up step cached its assets."""


@dataclass(frozen=True)
class Asset:
    key: str
    package: str
    path: str  # inside the package

    @property
    def version(self) -> str:
        return PACKAGES[self.package]

    @property
    def kind(self) -> str:
        return "css" if self.path.endswith(".css") else "js"

    @property
    def url(self) -> str:
        return f"https://cdn.jsdelivr.net/npm/{self.package}@{self.version}/{self.path}"


LEAFLET = (Asset("leaflet_css", "leaflet", "dist/leaflet.css"), Asset("leaflet_js", "leaflet", "dist/leaflet.js"))
MARKERCLUSTER = (
    Asset("markercluster_css", "leaflet.markercluster", "dist/MarkerCluster.css"),
    Asset("markercluster_js", "leaflet.markercluster", "dist/leaflet.markercluster.js"),
)
HEAT = (Asset("leaflet_heat_js", "leaflet.heat", "dist/leaflet-heat.js"),)


def tarball(package: str, *, fetch: bool = False) -> Path | None:
    """The cached tarball of a pinned package; fetched with ``npm pack`` when allowed (set-up only)."""
    return npm.tarball(package, fetch=fetch, version=PACKAGES[package])


def fetch_all(*, fetch: bool = True) -> dict[str, Path | None]:
    """Make sure every pinned package is cached; ``{"name@version": path or None}``."""
    return {f"{name}@{version}": tarball(name, fetch=fetch) for name, version in PACKAGES.items()}


def missing() -> list[str]:
    """The pinned packages (and Natural Earth outlines) an offline map needs but the cache lacks."""
    absent = [f"{name}@{version}" for name, version in PACKAGES.items() if tarball(name) is None]
    if npm.tarball("world-atlas") is None:
        absent.append(f"world-atlas@{npm.PACKAGES['world-atlas']}")
    return absent


def require() -> None:
    """Raise :class:`AssetsMissing` (a one-line message naming the set-up command) unless all is cached."""
    absent = missing()
    if absent:
        raise AssetsMissing(
            f"offline maps need {', '.join(absent)} in {npm.npm_dir()}: run `{SETUP_COMMAND}` once "
            "(it fetches them with npm)"
        )


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {
            info.name: tar.extractfile(info).read()  # type: ignore[union-attr]
            for info in tar
            if info.isfile() and info.name.startswith("package/dist/")
        }


_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")


def _inline_urls(css: str, folder: str, files: dict[str, bytes]) -> str:
    """Replace the stylesheet's relative ``url(...)`` with data URIs (offline pages request nothing)."""

    def replace(m: re.Match) -> str:
        ref = m.group(2)
        if ref.startswith(("data:", "#")):
            return m.group(0)
        member = posixpath.normpath(posixpath.join(folder, ref))
        data = files.get(member)
        if data is None:
            return "none"
        mime = mimetypes.guess_type(member)[0] or "application/octet-stream"
        return f"url(data:{mime};base64,{base64.b64encode(data).decode()})"

    return _URL.sub(replace, css)


@cache
def text(asset: Asset) -> str:
    """The asset's file as the offline page embeds it (stylesheet images as data URIs)."""
    path = tarball(asset.package)
    if path is None:
        require()
        raise AssetsMissing(f"{asset.package}@{asset.version} is not cached: run `{SETUP_COMMAND}`")
    files = _members(path)
    member = f"package/{asset.path}"
    body = files[member].decode("utf-8")
    if asset.kind == "css":
        body = _inline_urls(body, posixpath.dirname(member), files)
    return body


def tag(asset: Asset, *, offline: bool) -> str:
    """``<link>``/``<script src>`` to the CDN, or the file inlined for offline pages."""
    if not offline:
        if asset.kind == "css":
            return f'<link rel="stylesheet" href="{asset.url}"/>'
        return f'<script src="{asset.url}"></script>'
    body = text(asset)
    if asset.kind == "css":
        return f"<style>/* {asset.package}@{asset.version} {asset.path} */\n{body}</style>"
    body = body.replace("</script", "<\\/script")
    return f"<script>/* {asset.package}@{asset.version} {asset.path} */\n{body}</script>"
