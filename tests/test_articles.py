"""The ingest stage: formats, manifests, decoding, odd files, datelines and streaming."""

from __future__ import annotations

import builtins
import codecs
import csv
import itertools
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.articles import MAX_BYTES, find_dateline, read_articles
from geomap.records import Article, ArticleError

HERE = Path(__file__).resolve().parent / "fixtures" / "articles"
CORPUS = HERE / "corpus"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


def one(path: Path | str) -> Article | ArticleError:
    (item,) = read_articles([path])
    return item


def written(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every path opened through ``Path.open`` (which ``read_bytes`` uses) or ``open``, but for the data files of
    installed packages (the language model, trafilatura's settings), which are read on first use."""
    paths: list[Path] = []
    path_open, real_open = Path.open, builtins.open
    library = (Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve())

    def note(path: Path) -> None:
        if not any(path.is_relative_to(lib) for lib in library):
            paths.append(path)

    def spy_path(self: Path, *args, **kwargs):
        note(self.resolve())
        return path_open(self, *args, **kwargs)

    def spy_open(file, *args, **kwargs):
        if isinstance(file, str | os.PathLike):
            note(Path(file).resolve())
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy_path)
    monkeypatch.setattr(builtins, "open", spy_open)
    return paths


# -- formats -------------------------------------------------------------------------------------------------------


def test_plain_text_takes_the_dateline():
    article = one(HERE / "plain.txt")
    assert article.id == "plain.txt"
    assert article.text.startswith("NORTH DARFUR, Dec 7, 2015") and "\n\nResidents said" in article.text
    assert (article.published, article.date_source, article.title) == (date(2015, 12, 7), "dateline", None)


def test_markdown_front_matter():
    article = one(HERE / "report.md")
    assert article.title == "Drone strike reported near Marib"
    assert (article.published, article.date_source) == (date(2019, 3, 4), "metadata")
    assert (article.url, article.source) == ("https://example.org/news/marib-drone", "Example Wire")
    assert article.text.startswith("# Drone strike") and "---" not in article.text


def test_markdown_without_or_with_empty_front_matter(tmp_path):
    assert one(written(tmp_path, "a.md", "Just a body.\n---\nwith a rule")).text == "Just a body.\n---\nwith a rule"
    assert one(written(tmp_path, "b.md", "---\n---\nBody after empty front matter.")).text == (
        "Body after empty front matter."
    )
    bad = one(written(tmp_path, "c.md", "---\ndate: 2019-02-30\n---\nKABUL, March 1, 2019 - text"))
    assert (bad.published, bad.date_source) == (date(2019, 3, 1), "dateline")


def test_html_main_text_only():
    article = one(HERE / "page.html")
    for hidden in ("SCRIPT", "color: red", "HEADER", "NAV", "ASIDE", "FORM", "NOSCRIPT", "FOOTER", "Example News"):
        assert hidden not in article.text
    assert article.text.split("\n\n") == [
        "Depot hit in overnight raid",
        "Warplanes struck an ammunition depot outside the town of Tall Abyad overnight, residents said on Thursday.",
        "Three guards were killed & two were wounded, according to a medic.",
    ]
    assert article.title == "Depot hit in overnight raid"  # og:title over <title>
    assert (article.published, article.date_source) == (date(2018, 2, 8), "metadata")
    assert (article.url, article.source) == ("https://example.org/2018/02/depot-raid", "Example News")


def test_html_title_and_time_fallbacks(tmp_path):
    page = "<title> A  page </title><p>Text <b>bold</b><br>next<time datetime='2020-01-05'>Sunday</time>"
    article = one(written(tmp_path, "p.htm", page))
    assert (article.title, article.text) == ("A page", "Text bold\n\nnext")  # a <time> stamp is no content
    assert (article.published, article.date_source) == (date(2020, 1, 5), "metadata")


def test_broken_and_deeply_nested_html(tmp_path):
    broken = "<div><p>Unclosed <b>tags <i>everywhere<p>and &bogus; entities</div></span><!-- note --><td>"
    assert one(written(tmp_path, "broken.html", broken)).text == "Unclosed tags everywhere\n\nand &bogus; entities"
    deep = "<div>" * 50_000 + "Deep inside" + "</div>" * 50_000
    assert one(written(tmp_path, "deep.html", deep)).text == "Deep inside"


def test_json_list_records():
    items = list(read_articles([HERE / "feed.json"]))
    assert [i.id for i in items] == ["feed.json#a-17", "feed.json#2", "feed.json#3"]
    first, second, third = items
    assert (first.title, first.published, first.url, first.source) == (
        "Checkpoint attacked",
        date(2017, 5, 19),
        "https://example.org/a-17",
        "Example Wire",
    )
    assert second.text.startswith("An explosion") and second.published is None  # "Body" key; bad date ignored
    assert isinstance(third, ArticleError) and "no text" in third.reason


def test_single_json_object():
    article = one(HERE / "single.json")
    assert (article.id, article.title, article.url) == ("single.json", "Convoy shelled", "https://example.org/convoy")
    assert (article.published, article.date_source) == (date(2016, 9, 18), "metadata")


def test_jsonl_records_and_bad_lines():
    items = list(read_articles([HERE / "wire.jsonl"]))
    assert [i.id for i in items] == ["wire.jsonl#1", "wire.jsonl#w2", "wire.jsonl#3", "wire.jsonl#4"]
    assert items[0].published == date(2019, 5, 3)
    assert [type(i) for i in items] == [Article, Article, ArticleError, ArticleError]
    assert "invalid JSON" in items[2].reason and "no text" in items[3].reason


def test_csv_records():
    items = list(read_articles([HERE / "records.csv"]))
    assert [i.id for i in items] == ["records.csv#1", "records.csv#2", "records.csv#3"]
    assert (items[0].published, items[0].date_source, items[0].url) == (
        date(2015, 12, 7),
        "metadata",
        "https://example.org/market",
    )
    assert (items[1].published, items[1].date_source) == (date(2017, 5, 19), "dateline")
    assert isinstance(items[2], ArticleError)


def test_right_to_left_and_emoji_text_round_trips():
    (arabic,) = read_articles([HERE / "arabic.txt"], language=None)  # every language read
    assert arabic.text == (HERE / "arabic.txt").read_text(encoding="utf-8").strip()
    assert "حلب" in arabic.text
    emoji = one(HERE / "emoji.txt")
    assert "💥🔥" in emoji.text and emoji.published == date(2020, 3, 4)


def test_very_long_line(tmp_path):
    line = "Shelling reported. " * 60_000  # ~1.1 MB on one line
    assert len(one(written(tmp_path, "long.txt", line)).text) == len(line.strip())
    cell = one(written(tmp_path, "long.csv", f'title,text\nLong,"{line}"\n'))  # beyond csv's 128 KB default
    assert cell.id == "long.csv#1" and len(cell.text) == len(line.strip())


# -- folders and manifests -----------------------------------------------------------------------------------------


EXPECTED_CORPUS = [
    ("a.txt", date(2016, 2, 8)),
    (":3", "bad published date '2017-13-45'"),
    ("b.txt", date(2016, 6, 9)),
    (":4", "'missing.txt': No such file"),
    (":5", "duplicate of row 2"),
    (":6", "'../../etc/passwd' is outside the manifest's folder"),
    (":7", "absolute path '/etc/passwd'"),
    ("c.txt", None),
]


def check_corpus(items: list[Article | ArticleError], manifest_id: str) -> None:
    assert len(items) == len(EXPECTED_CORPUS)
    for item, (key, expected) in zip(items, EXPECTED_CORPUS, strict=True):
        if isinstance(item, ArticleError):
            assert item.id == manifest_id + key and expected in item.reason and f"row {key[1:]}:" in item.reason
        else:
            assert (item.id, item.published) == (key, expected)
    a, b, c = (i for i in items if isinstance(i, Article))
    assert (a.title, a.url, a.source, a.date_source) == (
        "Strike on a fuel depot",
        "https://example.org/a",
        "Example Wire",
        "manifest",
    )
    assert (b.title, b.date_source) == ("Row with a bad date", "dateline")
    assert (c.title, c.date_source) == (None, None)


def test_folder_with_manifest_reads_what_it_lists(opened):
    check_corpus(list(read_articles([CORPUS])), (CORPUS / "manifest.csv").as_posix())
    assert all(p.is_relative_to(CORPUS) for p in opened)  # nothing outside the folder was opened
    assert CORPUS / "unlisted.txt" not in opened


def test_manifest_as_input_and_as_option():
    manifest = CORPUS / "manifest.csv"
    check_corpus(list(read_articles([manifest])), manifest.as_posix())
    check_corpus(list(read_articles([], manifest=manifest)), manifest.as_posix())


def test_manifest_option_applies_to_inputs():
    items = list(read_articles([CORPUS / "a.txt", CORPUS / "unlisted.txt"], manifest=CORPUS / "manifest.csv"))
    errors, articles = items[:5], items[5:]
    assert all(isinstance(e, ArticleError) for e in errors)  # the manifest's problems come first
    assert [(a.id, a.title, a.date_source) for a in articles] == [
        ("a.txt", "Strike on a fuel depot", "manifest"),
        ("unlisted.txt", None, None),
    ]


def test_manifest_paths_escaping_the_folder_are_never_opened(tmp_path, opened):
    secret = written(tmp_path, "secret.txt", "SENTINEL 2015-12-07")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "link.txt").symlink_to(secret)
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    written(folder, "ok.txt", "fine")
    rows = [
        "file,published",
        "../secret.txt,",
        f"{secret},",
        "link.txt,",
        "sub/../../secret.txt,",
        "loop.txt,",
        "ok.txt,",
    ]
    written(folder, "manifest.csv", "\n".join(rows))
    opened.clear()
    items = list(read_articles([folder]))
    assert [type(i) for i in items] == [ArticleError] * 5 + [Article]
    assert [i.id for i in items[:5]] == [f"{(folder / 'manifest.csv').as_posix()}:{n}" for n in range(2, 7)]
    assert secret not in opened and "SENTINEL" not in str(items)


