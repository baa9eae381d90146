"""Tests for geomap.evaluate on small invented corpora in the four gold formats."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from gazetteer.model import Candidate, Entry
from geomap.evaluate import MAX_KM, Corpus, GoldToponym, auc, evaluate, format_report, read_corpus
from geomap.records import Toponym

FIXTURES = Path(__file__).parent / "fixtures" / "eval"
BENCHMARKS = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "geoparsing"
EARTH_RADIUS_KM = 6371.009  # geopy's great_circle radius


def entry(name: str, lat: float, lon: float, population: int = 0, country: str | None = "TL") -> Entry:
    return Entry(0, name, lat, lon, country, None, None, "P", "PPL", population, None, "test", 0.5)


def north(lat: float, km: float) -> float:
    """The latitude ``km`` due north of ``lat`` on geopy's sphere."""
    return lat + math.degrees(km / EARTH_RADIUS_KM)


def spans(corpus: Corpus) -> list[list[tuple[int, int, str, float | None, float | None, int | None]]]:
    return [[(t.start, t.end, t.name, t.lat, t.lon, t.geonameid) for t in a.toponyms] for a in corpus.articles]


def agree(corpus: Corpus) -> bool:
    return all(a.text[t.start : t.end] == t.name for a in corpus.articles for t in a.toponyms)


# ----------------------------------------------------------------------------- reading


def test_read_gwn_counts_toponyms_and_geocodes_only_those_with_a_geonames_id():
    corpus = read_corpus(FIXTURES / "gwn.xml")
    assert (corpus.name, corpus.format) == ("gwn", "gwn")
    assert [a.id for a in corpus.articles] == ["0", "1", "2"]
    text = corpus.articles[0].text
    assert "Krakow & the mayor" in text  # the entity is decoded and offsets count the decoded text
    assert spans(corpus)[0] == [
        (25, 31, "Tarnow", 50.01, 20.99, 9000001),
        (35, 41, "Krakow", 50.06, 19.94, 9000002),
        (57, 63, "Tarnow", 50.01, 20.99, 9000001),
        (69, 75, "Polish", None, None, None),  # a demonym: recognised, not geocoded
        (94, 105, "Mill Street", None, None, None),  # coordinates but no GeoNames id
    ]  # expressions are left out; the title annotation (negative offsets) is dropped
    assert spans(corpus)[1] == [(18, 25, "Gotland", 57.5, 18.55, 9000003)]
    assert corpus.articles[2].toponyms == []
    assert (corpus.realigned, corpus.unaligned, corpus.dropped) == (0, 0, 1)
    assert agree(corpus)


def test_read_lgl_keeps_cdata_verbatim_and_toponyms_without_gaztag():
    corpus = read_corpus(FIXTURES / "lgl.xml")
    assert corpus.format == "lgl"
    assert [a.id for a in corpus.articles] == ["101", "102"]
    assert "R&amp;D" in corpus.articles[0].text
    assert spans(corpus) == [
        [
            (29, 40, "Springfield", 39.8, -89.64, 8000001),
            (73, 88, "Sangamon County", 39.76, -89.66, 8000002),
            (94, 110, "Lake Springfield", None, None, None),
        ],
        [(10, 16, "Dayton", 39.76, -84.19, 8000003), (60, 67, "Indiana", 40.0, -86.25, 8000004)],
    ]
    assert (corpus.realigned, corpus.unaligned, corpus.dropped) == (0, 0, 0)
    assert agree(corpus)


def test_read_tr_news_realigns_drifting_offsets():
    corpus = read_corpus(FIXTURES / "tr-news.xml")
    assert corpus.format == "lgl"
    text = corpus.articles[0].text
    assert text.startswith("Talks opened in Oslo") and "\nDelegates" in text
    assert [(t.start, t.end, t.name) for t in corpus.articles[0].toponyms] == [
        (16, 20, "Oslo"),
        (47, 53, "Bergen"),
        (58, 67, "Trondheim"),
        (81, 87, "Bergen"),  # the annotated end was one short
    ]
    assert (corpus.realigned, corpus.unaligned, corpus.dropped) == (3, 0, 0)
    assert agree(corpus)


