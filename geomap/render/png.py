"""The map as a PNG, for PDFs and slides: the page rendered in headless Chromium driven by playwright
(Debian's ``/usr/bin/chromium``; never ``playwright install``)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import folium

from geomap.atomic import atomic_write
from geomap.render.page import to_html

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class PngError(RuntimeError):
    """The PNG could not be rendered (no Chromium, no playwright, or the map did not draw)."""


def chromium_path() -> str | None:
    """``$GEOMAP_CHROMIUM``, else Debian's ``/usr/bin/chromium``, else a Chromium or Chrome on the PATH."""
    if env := os.environ.get("GEOMAP_CHROMIUM"):
        return env
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return next((p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))), None)


READY = "() => { const el = document.querySelector('.geomap-map'); return el && el.dataset.geomapReady; }"


def _screenshot(page_path: Path, *, offline: bool, width: int, height: int, scale: float, timeout: float) -> bytes:
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PngError("--png needs the playwright package: pip install playwright") from None
    exe = chromium_path()
    if exe is None:
        raise PngError("--png needs Chromium: apt-get install chromium (or set GEOMAP_CHROMIUM)")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=scale)
                problems: list[str] = []
                page.on("pageerror", lambda exc: problems.append(str(exc)))
                page.goto(page_path.as_uri(), wait_until="load", timeout=timeout * 1000)
                if page.evaluate("typeof L === 'undefined'"):
                    raise PngError("Leaflet did not load from its CDN (no network?): draw the map with --offline")
                page.wait_for_function(f"() => ({READY})() && ({READY})() !== '0'", timeout=timeout * 1000)
                if page.evaluate(READY) != "1":
                    raise PngError(f"the map could not be drawn: {'; '.join(problems) or 'see the browser console'}")
                if not offline:
                    with contextlib.suppress(PlaywrightError):  # tiles still loading: take what is there
                        page.wait_for_load_state("networkidle", timeout=15_000)
                page.evaluate("document.querySelector('.geomap-map').classList.add('geomap-static')")
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                return page.screenshot(type="png")
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise PngError(f"Chromium could not render the map: {str(exc).splitlines()[0]}") from None


def to_png(
    m: folium.Map,
    path: str | Path,
    *,
    width: int = 1600,
    height: int = 1000,
    scale: float = 1.0,
    timeout: float = 120.0,
) -> Path:
    """Render the map in headless Chromium (via playwright) and write a PNG of ``width`` x ``height`` CSS
    pixels times ``scale``, for PDFs and slides; the filter controls are hidden, the legend kept."""
    offline = bool(getattr(m, "offline", False))
    with tempfile.TemporaryDirectory(prefix="geomap-png-") as folder:
        page_path = Path(folder) / "map.html"
        page_path.write_text(to_html(m), encoding="utf-8")
        args = {"offline": offline, "width": width, "height": height, "scale": scale, "timeout": timeout}
        try:
            asyncio.get_running_loop()
            running = True
        except RuntimeError:
            running = False
        if running:  # playwright's sync API refuses to run inside an event loop (notebooks)
            with ThreadPoolExecutor(1) as pool:
                png = pool.submit(_screenshot, page_path, **args).result()
        else:
            png = _screenshot(page_path, **args)
    return atomic_write(Path(path), lambda tmp: tmp.write_bytes(png))