def test_manifest_without_file_column(tmp_path):
    manifest = written(tmp_path, "manifest.csv", "path,published\na.txt,2016-01-01\n")
    written(tmp_path, "a.txt", "text")
    (error,) = read_articles([tmp_path])
    assert error.id == manifest.as_posix() and "no 'file' column" in error.reason


def test_manifest_with_bom_windows_paths_and_record_files(tmp_path):
    (tmp_path / "sub").mkdir()
    written(tmp_path / "sub", "a.txt", "text of a")
    written(tmp_path, "r.jsonl", '{"text": "one"}\n{"text": "two"}\n')
    written(tmp_path, "list.csv", "\ufeffFile,Published\r\nsub\\a.txt,2016-01-01\r\nr.jsonl,2016-01-02\r\n".encode())
    items = list(read_articles([tmp_path / "list.csv"]))
    assert [(i.id, i.published) for i in items] == [
        ("sub\\a.txt", date(2016, 1, 1)),
        ("r.jsonl#1", date(2016, 1, 2)),
        ("r.jsonl#2", date(2016, 1, 2)),
    ]


def test_folder_is_walked_recursively_in_sorted_order(tmp_path):
    assert [i.id for i in read_articles([HERE / "tree"])] == ["alpha.txt", "sub/beta.md"]  # notes.xyz skipped
    assert [i.id for i in read_articles(str(HERE / "tree"))] == ["alpha.txt", "sub/beta.md"]  # a lone path
    written(tmp_path, ".hidden.txt", "dot files are skipped")
    written(tmp_path, "b.txt", "b")
    (tmp_path / "a").mkdir()
    written(tmp_path / "a", "z.txt", "z")
    written(tmp_path / "a", "manifest.csv", "file\nz.txt\n")  # a nested manifest is not an article
    assert [i.id for i in read_articles([tmp_path])] == ["a/z.txt", "b.txt"]