def test_read_geovirus_shifts_offsets_and_reads_nested_locations():
    corpus = read_corpus(FIXTURES / "geovirus.xml")
    assert corpus.format == "geovirus"
    assert [a.id for a in corpus.articles] == ["0", "1"]
    assert spans(corpus) == [
        [(18, 25, "Mombasa", -4.05, 39.67, None), (66, 73, "Nairobi", -1.29, 36.82, None)],
        [(64, 68, "Peru", -10.0, -76.0, None), (22, 27, "Cusco", -13.53, -71.97, None)],
    ]
    assert corpus.realigned == 4
    assert agree(corpus)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("Springfield, Illinois\n", "not an XML file"),
        ("", "not an XML file"),
        ("<html><body>Springfield</body></html>", "not a GeoWebNews, LGL, TR-News or GeoVirus corpus"),
        ("<articles><article><text>No annotations.</text></article></articles>", "not a GeoWebNews"),
        (
            "<articles><article docid='1'><text>In Oslo.</text><toponyms><toponym><start>three</start>"
            "<end>7</end><phrase>Oslo</phrase></toponym></toponyms></article></articles>",
            "malformed lgl annotation",
        ),
    ],
)
def test_bad_files_raise_value_error_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "bad.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=reason) as excinfo:
        read_corpus(path)
    assert str(path) in str(excinfo.value)


# ----------------------------------------------------------------------------- scoring


class FakeGazetteer:
    """Candidates by name; records the lookups."""

    def __init__(self, table: dict[str, list[Candidate]]):
        self.table = table
        self.calls: list[tuple[str, int]] = []

    def lookup(self, name: str, *, limit: int = 10, fuzzy: bool = True) -> list[Candidate]:
        self.calls.append((name, limit))
        return self.table.get(name, [])[:limit]


def candidate(e: Entry, match: str = "exact") -> Candidate:
    return Candidate(e, 0.5, match, e.name, 1.0)


def perfect(corpus: Corpus, unresolved: frozenset[str] = frozenset()):
    """A parser returning every gold toponym, resolved at its gold point unless named in ``unresolved``."""
    by_text = {a.text: a for a in corpus.articles}

    def parse(texts: list[str]) -> list[list[Toponym]]:
        out = []
        for text in texts:
            out.append(
                [
                    Toponym(
                        g.start,
                        g.end,
                        g.name,
                        g.name,
                        entry=None if g.name in unresolved or g.lat is None else entry(g.name, g.lat, g.lon),
                    )
                    for g in by_text[text].toponyms
                ]
            )
        return out

    return parse


@pytest.fixture
def lgl() -> Corpus:
    return read_corpus(FIXTURES / "lgl.xml")


def test_perfect_parser_scores_one_and_auc_zero(lgl):
    result = evaluate(lgl, perfect(lgl), FakeGazetteer({}))
    assert (result["corpus"], result["articles"], result["gold_toponyms"], result["gold_with_coords"]) == (
        "lgl",
        2,
        5,
        4,
    )
    for key in ("precision", "recall", "f1", "strict_precision", "strict_recall", "strict_f1", "acc161"):
        assert result[key] == 1.0, key
    assert result["auc"] == 0.0
    assert result["mean_km"] == result["median_km"] == 0.0
    assert (result["matched"], result["scored"], result["resolved"]) == (5, 4, 4)
    assert result["unresolved_names"] == result["errors_top"] == []
    assert result["seconds"] >= 0
    json.dumps(result)


