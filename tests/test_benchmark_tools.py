"""Unit tests of the benchmark's own tools: the labelled spinner, the scorer, the splitter.

They use only hand-written text and the installed lexicons (no corpus, no /work/shared, no
timing), so they are fast and can fail: a spinner that mis-records a span, a scorer that
miscounts, or a splitter that depends on order would each break one of them.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import corpora, pps, scorer, spinner  # noqa: E402

TEXT = (
    "Stock markets fell sharply on Monday after the central bank raised interest rates. "
    "A Kremlin-backed group said the plant, which employs thousands of local workers, would "
    "close within weeks. Officials from the UN and the EU urged calm, and analysts expected "
    "prices to recover once the long-term outlook improved.\n\n"
    "Researchers used artificial intelligence to screen patients for breast cancer, and "
    "the results were published in a leading medical journal.\n"
)


# -- the spinner --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_spinner_records_restore_the_source_exactly(seed: int) -> None:
    spun = spinner.spin(TEXT, random.Random(seed), rate=0.5, hyphen_rate=1.0, glue_rate=1.0)
    assert spun.text != TEXT
    assert spun.restore() == TEXT
    for change in spun.changes:
        assert spun.text[change.start : change.end] == change.spun
        assert change.spun != change.original


def test_spinner_makes_each_kind_of_change() -> None:
    spun = spinner.spin(TEXT, random.Random(1), rate=0.5, hyphen_rate=1.0, glue_rate=1.0)
    by_original = {c.original: c for c in spun.changes}
    assert by_original["Kremlin-backed"].spun == "Kremlin- backed"
    assert by_original["Kremlin-backed"].kind == "glitch"
    assert {"of the UN", "the UN", "from the UN"} & set(by_original) or any(
        c.spun in ("theUN", "theEU") for c in spun.changes
    )
    lexical = [c for c in spun.changes if c.kind == "lexical"]
    assert lexical, "a 50 % rate must swap some content words"
    stop = spinner._stop_words()
    assert all(c.original.lower() not in stop for c in lexical)


def test_spinner_keeps_inflection_and_case() -> None:
    # Plural nouns stay plural and past tenses stay past: every candidate of "markets" is a
    # form lemminflect tags NNS, never the bare lemma.
    from lemminflect import getAllLemmas

    for word in ("markets", "raised"):
        cands = spinner.candidates(word)
        assert cands, word
        assert word not in cands
    spun = spinner.spin("Markets rose. Markets fell.", random.Random(0), rate=1.0)
    assert spun.changes and all(c.spun[0].isupper() == c.original[0].isupper() for c in spun.changes)
    # "raised" (VBD/VBN) gets past forms, not the base form of its synonyms.
    assert all(getAllLemmas(c) for c in spinner.candidates("raised")[:5])


def test_spinner_is_deterministic_for_a_seed() -> None:
    a = spinner.spin(TEXT, random.Random("doc-7"))
    b = spinner.spin(TEXT, random.Random("doc-7"))
    assert a == b


def test_spinner_rate_zero_changes_only_glitches() -> None:
    spun = spinner.spin(TEXT, random.Random(3), rate=0.0, hyphen_rate=0.0, glue_rate=0.0)
    assert spun.text == TEXT and spun.changes == ()


# -- the scorer ---------------------------------------------------------------------------

SPUN = "Stock showcases fell. A Kremlin- backed group met. Nothing else here."
#       0         1         2         3         4         5         6
#       0123456789012345678901234567890123456789012345678901234567890123456789


def _gold() -> list[scorer.Gold]:
    return [
        scorer.Gold("d", 6, 15, "markets", "lexical"),  # "showcases"
        scorer.Gold("d", 24, 39, "Kremlin-backed", "glitch"),  # "Kremlin- backed"
    ]


def test_scorer_counts_tp_fp_fn() -> None:
    assert SPUN[6:15] == "showcases" and SPUN[24:39] == "Kremlin- backed"
    found = [
        scorer.Finding("d", 0, 15, "COL101", ((0, 15, "stock markets"),)),  # TP, fix right
        scorer.Finding("d", 52, 59, "LEX001", ((52, 59, "anything"),)),  # FP: "Nothing"
        scorer.Finding("d", 6, 15, "LEX002", ((6, 15, "exhibitions"),)),  # TP, fix wrong
    ]
    s = scorer.score(found, _gold(), {"d": SPUN})
    assert (s.overall.findings, s.overall.tp, s.overall.fp) == (3, 2, 1)
    assert s.gold == 2 and s.overall.gold_hit == 1  # the glitch span is a false negative
    assert s.recall == 0.5
    assert s.overall.fixable_tp == 2 and s.overall.fix_correct == 1
    assert s.per_code["COL101"].precision == 1.0
    assert s.per_code["LEX001"].precision == 0.0
    assert s.per_code["LEX002"].fix_accuracy == 0.0
    assert dict(s.per_kind) == {"lexical": [1, 1], "glitch": [0, 1]}


def test_scorer_judges_a_fix_by_the_text_it_produces() -> None:
    # A safe glitch fix that deletes only the space still restores "Kremlin-backed".
    gap = scorer.Finding("d", 24, 39, "GLT001", ((32, 33, ""),))
    # A finding with no fix is a true positive without a fix to judge.
    bare = scorer.Finding("d", 24, 32, "GLT009")
    s = scorer.score([gap, bare], _gold(), {"d": SPUN})
    assert s.overall.tp == 2 and s.overall.fixable_tp == 1 and s.overall.fix_correct == 1
    # Case and spacing do not matter; the wording does.
    assert scorer.fix_restores(SPUN, scorer.Finding("d", 6, 15, "X", ((6, 15, "Markets"),)), _gold())
    assert not scorer.fix_restores(SPUN, scorer.Finding("d", 6, 15, "X", ((6, 15, "market"),)), _gold())


def test_scorer_scope_and_clean_alarms() -> None:
    found = [scorer.Finding("d", 6, 15, "A"), scorer.Finding("other", 0, 3, "A")]
    s = scorer.score(found, _gold(), {"d": SPUN, "other": "abc"}, docs=["d"])
    assert s.overall.findings == 1
    a = scorer.alarms([scorer.Finding("c", 0, 1, "A"), scorer.Finding("c", 2, 3, "B")], 4000)
    assert a["alarms"] == 2 and a["per_1000_words"] == 0.5
    assert a["per_code"]["B"] == {"alarms": 1, "per_1000_words": 0.25}


# -- the splitter and the PPS carriers ----------------------------------------------------


def test_split_is_deterministic_and_order_free() -> None:
    items = [f"doc-{i}" for i in range(400)]
    a_dev, a_test = corpora.split(items, str, "seed", 0.5)
    b_dev, b_test = corpora.split(list(reversed(items)), str, "seed", 0.5)
    assert sorted(a_dev) == sorted(b_dev) and sorted(a_test) == sorted(b_test)
    assert set(a_dev).isdisjoint(a_test) and len(a_dev) + len(a_test) == 400
    assert 150 < len(a_dev) < 250  # about half
    # Membership of an item does not depend on the other items.
    c_dev, _ = corpora.split(items[:50], str, "seed", 0.5)
    assert set(c_dev) == set(a_dev) & set(items[:50])
    # Another seed gives another split.
    d_dev, _ = corpora.split(items, str, "other-seed", 0.5)
    assert set(d_dev) != set(a_dev)
    assert corpora.sample(items, str, "s", 10) == corpora.sample(list(reversed(items)), str, "s", 10)


def test_pps_carrier_places_phrase_and_term_at_the_offset() -> None:
    c = pps.carrier(pps.Pair("counterfeit consciousness", "artificial intelligence"))
    assert c.spun[c.offset :].startswith("counterfeit consciousness")
    assert c.correct[c.offset :].startswith("artificial intelligence")
    assert c.spun.replace("counterfeit consciousness", "artificial intelligence") == c.correct


def test_wikitext_to_prose_keeps_only_running_text() -> None:
    wikitext = (
        "{{Infobox person|name=X}}\n'''Ada Lovelace''' was an English [[mathematician]] and "
        "[[Writer|writer]] chiefly known for her work on the [[Analytical Engine]].<ref>A source</ref>\n"
        "== Life ==\n* a list item that is long enough to count as words here\n"
        "[[File:Ada.jpg|thumb|A [[portrait]]]]\n"
    )
    prose = corpora.wikitext_to_prose(wikitext)
    assert " ".join(prose.split()) == (
        "Ada Lovelace was an English mathematician and writer chiefly known for her work on the "
        "Analytical Engine."
    )


def test_real_spun_gold_rows_become_offsets(tmp_path: Path) -> None:
    from benchmarks import run

    folder = tmp_path
    (folder / "a.txt").write_text("Stock showcases fell.\nThe showcases and more showcases rose.\n")
    (folder / "a.gold.tsv").write_text(
        "# header\n"
        "1\tStock showcases\t1\tStock markets\tcollocation\tstrong\n"
        "2\tshowcases\t2\tmarkets\tlexical\tweak\n"
        "2\tnowhere\t1\tx\tlexical\tweak\n"
    )
    (folder / "b.txt").write_text("No gold for this one.\n")
    docs, golds, annotated, warnings = run.real_spun(str(folder))
    text = (folder / "a.txt").read_text()
    assert [d.id for d in docs] == ["real/a.txt", "real/b.txt"] and annotated == {"real/a.txt"}
    assert [(text[g.start : g.end], g.original, g.kind, g.strength) for g in golds] == [
        ("Stock showcases", "Stock markets", "collocation", "strong"),
        ("showcases", "markets", "lexical", "weak"),
    ]
    assert golds[1].start == text.index("more showcases") + len("more ")
    assert len(warnings) == 1 and "nowhere" in warnings[0]


def test_speed_rounds_alternate_the_tools_and_report_the_median_round(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Each round runs spinlint then proselint in fresh workers; a drifting machine moves
    both within a round, so the median of the rounds' ratios is reported."""
    from benchmarks import run

    docs = [run.Doc("d1", "d1.txt", "one two", "news"), run.Doc("d2", "d2.txt", "three", "news")]
    calls: list[str] = []
    cpu = iter([1.0, 2.0, 2.0, 2.0, 1.0, 4.0])  # per call: (spinlint, proselint) x 3 rounds

    def fake_worker(tool, docs_, tag, ignore=(), timed=(), deep=False):  # type: ignore[no-untyped-def]
        calls.append(tool)
        t = next(cpu) / len(docs_)
        by_id = {d.id: {"words": 10, "wall": t, "cpu": t, "findings": []} for d in docs_}
        return {"by_id": by_id, "startup": 0.0, "peak_rss_mb": 1.0, "rule_seconds": {}}

    monkeypatch.setattr(run, "run_worker", fake_worker)
    out = run.interleaved_speed(docs, 3)
    assert calls == ["spinlint", "proselint"] * 3
    assert [r["ratio"] for r in out["rounds"]] == [2.0, 1.0, 4.0]
    assert out["ratio_median"] == 2.0 and out["spinlint_median"] == 20 and out["proselint_median"] == 10


