"""Articles as people have them: saved web pages (main text only, metadata, encodings, odd and hostile pages),
RSS and Atom feeds, the language check, and all of it through the released command with no network."""

from __future__ import annotations

import base64
import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from geomap.articles import count_articles, read_articles
from geomap.articles.html import FULL_ELEMENTS, MAX_ELEMENTS, MAX_PAGE_BYTES
from geomap.records import Article, ArticleError
from tests.test_hostile import cli_env, geomap_command  # noqa: F401 (cli_env is a fixture)

REPORT = (
    "Warplanes struck a crowded market in the town of Saraqib in Idlib province on Tuesday, killing seven people "
    "and wounding at least twenty, rescuers said."
)
SECOND = "Rescue workers searched the rubble for survivors until late in the evening, a local official said."

# A news page as sites build them (written for these tests): the lede sits in the article's <header>, and the
# page carries navigation, a cookie dialog, a related list, a newsletter box, an author bio and comments.
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Market strike in Saraqib | Example Wire</title>
<meta property="og:title" content="Market strike in Saraqib">
<meta property="og:site_name" content="Example Wire">
<link rel="canonical" href="https://wire.example/2018/02/saraqib">
<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "Market strike in Saraqib",
 "datePublished": "2018-02-06T09:00:00Z"}}</script>