def test_miss_partial_span_false_positive_and_500_km_error(lgl):
    springfield, sangamon, lake, dayton, indiana = (t for a in lgl.articles for t in a.toponyms)

    def parse(texts: list[str]) -> list[list[Toponym]]:
        assert texts == [a.text for a in lgl.articles]
        return [
            [
                Toponym(
                    springfield.start,
                    springfield.end,
                    "Springfield",
                    "Springfield",
                    entry=entry("Springfield", 39.8, -89.64),
                ),
                Toponym(
                    sangamon.start,
                    sangamon.start + 8,
                    "Sangamon",
                    "Sangamon",  # overlaps, not strict
                    entry=entry("Sangamon County", 39.76, -89.66),
                ),
                Toponym(lake.start, lake.end, "Lake Springfield", "Lake Springfield"),  # gold has no point
                Toponym(41, 47, "Monday", "Monday", entry=entry("Monday", 0.0, 0.0)),  # false positive
            ],
            [  # Dayton missed; Indiana placed 500 km north
                Toponym(
                    indiana.start,
                    indiana.end,
                    "Indiana",
                    "Indiana",
                    entry=entry("Indiana North", north(40.0, 500), -86.25, country="ZZ"),
                ),
            ],
        ]

    result = evaluate(lgl, parse, FakeGazetteer({}))
    for key, expected in {
        "precision": 4 / 5,
        "recall": 4 / 5,
        "f1": 4 / 5,
        "strict_precision": 3 / 5,
        "strict_recall": 3 / 5,
        "strict_f1": 3 / 5,
    }.items():
        assert result[key] == pytest.approx(expected), key
    # scored: Springfield 0 km, Sangamon County 0 km, Indiana 500 km
    assert (result["matched"], result["scored"], result["resolved"]) == (4, 3, 3)
    assert result["acc161"] == pytest.approx(2 / 3)
    assert result["mean_km"] == pytest.approx(500 / 3)
    assert result["median_km"] == pytest.approx(0.0, abs=1e-6)
    # sorted ln(1 + km) = [0, 0, ln 501]: trapezoids 0 + ln(501)/2 over 2 unit steps, over ln 20039
    assert result["auc"] == pytest.approx(math.log(501) / 2 / (2 * math.log(20039)))
    assert result["unresolved_names"] == [{"name": "Dayton", "count": 1}]
    assert result["errors_top"][0] == {
        "article": "102",
        "name": "Indiana",
        "predicted": "Indiana North",
        "country": "ZZ",
        "km": 500.0,
    }
    assert dayton.name == "Dayton"
    assert "500 km  Indiana -> Indiana North (ZZ)  [102]" in format_report(result)


def test_acc161_all_counts_missed_toponyms_as_wrong(lgl):
    springfield, _, _, dayton, indiana = (t for a in lgl.articles for t in a.toponyms)

    def parse(texts: list[str]) -> list[list[Toponym]]:  # finds Springfield (right) and Indiana (wrong) only
        return [
            [Toponym(springfield.start, springfield.end, "Springfield", "Springfield", entry=entry("S", 39.8, -89.64))],
            [Toponym(indiana.start, indiana.end, "Indiana", "Indiana", entry=entry("I", north(40.0, 500), -86.25))],
        ]

    gazetteer = FakeGazetteer(
        {"Springfield": [candidate(entry("S", 39.8, -89.64))], "Indiana": [candidate(entry("I", 40.0, -86.25))]}
    )
    result = evaluate(lgl, parse, gazetteer)
    # 4 gold toponyms with coordinates, 2 matched: 1 right
    assert (result["gold_with_coords"], result["scored"]) == (4, 2)
    assert result["acc161"] == pytest.approx(1 / 2)
    assert result["acc161_all"] == pytest.approx(1 / 4)
    assert result["oracle_acc161"] == pytest.approx(2 / 2)
    assert result["oracle_acc161_all"] == pytest.approx(2 / 4)
    assert result["gold_spans"] is False
    assert dayton.name == "Dayton"


