"""The deep stages: what the deep pass reads, how its figures become rows, the fitted file,
and what ``--deep`` changes in the findings, the score and the reports."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from spinlint import cli
from spinlint.deep import DeepError, DeepResult, SlotFeatures
from spinlint.detect import deepmodel as dm
from spinlint.detect.evidence import evidence
from spinlint.detect.model import scores
from spinlint.document import Document
from spinlint.lexicon import neural
from spinlint.model import Diagnostic, Span
from spinlint.runner import Options, lint_file
from spinlint.serialize import from_raw, to_raw
from spinlint.sources import decode, extract
from tests.conftest import needs_model

# The same two sentences written plainly and as a synonym spinner leaves them (each swap a
# Moby or spinner-map synonym: central/focal, interest/intrigue, markets/showcases, ...).
HONEST = (
    "Share prices fell on Monday after the central bank raised interest rates again. Traders "
    "said the stock markets of Europe and Asia would remain weak for the rest of the week.\n"
)
SPUN = (
    "Offer costs fell on Monday after the focal bank raised intrigue rates once more. Brokers "
    "said the stock showcases of Europe and Asia would stay powerless for the remainder of the week.\n"
)
# the same story lightly spun (two swaps): since the semantic-fit features the default pass
# marks SPUN's swaps itself, so the flip only --deep gives is shown on a lighter spin
LIGHT = (
    "Prices fell on Monday after the central bank raised intrigue rates once more. Brokers "
    "said the stock showcases of Europe and Asia would stay weak for the rest of the week.\n"
)


def _doc(text: str, name: str = "report.md") -> Document:
    source = decode(name, text.encode())
    prose = extract(source)
    return Document(source=source, prose=prose.text, breaks=prose.breaks)


def _fake_result(e: object, picked: list[int], gain: float = 12.0) -> DeepResult:
    slots = [
        SlotFeatures(
            span=Span(0, 1),
            written="w",
            originals=("a", "b", "proposed"),
            added=1,
            gains=(gain, -1.0, 2.0),
            best="a",
            gain=gain,
            surprisal=9.0,
            entropy=3.0,
            rank=40,
            proposals=(("proposed", -1.5),),
        )
        for _ in picked
    ]
    return DeepResult(slots=slots, perplexity=150.0, sentences=1, words=10, seconds=0.1)


# -- without the neural model -----------------------------------------------------------


def test_the_deep_pass_reads_only_the_words_the_screen_finds_suspicious() -> None:
    doc = _doc(SPUN)
    e, s = evidence(doc), scores(doc)
    picked, cands = dm.candidates(e, s)
    assert picked == [i for i in range(len(e.words)) if s.screen[i] >= dm.SELECT]
    assert 0 < len(picked) < len(e.words)
    for i, (span, originals) in zip(picked, cands, strict=True):
        assert (span.start, span.end) == (e.words[i].start, e.words[i].end)
        assert len(originals) <= dm.ORIGINALS and len(set(originals)) == len(originals)


def test_neural_rows_align_with_the_evidence_and_leave_unread_words_missing() -> None:
    doc = _doc(SPUN)
    e, s = evidence(doc), scores(doc)
    picked = [0, 2]
    nr = dm.neural_rows(e, picked, _fake_result(e, picked))
    assert nr.rows.shape == (len(e.words), len(dm.WORD_FEATURES))
    assert list(np.flatnonzero(nr.read)) == picked
    assert np.isnan(nr.rows[1]).all()
    row = dict(zip(dm.WORD_FEATURES, nr.rows[0], strict=True))
    assert row["d_gain"] == 12.0 and row["d_gain_first"] == 12.0 and row["d_gain_added"] == 2.0
    assert row["d_surprise"] == 6.0 and row["d_log_rank"] == pytest.approx(math.log(40))
    assert nr.best[0][0] == ("a", 12.0) and nr.proposed[0] == frozenset({"proposed"})
    rows = dm.deep_rows(e, doc.word_count(), s, nr)
    assert len(rows.doc) == len(dm.DDOC_FEATURES)
    assert all(len(r) == len(dm.DPARA_FEATURES) for r in rows.paras)
    assert rows.marks.shape == (len(e.words), len(dm.DMARK_FEATURES))


def test_region_features_count_strong_restorations() -> None:
    rows = np.full((4, len(dm.WORD_FEATURES)), np.nan)
    read = np.asarray([True, True, False, False])
    rows[0, 0], rows[1, 0] = 12.0, 1.0
    rows[0, 5], rows[1, 5] = 5.0, 0.0
    f = dict(zip(dm.REGION_FEATURES, dm.region(rows, read), strict=True))
    assert f["d_share_read"] == 0.5 and f["d_share_gain_10"] == 0.25 and f["d_share_gain_3"] == 0.25
    assert f["d_share_surprise_4"] == 0.25 and f["d_max_gain"] == 12.0 and f["d_mean_gain"] == 6.5
    assert dm.region(rows[:0], read[:0]) == [0.0] * len(dm.REGION_FEATURES)


@pytest.fixture
def fresh_models() -> object:
    """Clear the loaded model files before and after a test that points them elsewhere."""
    from spinlint.detect import model

    def clear() -> None:
        model.detector.cache_clear()
        dm.deep_detector.cache_clear()
        dm.base_detector.cache_clear()

    clear()
    yield None
    clear()


def test_the_deep_stages_read_the_default_stages_they_were_fitted_on() -> None:
    recorded = dm.deep_detector().spec["trained_on"]["default_stages"]
    assert recorded["file"] == Path(dm.BASE_PATH).name
    assert dm.file_sha256(dm.BASE_PATH) == recorded["sha256"]
    doc = _doc(SPUN)
    pinned = dm.Detector(dm.BASE_PATH).score(evidence(doc), doc.word_count(), complete=True)
    s = dm.base_scores(doc)
    assert s.complete and s.document == pinned.document
    assert np.array_equal(s.word_given_spun, pinned.word_given_spun)


def test_a_refit_of_the_default_stages_leaves_the_deep_reading_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_models: object
) -> None:
    from spinlint.detect import model

    before = dm.base_scores(_doc(SPUN))
    spec = json.loads(Path(model.OUT_PATH).read_text(encoding="utf-8"))
    spec["doc"]["calibration"] = {"x": [0.0, 1.0], "y": [0.0, 0.0]}  # "refitted": never spun
    refit = tmp_path / "detector.json"
    refit.write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setattr(model, "OUT_PATH", str(refit))
    model.detector.cache_clear()
    dm.base_detector.cache_clear()
    doc = _doc(SPUN)
    assert scores(doc).document == 0.0  # the default pass reads the new stages ...
    after = dm.base_scores(doc)  # ... the deep pass the pinned ones
    assert after.document == before.document > 0.0
    assert np.array_equal(after.word_given_spun, before.word_given_spun)


def test_default_stages_that_are_not_the_pinned_ones_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_models: object
) -> None:
    other = tmp_path / "detector-deep-base.json"
    other.write_text(Path(dm.BASE_PATH).read_text(encoding="utf-8") + " ", encoding="utf-8")
    monkeypatch.setattr(dm, "BASE_PATH", str(other))
    with pytest.raises(ValueError, match="rebuild both with python -m training.build_deep"):
        dm.base_scores(_doc(SPUN))
    # under --deep, as a missing deep model: said once, and the default pass's findings stand
    path = tmp_path / "spun.md"
    path.write_text(SPUN, encoding="utf-8")
    result = lint_file(str(path), Options(use_cache=False, select=("SPN",), deep=True))
    plain = lint_file(str(path), Options(use_cache=False, select=("SPN",)))
    assert result.error is None and not result.deep
    assert result.notice is not None and "rebuild both with python -m training.build_deep" in result.notice
    assert [d.span for d in result.diagnostics] == [d.span for d in plain.diagnostics] != []


def test_the_deep_model_file_loads_and_matches_its_build() -> None:
    from spinlint.detect.model import Stage

    det = dm.deep_detector()
    check = det.spec["check"]

    def rows(key: str) -> np.ndarray:  # null in the file: a word the deep pass did not read
        return np.asarray([[math.nan if v is None else v for v in row] for row in check[key]])

    assert np.allclose(Stage(det.spec["dmark"]).raw(rows("dmark_rows")), check["dmark_raw"], atol=1e-6)
    assert np.allclose(Stage(det.spec["ddoc"]).raw(rows("ddoc_rows")), check["ddoc_raw"], atol=1e-9)
    for stage in (det.doc, det.para, det.mark):
        assert np.all(np.diff(stage.cal_y) >= 0)  # calibration is monotone
        assert stage.cal_y.min() >= 0.0 and stage.cal_y.max() <= 1.0
    th = det.spec["verdict"]
    assert 0.0 < th["suspicious"] <= th["likely-spun"] <= 1.0
    assert 0.5 <= det.spec["marks"]["min_probability"] <= 1.0


def test_the_pass_that_found_a_diagnostic_survives_the_cache() -> None:
    d = Diagnostic("SPN001", "swapped-word", "m", Span(0, 3), found_by="deep")
    assert from_raw(json.loads(json.dumps(to_raw(d)))).found_by == "deep"
    older = {k: v for k, v in to_raw(d).items() if k != "pass"}  # a cache entry from before
    assert from_raw(older).found_by == "default"


def test_a_deep_pass_that_fails_leaves_the_default_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "spun.md"
    path.write_text(SPUN, encoding="utf-8")
    plain = lint_file(str(path), Options(use_cache=False, select=("SPN",)))

    def broken(doc: object, threads: int | None = None) -> object:
        raise DeepError("the deep check's language model could not be loaded: test")

    monkeypatch.setattr(dm, "deep_scores", broken)
    monkeypatch.setattr(neural, "available", lambda: True)
    result = lint_file(str(path), Options(use_cache=False, select=("SPN",), deep=True))
    assert [(d.code, d.span) for d in result.diagnostics] == [(d.code, d.span) for d in plain.diagnostics]
    assert result.score == plain.score and not result.deep
    assert result.notice is not None and "could not be loaded" in result.notice
    assert "default pass's findings stand" in result.notice


# -- with the neural model --------------------------------------------------------------


@needs_model
def test_the_models_own_proposals_are_tried_as_originals(lm: neural.NeuralLM) -> None:
    text = "Prices on the stock showcase fell sharply on Monday."
    at = text.index("showcase")
    ((_, (slot,)),) = lm.score_slots(
        [(text, [(at, at + 8, ["display"])])], proposals=5, extra=2, accept=lambda w: w != "market"
    )
    assert len(slot.added) == 2 and "market" not in slot.added and "display" not in slot.added
    assert len(slot.gains) == 3  # the given original, then the two proposals
    assert set(slot.added) <= {w for w, _ in slot.proposals}


@needs_model
def test_deep_flips_a_spun_paragraph_and_leaves_the_honest_one(tmp_path: Path) -> None:
    spun, honest = tmp_path / "spun.md", tmp_path / "honest.md"
    spun.write_text(LIGHT, encoding="utf-8")
    honest.write_text(HONEST, encoding="utf-8")
    opts = Options(use_cache=False, select=("SPN",))
    deep = Options(use_cache=False, select=("SPN",), deep=True)
    plain_spun, deep_spun = lint_file(str(spun), opts), lint_file(str(spun), deep)
    plain_honest, deep_honest = lint_file(str(honest), opts), lint_file(str(honest), deep)
    assert deep_spun.deep and deep_honest.deep and not plain_spun.deep
    found = [d for d in deep_spun.diagnostics if d.found_by == "deep"]
    assert found, [d.message for d in deep_spun.diagnostics]
    assert {d.span for d in found}.isdisjoint({d.span for d in plain_spun.diagnostics})
    # the two swaps carry the neural sentence figure; a word the lower tier adds in the spun
    # paragraph (recalibrated for the document's density) may carry the trigram figure alone
    text = LIGHT
    neural = {text[d.span.start : d.span.end] for d in found if "SmolLM2" in d.message}
    assert {"intrigue", "showcases"} <= neural, [d.message for d in found]
    assert all("more probable" in d.message for d in found)
    assert not plain_honest.diagnostics and not deep_honest.diagnostics
    assert deep_spun.score is not None and deep_honest.score is not None
    assert deep_spun.score > deep_honest.score
    assert not plain_spun.diagnostics  # the default pass alone leaves the light spin unmarked


@needs_model
def test_json_says_which_pass_found_each_diagnostic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "spun.md"
    path.write_text(LIGHT, encoding="utf-8")  # the default pass leaves it unmarked
    cli.main(["--deep", "--no-cache", "--select", "SPN,GLT", "--format", "json", "--summary", str(path)])
    data = json.loads(capsys.readouterr().out)
    assert {d["pass"] for d in data["diagnostics"]} == {"deep"}
    assert data["files"][0]["pass"] == "deep"
    # the paragraphs are scored by the same (deep) stages as the file
    from spinlint.detect.deepmodel import deep_scores
    from spinlint.verdict import paragraph_bar

    paras = data["files"][0]["paragraphs"]
    e = deep_scores(_doc(LIGHT, "spun.md"), 1)
    assert [p["score"] for p in paras] == [round(float(x), 4) for x in e.paragraphs]
    for p in paras:  # held to the bar of the default stages the deep ones were fitted on
        judged = data["files"][0]["verdict"] != "clean" and p["score"] >= paragraph_bar(deep=True)
        assert (p["verdict"] != "clean") == judged


def test_the_models_own_word_needs_the_fitted_prior_to_come_before_a_synonym(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from spinlint.detect.evidence import WordEvidence
    from spinlint.plugins.spin import swapped_word as sw

    word = WordEvidence(index=1, start=6, end=15, text="showcases", paragraph=0)
    nr = dm.Neural(
        rows=np.zeros((1, len(dm.WORD_FEATURES))),
        read=np.ones(1, bool),
        best=[[("market", 20.0), ("displays", 3.0), ("lights", -1.0)]],
        proposed=[frozenset({"market"})],
        perplexity=100.0,
    )
    deep = dm.DeepScores(1.0, [1.0], np.ones(1), np.ones(1), nr)
    for prior, first in ((5.0, "market"), (18.0, "displays"), (math.inf, "displays")):
        monkeypatch.setattr(sw, "proposal_prior", lambda prior=prior: prior)
        ranked = sw.SwappedWord._neural([word], [0], deep)
        assert ranked[0][0] == first and len(ranked) == 2  # a losing original is never offered


def test_the_deep_pass_never_offers_a_single_letter() -> None:
    """The default pass's rule holds for the deep pass's restorations too: Moby lists "I"
    among the synonyms of "unit", and a sentence may well read better with it."""
    from spinlint.detect.evidence import WordEvidence
    from spinlint.plugins.spin import swapped_word as sw

    word = WordEvidence(index=0, start=0, end=4, text="unit", paragraph=0)
    nr = dm.Neural(
        rows=np.zeros((1, len(dm.WORD_FEATURES))),
        read=np.ones(1, bool),
        best=[[("i", 9.0), ("one", 4.0)]],
        proposed=[frozenset()],
        perplexity=100.0,
    )
    deep = dm.DeepScores(1.0, [1.0], np.ones(1), np.ones(1), nr)
    assert [w for w, _ in sw.SwappedWord._neural([word], [0], deep)] == ["one"]


def test_the_linear_document_stage_reads_probabilities_as_log_odds_and_missing_as_zero() -> None:
    from spinlint.detect.model import Stage

    spec = {
        "linear": {"columns": [2, 0], "logit": [0], "center": [0.0, 1.0], "scale": [1.0, 2.0],
                   "coef": [1.0, 0.5], "intercept": -1.0},
        "calibration": {"x": [-10.0, 10.0], "y": [0.0, 1.0]},
    }  # fmt: skip
    stage = Stage(spec)
    rows = np.asarray([[3.0, 99.0, 0.5], [math.nan, 99.0, 0.9]])
    want = [0.0 + 0.5 * (3.0 - 1.0) / 2.0 - 1.0, math.log(9.0) + 0.5 * (0.0 - 1.0) / 2.0 - 1.0]
    assert np.allclose(stage.raw(rows), want)
    assert np.all(np.diff(stage(np.asarray([[0.0, 0, 0.1], [0.0, 0, 0.5], [0.0, 0, 0.9]]))) > 0)
    assert len(stage.raw(np.zeros((0, 3)))) == 0


@needs_model
def test_deep_extends_the_default_marks() -> None:
    """Every word the default pass marks stays marked under --deep; a span the deep stages do
    not mark keeps the default pass's own diagnostic (its message, confidence and fixes).  The
    shipped example has such spans (the deep stages leave "told" unmarked)."""
    path = str(Path(__file__).resolve().parent.parent / "examples" / "spun-news.md")
    plain = lint_file(path, Options(use_cache=False, select=("SPN",)))
    deep = lint_file(path, Options(use_cache=False, select=("SPN",), deep=True))
    assert deep.deep and plain.diagnostics
    kept = 0
    for d in plain.diagnostics:
        covering = [e for e in deep.diagnostics if e.span.start <= d.span.start and d.span.end <= e.span.end]
        assert covering, f"{d.message} lost under --deep"
        for e in covering:
            if e.span == d.span and "SmolLM2" not in e.message and e.message == d.message:
                kept += 1
                assert e.found_by == "default"
                assert (e.confidence, e.suggestions) == (d.confidence, d.suggestions)
    assert kept, "no span of the default pass's alone"


def test_the_deep_build_pins_a_copy_and_leaves_the_shipped_pair_until_it_writes(tmp_path: Path) -> None:
    from spinlint.detect import model
    from training import build_deep

    pending, final, sha = build_deep.pin_base(str(tmp_path / "detector-deep.json"))
    assert Path(final) == tmp_path / "detector-deep-base.json" and not Path(final).exists()
    assert Path(pending).read_bytes() == Path(model.OUT_PATH).read_bytes()
    assert sha == dm.file_sha256(model.OUT_PATH)


def test_a_deep_paragraph_is_never_more_likely_spun_than_its_document() -> None:
    """The deep stages' paragraph probabilities are held to the document's (``coherent``), as
    the default stages' are, and the marks' context is the held probability."""
    from types import SimpleNamespace

    det = dm.DeepDetector.__new__(dm.DeepDetector)
    det.doc = lambda rows: np.array([0.3])  # type: ignore[assignment]
    det.para = lambda rows: np.array([0.1, 0.8])  # type: ignore[assignment]
    det.mark = lambda rows: np.array([0.9, 0.9])  # type: ignore[assignment]
    e = SimpleNamespace(words=[SimpleNamespace(paragraph=0), SimpleNamespace(paragraph=1)])
    rows = SimpleNamespace(doc=[0.0], paras=[[0.0], [0.0]], marks=np.zeros((2, 1)))
    s = det.score(e, rows, None)  # type: ignore[arg-type]
    assert s.paragraphs == [0.1, 0.3]
    assert np.allclose(s.word, [0.09, 0.27])