def test_reading_is_lazy(tmp_path, opened):
    for n in range(2000):
        written(tmp_path, f"{n:04d}.txt", f"Article {n}")
    opened.clear()
    first = list(itertools.islice(read_articles([tmp_path]), 3))
    assert [a.id for a in first] == ["0000.txt", "0001.txt", "0002.txt"]
    assert len(opened) == 3


# -- decoding and odd files ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
        (b"text with a \x00 NUL byte", "binary file"),
        (b"", "empty"),
        (b" \n\t\r\n  ", "empty"),
        ("caf\u00e9 ".encode("latin-1") * 50, "not UTF-8 text (50 of 250 bytes invalid)"),
        (b"\xff\xfe" + b"\x00\xd8", "not UTF-16 text"),
    ],
)
def test_unreadable_bytes(tmp_path, data, expected):
    error = one(written(tmp_path, "odd.txt", data))
    assert isinstance(error, ArticleError) and error.id == "odd.txt" and error.reason.startswith(expected)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (codecs.BOM_UTF8 + "Kyiv – Київ".encode(), "Kyiv – Київ"),
        ("\ufeffصنعاء, Sanaa".encode("utf-16-le"), "صنعاء, Sanaa"),
        ("\ufeffGaza 🚀".encode("utf-16-be"), "Gaza 🚀"),
        (b"line one\r\nline two\rline three", "line one\nline two\nline three"),
        (b"A" * 200 + b"\xff", "A" * 200 + "\ufffd"),  # one bad byte in 201: replaced
    ],
)
def test_decodings(tmp_path, data, text):
    assert one(written(tmp_path, "ok.txt", data)).text == text