<script>window.tracker = "TRACKER-CODE";</script><style>.x {{ color: red }}</style>
</head><body>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<div class="menu"><div><a href="/">Home</a></div><div><a href="/world">World news</a></div>
<div><a href="/syria">Syria</a></div><div><a href="/sport">Sport</a></div></div>
<main><article>
<header><h1>Market strike in Saraqib</h1><p class="lede">Seven people were killed when warplanes hit a market in
Saraqib, rescuers said.</p></header>
<p>{REPORT}</p>
<p>{SECOND}</p>
<p>The town has been hit repeatedly in recent weeks as government forces pressed an offensive in the province,
according to residents who fled toward the Turkish border.</p>
<p>Read more: <a href="/other">Shelling reported in Aleppo's eastern districts</a></p>
<div class="author-bio">Jane Doe is a correspondent covering the Middle East from Beirut.</div>
</article>
<aside class="related"><h3>Related stories</h3><ul>
<li><a href="/a">Drone strike kills three near Mosul</a></li><li><a href="/b">Car bomb hits checkpoint in Kabul</a></li>
</ul></aside>
<div class="newsletter"><p>Sign up for our daily briefing on the war in Syria.</p>
<form><input type="email"></form></div>
<section id="comments"><h3>12 comments</h3><div class="comment">I live in Hama and this is awful.</div>
<form class="comment-form"><textarea></textarea><button>Post comment</button></form></section>
</main>
<footer>© 2018 Example Wire. All rights reserved.</footer>
</body></html>"""
LEAKS = ("TRACKER", "cookies", "World news", "Mosul", "Kabul", "daily briefing", "Hama", "Jane Doe", "Read more")


def one(path: Path, **options) -> Article | ArticleError:
    (item,) = read_articles([path], **options)
    return item


def written(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


# -- saved web pages ---------------------------------------------------------------------------------------------


def test_a_saved_page_gives_its_main_text_and_metadata(tmp_path):
    article = one(written(tmp_path, "saraqib.html", PAGE))
    assert isinstance(article, Article), article
    assert article.text.startswith("Market strike in Saraqib\n\nSeven people were killed")  # the lede in <header>
    assert REPORT in article.text and SECOND in article.text and "\n\n" in article.text
    assert not [leak for leak in LEAKS if leak in article.text]
    assert (article.title, article.url, article.source) == (
        "Market strike in Saraqib",
        "https://wire.example/2018/02/saraqib",
        "Example Wire",
    )
    assert (article.published, article.date_source) == (date(2018, 2, 6), "metadata")  # from the JSON-LD


def test_the_manifest_wins_and_the_page_date_fills_in(tmp_path):
    written(tmp_path, "a.html", PAGE)
    written(tmp_path, "b.html", PAGE.replace("Saraqib", "Ariha"))
    written(
        tmp_path,
        "manifest.csv",
        "file,published,title,url,source\na.html,2018-02-07,Mine,https://x.example,Me\nb.html\n",
    )
    a, b = read_articles([tmp_path])
    assert (a.title, a.url, a.source, a.published, a.date_source) == (
        "Mine",
        "https://x.example",
        "Me",
        date(2018, 2, 7),
        "manifest",
    )
    assert (b.title, b.published, b.date_source) == ("Market strike in Ariha", date(2018, 2, 6), "metadata")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cp1252.html", PAGE.replace('charset="utf-8"', 'charset="windows-1252"').replace("Saraqib", "Sarāqib’s")),
        ("http-equiv.htm", PAGE.replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" '
                                        'content="text/html; charset=iso-8859-1">').replace("Saraqib", "Saráqib")),
        ("utf16.html", PAGE.replace('<meta charset="utf-8">', "").replace("Saraqib", "Sarāqib")),
    ],
)  # fmt: skip
def test_pages_in_other_encodings(tmp_path, name, data):
    encoding = {"cp1252.html": "cp1252", "http-equiv.htm": "latin-1", "utf16.html": "utf-16"}[name]
    try:
        raw = data.encode(encoding)
    except UnicodeEncodeError:  # the test's own check: cp1252 has no ā
        raw = data.replace("ā", "a").encode(encoding)
    article = one(written(tmp_path, name, raw))
    expected = data.split("<title>")[1].split(" |")[0]
    assert article.title == (expected if encoding != "cp1252" else expected.replace("ā", "a"))
    assert "\ufffd" not in article.text and REPORT.split(" Saraqib")[0] in article.text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Just some plain words about a strike, saved with the wrong name.", "not an HTML page (no markup)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\x00\x00", "binary file"),
        (b"   \n ", "empty"),
        (b"<!<a", "not an HTML page (Document is empty)"),
        (b"<html><body><script>x()</script><img src='a.png'></body></html>", "no main text"),
    ],
)
def test_pages_that_are_not_articles(tmp_path, data, expected):
    error = one(written(tmp_path, "odd.html", data))
    assert isinstance(error, ArticleError) and error.id == "odd.html" and expected in error.reason


def test_broken_markup_still_gives_its_text(tmp_path):
    broken = f"<html><body><div><p>{REPORT}<p>{SECOND}</div></span><td><b>unclosed <i>tags</body>"
    article = one(written(tmp_path, "broken.html", broken))
    assert REPORT in article.text and SECOND in article.text


def test_a_page_saved_with_its_images_inline_and_one_too_large(tmp_path):
    image = base64.b64encode(bytes(range(256)) * 120_000).decode()  # 30 MB pictures, as "save as one file" does
    inline = PAGE.replace("<main>", f'<main><img src="data:image/png;base64,{image}" alt="x">')
    article = one(written(tmp_path, "single-file.html", inline))
    assert isinstance(article, Article) and REPORT in article.text
    huge = PAGE.replace("<main>", "<main><p>" + "filler " * (MAX_PAGE_BYTES // 7 + 1) + "</p>")
    error = one(written(tmp_path, "huge.html", huge))
    assert isinstance(error, ArticleError) and error.reason.startswith("web page too large (20.0 MB > 20 MB)")
    sprawling = PAGE.replace("<main>", "<main>" + "<div><p>filler text</p></div>" * (MAX_ELEMENTS // 2))
    error = one(written(tmp_path, "sprawling.html", sprawling))
    assert isinstance(error, ArticleError) and error.reason.startswith("web page too large (30,0")
    big = PAGE.replace("<main>", "<main>" + "<div><p>filler text</p></div>" * (FULL_ELEMENTS // 2))
    assert REPORT in one(written(tmp_path, "big.html", big)).text  # read without the fallback extractors


def test_the_fallback_extractors_run_only_when_the_main_pass_finds_little(tmp_path, monkeypatch):
    import geomap.articles.html as html

    calls: list[bool] = []
    real = html.extract
    monkeypatch.setattr(html, "extract", lambda tree, fast=False: calls.append(fast) or real(tree, fast))
    more = "".join(
        f"<p>Witness number {n} said the first strike hit the market at dawn, before it was full.</p>"
        for n in range(12)
    )
    long = PAGE.replace(f"<p>{SECOND}</p>", f"<p>{SECOND}</p>{more}")
    assert len(long) - len(PAGE) > html.SHORT_TEXT
    assert REPORT in one(written(tmp_path, "long.html", long)).text and calls == [True]
    calls.clear()
    assert REPORT in one(written(tmp_path, "short.html", PAGE)).text and calls == [True, False]


# -- feeds -------------------------------------------------------------------------------------------------------

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Example Wire: Syria</title><link>https://wire.example/</link><description>News</description>
<item><title>Market strike in Saraqib</title><link>https://wire.example/1</link><guid>wire-1</guid>
<pubDate>Tue, 06 Feb 2018 09:00:00 GMT</pubDate><description>Short summary.</description>
<content:encoded><![CDATA[<p>{REPORT}</p><p>{SECOND}</p>
<p>Read more: <a href="/x">other news</a></p>]]></content:encoded>
</item>
<item><title>Summary only</title><link>https://wire.example/2</link><guid>wire-2</guid>
<pubDate>the day before yesterday</pubDate>
<description>&lt;p&gt;SARAQIB, Feb 5, 2018 - Shelling hit the town's hospital, killing two nurses.&lt;/p&gt;
</description>
</item>
<item><title>Nothing in it</title><link>https://wire.example/3</link></item>
</channel></rss>"""
ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title><id>urn:atom-wire</id>
<updated>2019-03-04T10:00:00Z</updated>
<entry><title type="html">Drone strike &amp;amp; fire near Marib</title><id>urn:e1</id>
<link href="https://atom.example/e1"/><updated>2019-03-04T10:00:00Z</updated>
<content type="html">&lt;p&gt;{REPORT.replace("Saraqib", "Marib")}&lt;/p&gt;</content></entry>
</feed>"""


def test_an_rss_feed_gives_one_article_per_entry(tmp_path):
    items = list(read_articles([written(tmp_path, "syria.rss", RSS)]))
    first, warning, second, empty = items
    assert (first.id, first.title, first.url, first.source) == (
        "syria.rss#wire-1",
        "Market strike in Saraqib",
        "https://wire.example/1",
        "Example Wire: Syria",
    )
    assert first.text == f"{REPORT}\n\n{SECOND}"  # the content, not the summary; its teaser line dropped
    assert (first.published, first.date_source) == (date(2018, 2, 6), "metadata")
    assert isinstance(warning, ArticleError) and warning.id == "syria.rss#wire-2" and "bad date" in warning.reason
    assert second.text.startswith("SARAQIB, Feb 5, 2018") and (second.published, second.date_source) == (
        date(2018, 2, 5),
        "dateline",
    )
    assert isinstance(empty, ArticleError) and empty.id == "syria.rss#3" and "no text" in empty.reason


def test_an_atom_feed_and_files_that_are_not_feeds(tmp_path):
    (entry,) = read_articles([written(tmp_path, "marib.atom", ATOM)])
    assert (entry.id, entry.title, entry.published) == (
        "marib.atom#urn:e1",
        "Drone strike & fire near Marib",
        date(2019, 3, 4),
    )
    assert "Marib" in entry.text
    sitemap = written(tmp_path, "sitemap.xml", '<?xml version="1.0"?><urlset><url><loc>https://x</loc></url></urlset>')
    (error,) = read_articles([sitemap])
    assert isinstance(error, ArticleError) and "not an RSS or Atom feed" in error.reason
    (error,) = read_articles(
        [written(tmp_path, "empty.rss", '<rss version="2.0"><channel><title>t</title></channel></rss>')]
    )
    assert error.reason == "no records"
    (error,) = read_articles([written(tmp_path, "junk.xml", b"\x00\x01binary")])
    assert error.reason == "binary file"


# -- language ----------------------------------------------------------------------------------------------------

GERMAN = (
    "Kampfflugzeuge haben am Dienstag einen Markt in der Stadt Sarakib in der Provinz Idlib angegriffen und dabei "
    "sieben Menschen getötet, wie Rettungskräfte mitteilten. Die Helfer suchten bis zum Abend nach Überlebenden."
)


def test_an_article_in_another_language_is_reported_and_skipped(tmp_path):
    error = one(written(tmp_path, "de.txt", GERMAN))
    assert isinstance(error, ArticleError) and error.reason.startswith("written in de (probability")
    assert error.reason.endswith("not en: skipped")
    page = one(written(tmp_path, "de.html", PAGE.replace(SECOND, GERMAN)))
    assert isinstance(page, Article)  # mostly English: read
    assert isinstance(one(tmp_path / "de.txt", language=None), Article)  # every language read when asked
    assert isinstance(one(tmp_path / "de.txt", language="de"), Article)
    assert isinstance(one(written(tmp_path, "short.txt", "Kurz gesagt: nichts.")), Article)  # too short to tell


def test_english_that_tells_itself_by_its_commonest_words_asks_no_model(tmp_path, monkeypatch):
    import geomap.articles.language as language

    monkeypatch.setattr(language, "identify", lambda text: pytest.fail(f"the model was asked about {text[:30]!r}"))
    english = "Jets struck a market in the town of Sarakib on Tuesday, killing seven people, which rescuers said."
    assert isinstance(one(written(tmp_path, "en.txt", english)), Article)
    with pytest.raises(pytest.fail.Exception):
        one(written(tmp_path, "de.txt", GERMAN))  # no English words: the model decides


def test_counting_extracts_no_page(tmp_path, monkeypatch):
    written(tmp_path, "a.html", PAGE)
    written(tmp_path, "b.rss", RSS)
    written(tmp_path, "c.txt", "https://wire.example/1\nhttps://wire.example/2\n")
    written(tmp_path, "d.txt", REPORT)
    expected = len(list(read_articles([tmp_path])))
    import geomap.articles.html as html

    monkeypatch.setattr(html, "extract", lambda *a: pytest.fail("a page was extracted to count it"))
    assert count_articles([tmp_path]) == expected == 1 + 4 + 2 + 1


# -- through the released command: nothing lost, nothing fetched -------------------------------------------------


def test_web_inputs_through_the_released_command_without_network(tmp_path, cli_env):  # noqa: F811
    folder = tmp_path / "web"
    folder.mkdir()
    written(folder, "saraqib.html", PAGE)
    written(folder, "marib.atom", ATOM)
    written(folder, "syria.rss", RSS)
    written(folder, "plain.html", b"No markup here, just words.")
    written(folder, "image.html", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    written(folder, "german.txt", GERMAN)
    written(folder, "sitemap.xml", "<urlset><url><loc>https://x</loc></url></urlset>")
    written(
        folder, "links.txt", "http://127.0.0.1:9/a\nhttps://wire.example/b\nfile:///etc/passwd\nhttp://10.1.2.3/c\n"
    )
    out = tmp_path / "out"
    done = subprocess.run(
        [*geomap_command(), "run", str(folder), "-o", str(out)], env=cli_env, capture_output=True, timeout=600
    )
    assert done.returncode == 0, done.stderr.decode()
    report = json.loads((out / "report.json").read_text())
    reasons = {e["id"]: e["reason"] for e in report["errors"]}
    assert "not an HTML page" in reasons["plain.html"] and reasons["image.html"] == "binary file"
    assert reasons["german.txt"].startswith("written in de") and "not an RSS or Atom feed" in reasons["sitemap.xml"]
    assert "bad date" in reasons["syria.rss#wire-2"] and "no text" in reasons["syria.rss#3"]
    for url in ("http://127.0.0.1:9/a", "https://wire.example/b", "http://10.1.2.3/c"):
        assert "--fetch downloads it" in reasons[url]
    assert "file:// link" in reasons["file:///etc/passwd"]
    assert report["articles_read"] == 4  # the page, the Atom entry, two RSS entries
    features = json.loads((out / "incidents.geojson").read_text())["features"]
    found = {a for f in features for a in f["properties"]["articles"]}
    assert {"saraqib.html", "marib.atom#urn:e1", "syria.rss#wire-1"} <= found
    log = (tmp_path / "audit.log").read_text(encoding="utf-8").splitlines()
    assert not [line for line in log if line.startswith("socket.")]  # no connection, no name looked up