def test_gold_spans_hands_the_gold_mentions_to_the_resolver(lgl):
    given = []

    def resolve(texts: list[str], spans: list[list[tuple[int, int]]]) -> list[list[Toponym]]:
        given.extend(spans)
        by_text = {a.text: a for a in lgl.articles}
        return [
            [
                Toponym(s, e, text[s:e], text[s:e], entry=entry(g.name, g.lat, g.lon) if g.lat is not None else None)
                for (s, e), g in zip(spans_of, by_text[text].toponyms, strict=True)
            ]
            for text, spans_of in zip(texts, spans, strict=True)
        ]

    result = evaluate(lgl, resolve, FakeGazetteer({}), gold_spans=True)
    assert given == [[(t.start, t.end) for t in a.toponyms] for a in lgl.articles]
    assert result["gold_spans"] is True
    assert result["acc161"] == result["acc161_all"] == 1.0
    assert "resolution of the given gold mentions" in format_report(result)


def test_unresolved_prediction_counts_as_largest_error(lgl):
    result = evaluate(lgl, perfect(lgl, frozenset({"Dayton"})), FakeGazetteer({}))
    assert result["recall"] == 1.0
    assert (result["scored"], result["resolved"]) == (4, 3)
    assert result["acc161"] == pytest.approx(3 / 4)
    assert result["mean_km"] == pytest.approx(MAX_KM / 4)
    assert result["median_km"] == 0.0
    assert result["auc"] == pytest.approx(math.log(1 + MAX_KM) / 2 / (3 * math.log(MAX_KM)))
    assert result["unresolved_names"] == [{"name": "Dayton", "count": 1}]
    assert all(e["name"] != "Dayton" for e in result["errors_top"])


def test_baseline_takes_most_populous_and_oracle_the_nearest_candidate(lgl):
    gazetteer = FakeGazetteer(
        {
            # the most populous Springfield is 1000 km away; the right one is also offered
            "Springfield": [
                candidate(entry("Springfield", 39.8, -89.64, 116_000)),
                candidate(entry("Springfield", north(39.8, 1000), -89.64, 160_000)),
            ],
            "Sangamon County": [candidate(entry("Sangamon County", 39.76, -89.66))],
            # a populous fuzzy match does not beat the exact one
            "Indiana": [
                candidate(entry("Indianola", -30.0, 150.0, 10_000_000), "fuzzy"),
                candidate(entry("Indiana", 40.0, -86.25, 6_000_000)),
            ],
            # Dayton: no candidate, a miss for both
        }
    )
    result = evaluate(lgl, perfect(lgl), gazetteer)
    assert result["baseline_acc161"] == pytest.approx(2 / 4)
    assert result["oracle_acc161"] == pytest.approx(3 / 4)
    assert sorted(gazetteer.calls) == [(n, 50) for n in ("Dayton", "Indiana", "Sangamon County", "Springfield")]


def test_limit_and_parse_length_check(lgl):
    result = evaluate(lgl, perfect(lgl), FakeGazetteer({}), limit=1)
    assert (result["articles"], result["gold_toponyms"]) == (1, 3)
    with pytest.raises(ValueError, match="2 texts"):
        evaluate(lgl, lambda texts: [[]], FakeGazetteer({}))


def test_nothing_predicted_gives_zeros_and_no_resolution_figures(lgl):
    result = evaluate(lgl, lambda texts: [[] for _ in texts], FakeGazetteer({}))
    assert result["precision"] == result["recall"] == result["f1"] == 0.0
    assert result["acc161"] is None and result["auc"] is None and result["oracle_acc161"] is None
    report = format_report(result)
    assert "lgl: 2 articles, 5 gold toponyms (4 with coordinates), 0 predicted" in report
    assert "Springfield (1)" in report


def test_format_report_shows_the_figures(lgl):
    report = format_report(evaluate(lgl, perfect(lgl, frozenset({"Dayton"})), FakeGazetteer({})))
    lines = report.splitlines()
    assert any(line.split() == ["overlap", "1.000", "1.000", "1.000"] for line in lines)
    assert any(line.split() == ["parser", "0.750", "0.750", "0.167", "5010", "0.0"] for line in lines)
    assert "missed or unresolved: Dayton (1)" in report
    assert "worst errors" not in report  # none beyond 161 km


