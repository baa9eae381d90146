"""Web pages: the main text and metadata (title, publication date, canonical URL, site name) of a saved page.

The extraction is trafilatura's: it is the reference of the field (best or near best in the published
comparisons of main-text extractors), maintained, and comes with readers of a page's metadata (meta tags,
JSON-LD, and htmldate for the publication date). geomap runs it with reader comments left out and then drops
the lines that are page furniture rather than report: teaser links ("Read more: ..."), calls to subscribe,
follow or download, copyright and reprint notices, and photo credits (``BOILERPLATE``). These two choices
are what ``benchmarks/score_html.py`` measures against trafilatura's defaults.

Before extraction the bytes are decoded as a browser would (byte order mark, the server's charset, the page's
own ``<meta charset>``, else UTF-8 or a detected encoding), inline ``data:`` URIs (images a "save as single
file" embeds) are cut out, a page nested deeper than the HTML parser's limit is flattened first, so that
no text is lost to the limit, and pages too big for trafilatura's time (``MAX_PAGE_BYTES``, ``MAX_ELEMENTS``)
are reported instead of read.
"""

from __future__ import annotations

import contextlib
import copy
import html
import logging
import re
from html.parser import HTMLParser

import lxml.etree
import lxml.html
from charset_normalizer import from_bytes
from w3lib.encoding import html_to_unicode

from geomap.articles.text import check_binary, parse_date
from geomap.records import Article, ArticleError

Item = Article | ArticleError

MAX_PAGE_BYTES = 20 * 2**20  # trafilatura's own limit; larger pages are reported, not parsed
# trafilatura's time grows faster than the page: its fallback extractors (readability, jusText) take seconds on
# ten thousand elements, and its main pass a minute on a hundred thousand. News pages have a few thousand (at
# most 5,647 in ../shared/benchmarks/html); bigger ones are read without the fallbacks, huge ones reported.
FULL_ELEMENTS = 10_000
MAX_ELEMENTS = 30_000
# trafilatura's main pass alone (``fast``) finds the same text as with its fallback extractors on most pages, in
# two thirds of the time; when it finds less than this many characters (about 170 words, short for a news
# report), it most likely missed part of the article, and the fallbacks are run as well
SHORT_TEXT = 1000
MAX_DEPTH = 200  # deeper nesting is flattened (the parser stops at 256; trafilatura recurses)
SMALL_PAGE = 2000  # characters: a page with no main part found is read whole up to this size
MAX_LINE_WORDS = 50  # only lines this short can be boilerplate
BOILERPLATE = re.compile(  # a short line matching one of these is page furniture, not report
    r"""(?ix)
      ^(?:read|see|watch|listen)\s+(?:more|also)\b | ^also\s+read\b | ^related(?:\s+\w+)?\s*:     # teaser links
    | ^(?:please\s+)?(?:subscribe|sign\s+up|log\s+in|register|submit\s+your)\b | \bclick\s+here\b  # calls to act
    | \bto\s+(?:view|read|continue|access)\b.*\bsubscribe | \balready\s+a\s+subscriber\b           # paywalls
    | ^follow\b.*\b(?:twitter|facebook|instagram|whatsapp|telegram|youtube|tiktok|linkedin)\b
    | \bdownload\s+(?:the|our)\s+(?:\S+\s+){0,2}apps?\b
    | © | \bcopyright(?:ed)?\b | \ball\s+rights\s+reserved\b                                   # notices
    | \b(?:reprint|republish|reproduc)\w*\b.*\bpermission\b | \bpermission\b.*\b(?:reprint|republish|reproduc)
    | ^\(?(?:photo|image|picture|video|credit)s?(?:\s+credit)?\s*(?::|by\b)                       # photo credits
    """
)
_DATA_URI = re.compile(rb"data:[\w.+/-]*;base64,[A-Za-z0-9+/=\s]{256,}")
_MARKUP = re.compile(r"<(?:[a-zA-Z][\w-]*|!doctype|!--)", re.IGNORECASE)
_CONFIG = None

for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_name).addHandler(logging.NullHandler())  # their warnings are ours to report, not print


def read_html(data: bytes, aid: str, content_type: str | None = None, url: str | None = None) -> Item:
    """The page's main text (paragraphs separated by a blank line) and metadata, or why there is none."""
    check_binary(data)
    data = _DATA_URI.sub(b"data:,", data)
    if len(data) > MAX_PAGE_BYTES:
        raise ValueError(f"web page too large ({len(data) / 2**20:.1f} MB > {MAX_PAGE_BYTES // 2**20} MB)")
    text = decode_html(data, content_type)
    if not text.strip():
        raise ValueError("empty")
    if not _MARKUP.search(text):
        raise ValueError("not an HTML page (no markup)")
    tree = parse(text)
    elements = sum(1 for _ in tree.iter())
    if elements > MAX_ELEMENTS:
        raise ValueError(f"web page too large ({elements:,} elements > {MAX_ELEMENTS:,})")
    title, canonical, site, day = metadata(tree, url)
    found = extract(tree, fast=True)
    if elements <= FULL_ELEMENTS and len(found) < SHORT_TEXT:
        found = extract(tree)
    body = main_text(found)
    if not body:
        body = _small_page(tree)
    if not body:
        return ArticleError(aid, "no main text found in the page")
    published = parse_date(day) if day else None
    return Article(aid, body, published, title, canonical, site, "metadata" if published else None)


