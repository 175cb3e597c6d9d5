"""Paragraph verdicts: P(paragraph spun) per paragraph, in the JSON summary, SARIF and
``--statistics``, gated by the document's verdict and a bar fitted with the detector."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinlint import verdict as v
from spinlint.detect.model import detector
from spinlint.runner import Options, lint_file
from tests.conftest import run_cli

HONEST = (
    "The committee met on Monday to review the budget for the coming year. Members agreed to "
    "spend more on roads and schools, and the mayor said the plan would be published in March."
)
SPUN = (
    "Offer costs fell on Monday after the focal bank raised intrigue rates once more. Brokers "
    "said the stock showcases of Europe and Asia would stay powerless for the remainder of the "
    "week, and the administration's representative declined to remark on the choice."
)


def test_the_paragraph_bar_comes_with_the_model_and_is_a_probability() -> None:
    bar = float(detector().spec["paragraphs"]["min_probability"])
    assert 0.5 <= bar <= 1.0 and v.paragraph_bar() == bar


@pytest.mark.parametrize("doc_verdict", v.VERDICTS)
def test_a_paragraph_takes_its_documents_verdict_only_above_the_bar(doc_verdict: str) -> None:
    bar = v.paragraph_bar()
    assert v.paragraph_verdict(doc_verdict, bar) == doc_verdict
    assert v.paragraph_verdict(doc_verdict, 1.0) == doc_verdict
    assert v.paragraph_verdict(doc_verdict, bar - 0.01) == "clean"
    assert v.paragraph_verdict("clean", 1.0) == "clean"  # never worse than the document


def test_each_paragraph_is_scored_with_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "mixed.md"
    text = f"# Markets\n\n{HONEST}\n\n{SPUN}\n{SPUN}\n\n{SPUN}\n"
    path.write_text(text)
    result = lint_file(str(path), Options(use_cache=False))
    summary = v.file_summary(result)
    paras = summary["paragraphs"]
    assert [(p["line"], p["end_line"]) for p in paras] == [(1, 1), (3, 3), (5, 6), (8, 8)]
    assert sum(p["words"] for p in paras) == summary["words"]
    assert all(0.0 <= p["score"] <= 1.0 for p in paras)
    for p in paras:
        assert v.VERDICTS.index(p["verdict"]) <= v.VERDICTS.index(summary["verdict"])
        judged = summary["verdict"] != "clean" and p["score"] >= v.paragraph_bar()
        assert (p["verdict"] != "clean") == judged
    spun_scores = [p["score"] for p in paras[2:]]
    assert min(spun_scores) > paras[1]["score"], "the spun paragraphs score above the honest one"


def test_an_honest_file_has_no_spun_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "honest.md"
    path.write_text(f"{HONEST}\n\n{HONEST}\n")
    summary = v.file_summary(lint_file(str(path), Options(use_cache=False)))
    assert summary["verdict"] == "clean"
    assert len(summary["paragraphs"]) == 2 and all(p["verdict"] == "clean" for p in summary["paragraphs"])


def test_paragraphs_survive_the_cache_and_reach_json_sarif_and_statistics(tmp_path: Path) -> None:
    path = tmp_path / "spun.md"
    path.write_text(f"{SPUN}\n\n{SPUN}\n")
    cache = tmp_path / "cache"
    runs = [
        json.loads(run_cli("--format", "json", "--summary", "--cache-dir", str(cache), str(path)).stdout)
        for _ in range(2)
    ]
    assert list(cache.rglob("*.json")), "the first run was cached"
    first, second = (r["files"][0]["paragraphs"] for r in runs)
    assert first == second and len(first) == 2  # the cached result keeps the paragraphs
    sarif = json.loads(run_cli("--format", "sarif", "--no-cache", str(path)).stdout)
    assert sarif["runs"][0]["properties"]["files"][0]["paragraphs"] == first
    stats = run_cli("--statistics", "--no-cache", str(path)).stdout
    reported = [p for p in first if p["verdict"] != "clean"]
    assert reported, "a dense spun file has paragraphs judged spun"
    for p in reported:
        assert f"line {p['line']}: {p['verdict']}" in stats
    assert f"{len(reported)} of 2 paragraphs judged spun" in stats


def test_a_paragraph_is_never_more_likely_spun_than_its_document() -> None:
    """A paragraph is spun only if its document is: ``coherent`` holds P(paragraph spun) to
    P(document spun), in the figures every reporter prints and in the marks' context."""
    import numpy as np

    from spinlint.detect.evidence import evidence
    from spinlint.detect.model import coherent
    from spinlint.document import Document
    from spinlint.sources import decode

    assert coherent(0.3, np.array([0.1, 0.3, 0.9])).tolist() == [0.1, 0.3, 0.3]
    # an honest page with a few-word note beside its paragraphs, and a partly spun one
    for text in (f"{HONEST}\n\nNew in version 3.3.\n\n{HONEST}\n", f"{HONEST}\n\n{SPUN}\n"):
        doc = Document(decode("page.txt", text.encode()), text)
        s = detector().score(evidence(doc), len(doc.words))
        assert s.paragraphs and max(s.paragraphs) <= s.document
        marks_context = np.asarray(s.paragraphs)[evidence(doc).word_paragraphs]
        assert np.allclose(s.word, s.word_given_spun * marks_context)