def test_wilson_intervals_of_small_samples() -> None:
    from benchmarks.detection import wilson

    assert wilson(0, 359) == [0.0, 0.0106]  # no clean document flagged: still up to about 1 %
    lo, hi = wilson(44, 75)  # 0.587: the 0.60 target is well inside
    assert lo < 0.587 < 0.60 < hi and round(hi - lo, 2) == 0.22
    assert wilson(2, 47)[0] > 0.01 and wilson(5, 0) is None
    big = wilson(3621, 5904)
    assert big[1] - big[0] < 0.03


def test_document_figures_count_flagged_clean_documents_once() -> None:
    from benchmarks.detection import documents, wilson

    by_id = {
        "s1": {"score": 0.99, "verdict": "likely-spun"},
        "s2": {"score": 0.70, "verdict": "clean"},
        "c1": {"score": 0.95, "verdict": "suspicious"},
        "c2": {"score": 0.10, "verdict": "clean"},
        "c3": {"score": 0.20, "verdict": "clean"},
    }
    d = documents({"by_id": by_id}, ["s1", "s2"], ["c1", "c2", "c3"])
    assert d["clean_flagged"] == 1 and d["clean_flagged_share"] == round(1 / 3, 4)
    assert d["clean_flagged_ci"] == wilson(1, 3)
    assert abs(d["auc"] - 5 / 6) < 1e-3  # of six spun-clean pairs, only s2 below c1


