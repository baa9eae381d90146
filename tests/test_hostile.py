"""The hostile corpus through the released command: binary and undecodable files, UTF-16, empty files, a
50 MB file, NUL bytes, a 1 MB line, deeply nested HTML and folders, right-to-left text and emoji, lone
surrogates, an undecodable file name, manifests with missing columns, duplicate rows, bad dates and paths
out of the folder. Every input is processed or reported with its reason, the good articles still give
their incidents, the run ends with exit code 0, and nothing outside the input folders is opened (an audit
hook in the child records every file it opens and refuses every connection)."""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "articles" / "04_shayrat-strike.txt"  # a project example: the Shayrat strike
SENTINEL = "SENTINEL-5d41402a"  # in the file outside the folder: it must show up nowhere

# Audit hook for the child: every file it opens goes to a log; every connection is refused and logged.
SITECUSTOMIZE = """
import os, sys
_log = open(os.environ["GEOMAP_AUDIT_LOG"], "a", buffering=1, encoding="utf-8", errors="backslashreplace")

def _audit(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        _log.write("open\\t" + os.path.abspath(os.fsdecode(args[0])) + "\\n")
    elif event in ("socket.connect", "socket.getaddrinfo"):
        _log.write(event + "\\t" + repr(args[1:2] if event == "socket.connect" else args[:1]) + "\\n")
        raise OSError("network blocked by the test")

sys.addaudithook(_audit)
"""

# Our own short reports (written for this test), each with an incident.
UTF16 = "Artillery shelled the town of Marea, north of Aleppo, on Sunday, killing four civilians, local rescuers said."
RTL = (
    "---\ntitle: قصف على سراقب 🚀 Strikes on Saraqib\n---\n"
    "سراقب، إدلب 💥🔥\n\n"
    "Warplanes struck the town of Saraqib in Idlib province on Tuesday, killing seven people, "
    "rescuers said. 🙏\n"
)
LONE = (
    '{"title": "Broken \\udc80 title", "text": "Drone strikes hit the outskirts of Hodeidah in Yemen on Monday, '
    'killing three fighters \\ud800, officials said."}'
)
DEEP = (
    "<html><body>"
    + "<div>" * 20_000
    + ("<p>Missiles struck an air defence site near Homs on Thursday, killing two soldiers, a monitor said.</p>")
    + "</div>" * 20_000
    + "</body></html>"
)

# manifest row -> expected reason (None: read as an article)
ROWS = [
    ("04_shayrat-strike.txt", "2017-04-08", None),
    ("utf16.txt", "2016-05-29", None),
    ("rtl-emoji.md", "2018-02-06", None),
    ("deep.html", "2018-02-08", None),
    ("lone-surrogates.json", "2018-06-04", None),
    ("long-line.txt", "2018-01-01", None),
    ("binary.txt", "2018-01-01", "binary file"),
    ("nul.txt", "2018-01-01", "binary file"),
    ("latin1.txt", "2018-01-01", "not UTF-8 text"),
    ("zero.txt", "", "empty"),
    ("big.txt", "2018-01-01", "text too long"),
    ("huge.txt", "2018-01-01", "too large"),
    ("broken.json", "2018-01-01", "invalid JSON"),
    ("04_shayrat-strike.txt", "2017-04-08", "duplicate of row 2"),
    ("utf16.txt", "2016-05-29", "duplicate of row 3"),
    ("bad-date.txt", "2017-13-45", "bad published date"),  # reported, and read with the text's date
    ("short-row.txt", None, None),  # a row with fewer fields than the header
    ("missing.txt", "2018-01-01", "No such file"),
    ("../outside/secret.txt", "", "outside the manifest's folder"),
    ("sub/../../outside/secret.txt", "", "outside the manifest's folder"),
    ("../../etc/passwd", "", "outside the manifest's folder"),
    ("/etc/passwd", "", "absolute path"),
    ("link.txt", "", "outside the manifest's folder"),
    ("notes.exe", "", "unsupported file type"),
]
FILE_REASONS = (
    "binary file",
    "not UTF-8 text",
    "empty",
    "text too long",
    "too large",
    "invalid JSON",
    "unsupported file type",
)