def test_auc_single_error_and_bounds():
    assert auc([0.0]) == 0.0
    assert auc([20038.0]) == pytest.approx(1.0)
    assert auc([0.0, 0.0, 500.0]) == auc([500.0, 0.0, 0.0])


def test_gold_toponym_defaults():
    assert GoldToponym(0, 4, "Oslo").lat is None


# ----------------------------------------------------------------------------- the real corpora


@pytest.mark.parametrize(
    ("file", "articles", "toponyms", "with_coords"),
    [
        ("GWN.xml", 200, 2718, 2399),
        ("lgl.xml", 588, 5088, 4462),
        ("TR-News.xml", 118, 1319, 1275),
        ("GeoVirus.xml", 229, 2170, 2170),
    ],
)
def test_real_corpora(file, articles, toponyms, with_coords):
    path = BENCHMARKS / file
    if not path.exists():
        pytest.skip(f"{path} not present")
    corpus = read_corpus(path)
    gold = [(a, t) for a in corpus.articles for t in a.toponyms]
    assert len(corpus.articles) == articles
    assert (len(gold), sum(t.lat is not None for _, t in gold)) == (toponyms, with_coords)
    agreeing = sum(a.text[t.start : t.end] == t.name for a, t in gold)
    assert agreeing >= 0.99 * len(gold)


def test_error_buckets_tell_why_a_mention_is_wrong(lgl):
    springfield, sangamon, _, dayton, indiana = (t for a in lgl.articles for t in a.toponyms)
    right_indiana = entry("Indiana", indiana.lat, indiana.lon)
    far_indiana = entry("Indiana North", north(indiana.lat, 500), indiana.lon, country="ZZ")
    far_sangamon = entry("Sangamon North", north(sangamon.lat, 400), sangamon.lon)

    def parse(with_candidates: bool):
        def run(texts: list[str]) -> list[list[Toponym]]:
            def mention(g, e, candidates=()):
                return Toponym(g.start, g.end, g.name, g.name, entry=e, candidates=tuple(candidates))

            near = [candidate(far_indiana), candidate(right_indiana)] if with_candidates else []
            return [
                [
                    mention(springfield, entry("Springfield", springfield.lat, springfield.lon)),
                    mention(sangamon, far_sangamon, [candidate(far_sangamon)]),
                ],
                [mention(dayton, None), mention(indiana, far_indiana, near)],
            ]

        return run

    result = evaluate(lgl, parse(True), FakeGazetteer({}))
    assert result["error_buckets"] == {
        "correct": 1,
        "unresolved": 1,
        "wrong pick: other country": 1,
        "beyond the gazetteer": 1,
    }
    gazetteer = FakeGazetteer({"Indiana": [candidate(right_indiana)]})
    buckets = evaluate(lgl, parse(False), gazetteer)["error_buckets"]
    assert buckets["not among its candidates, in the gazetteer's"] == 1 and buckets["beyond the gazetteer"] == 1
    assert "resolution by cause:" in format_report(result)


def _place(name, lat, lon, admin1, code="PPL"):
    return Entry(
        0, name, lat, lon, "US", admin1, admin1, "A" if code.startswith("ADM") else "P", code, 0, None, "t", 0.5
    )


@pytest.mark.parametrize(
    ("pick", "bucket"),
    [
        (_place("Paris", 33.66, -95.56, "TX"), "other first-level region"),
        (_place("Tennessee", 35.86, -86.35, "TN", "ADM1"), "region or place"),
        (_place("Paris Landing", 35.15, -90.05, "TN"), "same first-level region"),
    ],
)
def test_bucket_of_a_wrong_pick_in_the_right_country(pick, bucket):
    from geomap.evaluate import _bucket

    gold = GoldToponym(0, 5, "Paris", 36.302, -88.326)
    right = _place("Paris", 36.302, -88.326, "TN")
    mention = Toponym(0, 5, "Paris", "Paris", entry=pick, candidates=(candidate(pick), candidate(right)))
    assert _bucket(gold, mention, oracle_km=0.0) == f"wrong pick: {bucket}"