def test_document_figures_by_length_count_each_band() -> None:
    """The benchmark splits each set of documents at the detector's length bound: how many,
    how many flagged, how many too short to score."""
    from benchmarks.detection import by_length, by_length_line

    by_id = {
        "s1": {"words": 40, "score": 0.99, "verdict": "likely-spun"},
        "s2": {"words": 90, "score": 0.50, "verdict": "clean"},
        "s3": {"words": 400, "score": 0.95, "verdict": "suspicious"},
        "c1": {"words": 5, "score": None, "verdict": "clean"},
        "c2": {"words": 153, "score": 0.10, "verdict": "clean"},
    }
    got = by_length({"by_id": by_id}, {"synthetic": ["s1", "s2", "s3"], "clean": ["c1", "c2"]}, 153)
    assert got["synthetic"]["short"] == {"documents": 2, "flagged": 1, "unscored": 0}
    assert got["synthetic"]["long"] == {"documents": 1, "flagged": 1, "unscored": 0}
    assert got["clean"]["short"] == {"documents": 1, "flagged": 0, "unscored": 1}
    assert got["clean"]["long"] == {"documents": 1, "flagged": 0, "unscored": 0}
    line = by_length_line(got)
    assert "under 153 words" in line and "synthetic spun 1 of 2 / 1 of 1" in line
    assert "clean documents 0 of 1 (1 too short to score) / 0 of 1" in line