def build_corpus(tmp_path: Path) -> dict:
    """The hostile inputs under ``tmp_path``: the three input folders, the secret file, the deepest folder."""
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(f"{SENTINEL} Warplanes struck a market in Aleppo on Friday, killing 3 people.\n")

    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copyfile(EXAMPLE, folder / EXAMPLE.name)
    (folder / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + UTF16.encode("utf-16-le"))
    (folder / "rtl-emoji.md").write_text(RTL, encoding="utf-8")
    (folder / "deep.html").write_text(DEEP, encoding="utf-8")
    (folder / "lone-surrogates.json").write_text(LONE, encoding="utf-8")
    blob = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(16_000))
    (folder / "long-line.txt").write_text("A report with one very long line: " + blob + "\n")  # 1 MB, no newline
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (folder / "nul.txt").write_bytes(b"Shelling reported\x00 near the town\x00 on Monday." * 20)
    (folder / "latin1.txt").write_bytes("Frappes aériennes près d'Alep à l'aube, trois tués. ".encode("latin-1") * 20)
    (folder / "zero.txt").write_bytes(b"")
    with (folder / "big.txt").open("w") as fh:  # 50 MB of text: under the file limit, over the article limit
        line = "Shelling was reported in the east of the province during the night. " * 14 + "\n"
        for _ in range(50_000_000 // len(line)):
            fh.write(line)
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(60 * 2**20)  # sparse: over the file limit, never opened
    (folder / "broken.json").write_text('{"text": "unterminated')
    (folder / "bad-date.txt").write_text("Shells hit a school in Douma on Monday, killing two children.\n")
    (folder / "short-row.txt").write_text("A short row still names its file.\n")
    (folder / "notes.exe").write_bytes(b"MZ\x90\x00")
    (folder / "link.txt").symlink_to(secret)
    lines = ["file,published,title,url,source"]
    for name, published, _ in ROWS:
        lines.append(name if published is None else f"{name},{published},,,")
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n")

    walked = tmp_path / "walked"  # no manifest: the folder is walked
    walked.mkdir()
    name = os.fsdecode(b"\xff\xfe-name.txt")  # not UTF-8: the article id shows U+FFFD
    (walked / name).write_text(
        "TAIZ, June 5, 2018 - Warplanes struck a market in Taiz on Monday, killing two traders.\n"
    )
    (walked / "escape.txt").symlink_to(secret)
    deep = walked
    for _ in range(1100):  # deeper than Python's recursion limit
        deep = deep / "d"
        deep.mkdir()
    (deep / "bottom.txt").write_text("Shelling was reported at the bottom of the tree.\n")

    columns = tmp_path / "columns"  # a manifest without a 'file' column
    columns.mkdir()
    (columns / "manifest.csv").write_text("path,published\nbottom.txt,2018-01-01\n")
    return {"in": folder, "walked": walked, "columns": columns, "secret": secret, "deep": deep}


@pytest.fixture
def corpus(tmp_path):
    built = build_corpus(tmp_path)
    yield built
    chain = [built["walked"] / "d"]  # removed from the bottom up: shutil.rmtree recurses, and would fail
    while (chain[-1] / "d").is_dir():
        chain.append(chain[-1] / "d")
    for folder in reversed(chain):
        shutil.rmtree(folder)


@pytest.fixture
def cli_env(gaz, tmp_path) -> dict:
    """The child's environment: the real gazetteer, a results cache of its own, the audit hook."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {k: v for k, v in os.environ.items() if k != "GEOMAP_ONLINE"}  # the default: offline
    env.update(
        GEOMAP_GAZETTEER=str(gaz.path),
        GEOMAP_CACHE=str(tmp_path / "cache"),
        GEOMAP_AUDIT_LOG=str(tmp_path / "audit.log"),
        PYTHONPATH=os.pathsep.join([str(site), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    )
    return env


def geomap_command() -> list[str]:
    found = shutil.which("geomap")
    return [found] if found else [sys.executable, "-m", "geomap.cli"]


def test_hostile_corpus_through_the_released_command(tmp_path, corpus, cli_env):
    out = tmp_path / "out"
    args = [str(corpus["in"]), str(corpus["walked"]), str(corpus["columns"]), str(corpus["in"] / EXAMPLE.name)]
    done = subprocess.run(
        [*geomap_command(), "run", *args, "-o", str(out)], env=cli_env, capture_output=True, timeout=600
    )
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, stderr

    # every output is valid UTF-8 and shows nothing of what lies outside the folders
    texts = {p.name: p.read_bytes().decode("utf-8") for p in out.iterdir()}
    assert set(texts) == {"incidents.geojson", "map.html", "report.json"}
    for text in texts.values():
        assert SENTINEL not in text and "root:x:0:0" not in text

    report = json.loads(texts["report.json"])
    errors = {(e["id"], e["reason"]) for e in report["errors"]}
    manifest = (corpus["in"] / "manifest.csv").as_posix()

    def reported(article_id: str, reason: str) -> bool:
        return any(i == article_id and reason in r for i, r in errors)

    for n, (name, _, reason) in enumerate(ROWS, 2):
        if reason is None:
            assert not any(i == name and "the same file as" not in r for i, r in errors), f"{name} not read"
        elif reason in FILE_REASONS:  # the file is listed fine, but what it holds is not an article
            assert reported(name, reason), f"{name}: {reason} not reported in {errors}"
        else:
            assert reported(f"{manifest}:{n}", reason), f"row {n} ({name}): {reason} not reported in {errors}"
    assert reported("escape.txt", "outside the folder")
    assert reported(corpus["columns"].joinpath("manifest.csv").as_posix(), "no 'file' column")
    assert reported(EXAMPLE.name, "the same file as")  # named twice: read once
    assert len(errors) == len(report["errors"]) == report["skipped"]
    read = [name for name, _, reason in ROWS if reason in (None, "bad published date")]
    assert report["articles_read"] == len(read) + 2  # and, in the walked folder, the odd name and the deep file

    # the good articles still give their incidents
    features = json.loads(texts["incidents.geojson"])["features"]
    by_article = {a: f["properties"] for f in features for a in f["properties"]["articles"]}
    assert by_article[EXAMPLE.name]["location"] == "Shayrat Air Base"
    found = set(by_article)
    for name in ("utf16.txt", "rtl-emoji.md", "deep.html", "lone-surrogates.json", "\ufffd\ufffd-name.txt"):
        assert name in found, f"no incident from {name}: {sorted(found)}"
    assert "Broken \ufffd title" in by_article["lone-surrogates.json"]["titles"]

    # what the child opened: nothing outside the input folders (and its own output and cache)
    log = (tmp_path / "audit.log").read_text(encoding="utf-8").splitlines()
    assert not [line for line in log if line.startswith("socket.")]  # and no connection was tried
    opened = {Path(line.split("\t", 1)[1]) for line in log if line.startswith("open\t")}
    allowed = [corpus["in"], corpus["walked"], corpus["columns"], out, tmp_path / "cache"]
    mine = [p for p in opened if p.is_relative_to(tmp_path) and p != tmp_path / "audit.log"]
    assert mine and all(any(p.is_relative_to(a) for a in allowed) for p in mine), sorted(mine)
    assert not any(p.resolve().is_relative_to(corpus["secret"].parent) for p in opened)
    assert Path("/etc/passwd") not in opened
    assert corpus["in"] / "huge.txt" not in opened  # too large: never opened