def metadata(tree: lxml.html.HtmlElement, url: str | None = None) -> tuple[str | None, ...]:
    """The page's title, canonical URL, site name and publication date (YYYY-MM-DD), as trafilatura reads them
    (meta tags, then JSON-LD, then the page's own elements) and htmldate's date, without the author, categories,
    tags and licence that trafilatura's whole metadata pass also looks for (a sixth of the time of a page)."""
    from htmldate import find_date
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_sitename, extract_title, extract_url

    meta = examine_meta(tree)
    with contextlib.suppress(Exception):  # trafilatura guards this call the same way (bugs in JSON-LD parsing)
        meta = extract_meta_json(tree, meta)
    canonical = meta.url or extract_url(tree, url)
    day = find_date(tree, url=canonical, **_DATES)
    site = (meta.sitename or extract_sitename(tree) or "").lstrip("@") or None
    return meta.title or extract_title(tree), canonical, site, day


def _small_page(tree: lxml.html.HtmlElement) -> str:
    """All the text of a page too small or plain for trafilatura to find a main part in (else "")."""
    from trafilatura import html2txt

    for el in tree.xpath("//nav|//footer|//aside|//form|//menu|//script|//style"):
        el.drop_tree()
    text = " ".join(html2txt(tree).split())
    return text if len(text) <= SMALL_PAGE and not is_boilerplate(text) else ""


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """The page as text: byte order mark, then the server's charset, then ``<meta charset>``, then a guess."""
    return html_to_unicode(content_type, data, auto_detect_fun=_guess)[1].replace("\r\n", "\n")


def _guess(data: bytes) -> str | None:
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        best = from_bytes(data[:65536]).best()
        return best.encoding if best else None


def parse(text: str) -> lxml.html.HtmlElement:
    """The page's tree (always a whole document, even from a fragment), flattened first if nested too deeply."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
        if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
            tree = lxml.html.document_fromstring(_Flattener.flatten(text).encode("utf-8", "replace"), parser=parser)
    except lxml.etree.ParserError as exc:  # "<!<a": markup of which no document can be made
        raise ValueError(f"not an HTML page ({exc})") from None
    return tree


def extract(tree: lxml.html.HtmlElement, fast: bool = False) -> str:
    """trafilatura's main text of the tree (a copy is worked on), "" when it finds nothing; ``fast`` leaves
    out its fallback extractors."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        tree, fast=fast, include_comments=False, config=_config(), prune_xpath=_NEVER_TEXT
    )
    return (doc.text or "") if doc else ""


_DATES = {"extensive_search": False, "original_date": True}  # the date the page states, not one guessed from text
# scripts and styles, most of a modern page's bytes, dropped before extraction (the metadata, read first, needs
# the JSON-LD <script>s): a smaller tree for trafilatura's many passes. (Dropping svg, iframe and the like as well
# changes what trafilatura keeps on the benchmark pages, so they stay.)
_NEVER_TEXT = "//script|//style"


def _config():
    """trafilatura's settings, with short articles kept as extracted (not replaced by the whole page's text,
    which splits every inline element onto a line of its own)."""
    global _CONFIG
    if _CONFIG is None:
        from trafilatura.settings import DEFAULT_CONFIG

        _CONFIG = copy.deepcopy(DEFAULT_CONFIG)
        _CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", "0")
    return _CONFIG


def main_text(text: str) -> str:
    """The extracted text without its boilerplate lines, one paragraph per line -> blank-line separated."""
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n\n".join(line for line in lines if line and not is_boilerplate(line))


def fragment_text(fragment: str) -> str:
    """The text of a piece of HTML that is all content (a feed entry's body): one paragraph per block."""
    if not _MARKUP.search(fragment):
        return main_text(html.unescape(fragment))
    tree = parse(f"<html><body>{fragment}</body></html>")
    for el in tree.xpath("//script|//style|//noscript|//template|//iframe|//object|//svg"):
        el.drop_tree()
    for el in tree.iter(*_BLOCKS):
        el.text, el.tail = "\n" + (el.text or ""), "\n" + (el.tail or "")
    return main_text(tree.text_content())


_BLOCKS = (
    *("p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "pre", "blockquote"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "main", "figure", "figcaption"),
)


def is_boilerplate(line: str) -> bool:
    return len(line.split()) <= MAX_LINE_WORDS and BOILERPLATE.search(line) is not None


class _Flattener(HTMLParser):
    """Re-writes a page with the tags nested deeper than ``MAX_DEPTH`` left out (their text kept)."""

    VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.depth = 0

    @classmethod
    def flatten(cls, text: str) -> str:
        flattener = cls()
        flattener.feed(text)
        flattener.close()
        return "".join(flattener.out)

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.VOID:
            self.out.append(self.get_starttag_text() or "")
            return
        self.depth += 1
        if self.depth <= MAX_DEPTH:
            self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag, attrs) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag) -> None:
        if tag in self.VOID:
            return
        if self.depth <= MAX_DEPTH:
            self.out.append(f"</{tag}>")
        self.depth = max(0, self.depth - 1)

    def handle_data(self, data) -> None:
        self.out.append(data)

    def handle_entityref(self, name) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name) -> None:
        self.out.append(f"&#{name};")

    def handle_decl(self, decl) -> None:
        self.out.append(f"<!{decl}>")