def test_the_length_bound_is_the_shipped_detectors() -> None:
    import math

    from benchmarks.detection import short_words
    from spinlint.detect.model import detector

    below = detector().spec["doc"]["short"]["below_log_words"]
    assert short_words() == round(math.expm1(below)) and 100 <= short_words() <= 300  # type: ignore[operator]


def test_partly_spun_documents_are_scored_by_paragraph_line() -> None:
    """``detection.mixed`` labels the reader's paragraphs by the written paragraphs' lines:
    spun when they overlap a spun one; verdicts give precision, recall and honest reports."""
    from benchmarks.detection import mixed, mixed_line

    written = {
        "a": [(1, 2, False), (4, 5, True), (7, 8, False)],
        "b": [(1, 1, True), (3, 4, False)],
    }
    by_id = {
        "a": {
            "verdict": "likely-spun",
            "paragraphs": ["clean", "likely-spun", "likely-spun"],
            "paragraph_spans": [[1, 2, 0.2], [4, 5, 0.9], [7, 8, 0.7]],
        },
        "b": {
            "verdict": "clean",
            "paragraphs": ["clean", "clean"],
            "paragraph_spans": [[1, 1, 0.6], [3, 4, 0.1]],
        },
    }
    got = mixed({"by_id": by_id}, written, {"a": "article", "b": "stories"})
    assert got is not None
    a, every = got["article"], got["all"]
    assert (a["documents"], a["flagged"], a["spun_paragraphs"], a["honest_paragraphs"]) == (1, 1, 1, 2)
    assert a["precision"] == 0.5 and a["recall"] == 1.0 and a["honest_reported"] == 0.5
    assert a["auc"] == 1.0  # 0.9 above 0.2 and 0.7
    assert every["documents"] == 2 and every["flagged"] == 1 and every["spun_paragraphs"] == 2
    assert every["recall"] == 0.5  # b's spun paragraph is not reported (its document is clean)
    assert abs(every["auc"] - 5 / 6) < 1e-4  # 0.6 < 0.7 is the one pair out of order
    assert "articles with some paragraphs spun: 1 of 1 documents flagged" in mixed_line(got)
    # a tool without paragraph scores has no such figures
    assert mixed({"by_id": {"a": {"verdict": "clean"}}}, {"a": written["a"]}, {"a": "article"}) is None


def test_mixed_pages_mark_their_spun_paragraphs_by_line() -> None:
    """The partly spun pages keep a paragraph's lines where the labels say, with at least one
    spun and one honest paragraph each, and the spun ones differ from the written text."""
    from benchmarks.corpora import Doc
    from benchmarks.run import MIXED_STORIES, mixed_docs

    article = "\n\n".join(
        f"The committee met on day {k} to review the budget and the plans\nfor the new hospital "
        f"buildings near the river, officials said."
        for k in range(6)
    )
    stories = [
        Doc(
            f"news/{k}",
            f"n{k}.txt",
            f"Officials said the council would approve the new budget {k} next week.\n",
            "news",
        )
        for k in range(MIXED_STORIES)
    ]
    got = mixed_docs([Doc("wiki/a", "a.txt", article + "\n", "wikipedia"), *stories], seed=7)
    assert got.docs, "no partly spun page was made"
    for d in got.docs:
        paras = got.paragraphs[d.id]
        lines = d.text.split("\n")
        assert any(s for *_, s in paras) and not all(s for *_, s in paras)
        for k, (first, last, _) in enumerate(paras):
            assert lines[first - 1].strip() and lines[last - 1].strip()
            if k + 1 < len(paras):
                assert lines[last] == ""  # a blank line ends each paragraph
        assert got.kind[d.id] in ("article", "stories")
    page = next(d for d in got.docs if got.kind[d.id] == "article")
    for k, (first, last, spun) in enumerate(got.paragraphs[page.id]):
        now = "\n".join(page.text.split("\n")[first - 1 : last])
        assert (now != article.split("\n\n")[k]) == spun