def test_too_large_files_are_never_opened(tmp_path, opened):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 2**20)  # sparse: no disk used
    opened.clear()
    error = one(big)
    assert error.reason == "too large (51.0 MB > 50 MB)" and big not in opened


def test_bad_arguments_are_reported_not_raised(tmp_path):
    missing, odd = tmp_path / "nope.txt", written(tmp_path, "data.xyz", "x")
    items = list(read_articles([missing, odd, tmp_path / "nope-dir"]))
    assert [type(i) for i in items] == [ArticleError] * 3
    assert items[0].id == str(missing) and "No such file" in items[0].reason
    assert items[1].id == "data.xyz" and "'.xyz'" in items[1].reason and ".jsonl" in items[1].reason
    items = list(read_articles([tmp_path / "x"], manifest=tmp_path / "m.csv"))
    assert [i.id for i in items] == [(tmp_path / "m.csv").as_posix(), str(tmp_path / "x")]
    assert all("No such file" in i.reason for i in items)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_unreadable_file(tmp_path):
    path = written(tmp_path, "locked.txt", "secret")
    path.chmod(0)
    assert "Permission denied" in one(path).reason


# -- the seed articles -----------------------------------------------------------------------------------------------


def test_seed_articles_take_the_manifest_dates_and_titles():
    if not (SEEDS / "manifest.csv").is_file():
        pytest.skip("../shared/seeds is not beside the project")
    with (SEEDS / "manifest.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    items = list(read_articles([SEEDS]))
    assert len(items) == len(rows) == 5 and all(isinstance(a, Article) for a in items)
    for article, row in zip(items, rows, strict=True):
        assert (article.id, article.title) == (row["file"], row["title"])
        assert (article.published, article.date_source) == (date.fromisoformat(row["published"]), "manifest")
        assert len(article.text) > 500


# -- datelines -------------------------------------------------------------------------------------------------------

FORMS = [
    lambda d: d.isoformat(),
    lambda d: f"{MONTHS[d.month - 1][:3]} {d.day}, {d.year}",
    lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"Published: {d.day} {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"(Reuters) - {MONTHS[d.month - 1]} {d.day} {d.year}",
    lambda d: f"{MONTHS[d.month - 1].upper()} {d.day}TH, {d.year}",
    lambda d: f"{d.isoformat()}T08:15:00Z",
]
WORDS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ,.:;()-–'\"\n"), max_size=120)


@given(st.text(max_size=600))
def test_find_dateline_never_raises(text):
    found = find_dateline(text)
    assert found is None or isinstance(found, date)


@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.sampled_from(FORMS), WORDS, WORDS)
def test_find_dateline_finds_each_form(day, form, before, after):
    assert find_dateline(f"{before} {form(day)} {after}") == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WASHINGTON, Dec. 7, 2015 - text", date(2015, 12, 7)),
        ("Sept 7, 2015", date(2015, 9, 7)),
        ("Monday, 7th of December, 2015", date(2015, 12, 7)),
        ("February 30, 2016 was not a day; March 1, 2016 was", date(2016, 3, 1)),
        ("Mayor 7, 2015 and 2015-13-07 and 123 May 2015", None),
        ("x" * 400 + " 2015-12-07", None),
        ("No date here at all", None),
    ],
)
def test_find_dateline_examples(text, expected):
    assert find_dateline(text) == expected


# -- robustness ------------------------------------------------------------------------------------------------------

HTMLISH = st.lists(st.sampled_from([*"<>/!-=\"' &#;x\n", "<div>", "<script>", "</p>", "<![CDATA[", "<title>"])).map(
    "".join
)


@settings(max_examples=150, deadline=None)
@given(
    st.binary(max_size=600) | st.text(max_size=300).map(str.encode) | HTMLISH.map(str.encode),
    st.sampled_from([".txt", ".md", ".html", ".json", ".jsonl", ".csv"]),
)
def test_any_bytes_never_raise(data, ext):
    with tempfile.TemporaryDirectory() as folder:
        written(Path(folder), f"x{ext}", data)
        items = list(read_articles([folder]))
    assert items and all(isinstance(i, Article | ArticleError) for i in items)
