"""The deep decision: the detector again, with the neural language model's evidence.

``spinlint --deep`` runs the default pass (``spinlint.detect.model``), then reads the words
the word screen finds at all suspicious with SmolLM2 (``spinlint.deep``): each such word with
its candidate originals and the model's own likeliest word for the slot.  Three more fitted
stages (``detector-deep.json``, written by ``python -m training.build_deep``) take the default
pass's probabilities and features and these neural figures:

1. the *deep document model*: P(document spun), a logistic regression on the default pass's
   document probability and the deep pass's own document figures (``model.Linear``: a few hundred
   training documents are too few for trees over every document feature);
2. the *deep paragraph model*: P(paragraph spun);
3. the *deep mark model*: P(word swapped | surroundings spun).

A deep mark's probability is, as in the default pass, P(swapped | spun) x P(paragraph spun).
Words the deep pass did not read have no neural figures (NaN: the trees send them down their
"missing" branch, as in training).  Nothing is decided twice: with ``--deep`` these stages
replace the default ones for the file's score, verdict and SPN001 marks.

The deep stages read the default stages' outputs, so they are pinned to the default stages
they were fitted on: ``detector-deep-base.json``, a copy of ``detector.json`` that
``training.build_deep`` takes when it starts, whose SHA-256 the deep model file records
(``trained_on.default_stages``).  The default stages can then be refitted
(``python -m training.build``, minutes) without the deep build (hours): ``--deep`` keeps
reading the stages its own were fitted on, and when both files are the same, the scores are
computed once.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from spinlint.detect.evidence import Evidence, ranked, synonyms_first
from spinlint.detect.model import (
    DOC_FEATURES,
    MARK_FEATURES,
    PARA_FEATURES,
    Density,
    Detector,
    Scores,
    coherent,
    fitted_stages,
    mark_rows,
)
from spinlint.detect.model import regions as default_regions
from spinlint.model import Span

OUT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "detector-deep.json")
BASE_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "detector-deep-base.json")
FORMAT = 1
SELECT = 0.15  # the word screen's P(swapped) from which the deep pass reads a word
ORIGINALS = 2  # candidate originals re-scored per word (the order SPN001 offers them in)
EXTRA = 1  # the neural model's own proposals tried as originals too
PROPOSALS = 3

WORD_FEATURES = (
    "d_gain",  # best restoration gain (nats) over the candidates and the model's proposal
    "d_gain_first",  # gain of the candidate the default pass ranks first
    "d_gain_added",  # gain of the model's own proposal (NaN when none was tried)
    "d_surprisal",  # -log p(written word | sentence before it)
    "d_entropy",  # entropy of the model's next-token distribution there
    "d_surprise",  # surprisal - entropy
    "d_log_rank",  # log rank of the written word's first token
    "d_prop_lp",  # log p of the model's first proposal
    "d_prop_in_candidates",  # one of its proposals is among the word's candidates
)
DIDX = {name: i for i, name in enumerate(WORD_FEATURES)}
REGION_FEATURES = (
    "d_share_read",  # content words the deep pass read
    "d_share_gain_3",  # content words whose best restoration gains >= 3 nats (x20)
    "d_share_gain_6",
    "d_share_gain_10",
    "d_share_surprise_4",
    "d_mean_gain",  # over the words read (0 when none)
    "d_max_gain",
    "d_top3_gain",
)
DOC_EXTRA = ("d_log_perplexity",)  # of the sentences the deep pass read
DDOC_FEATURES = (*DOC_FEATURES, "p_doc", *(f"doc_{n}" for n in REGION_FEATURES), *DOC_EXTRA)
DPARA_FEATURES = (
    *PARA_FEATURES,
    "p_para",
    "p_doc",
    *(f"para_{n}" for n in REGION_FEATURES),
    *(f"doc_{n}" for n in REGION_FEATURES),
    *DOC_EXTRA,
)
DMARK_FEATURES = (*MARK_FEATURES, "p_mark", "p_para", *WORD_FEATURES, *(f"para_{n}" for n in REGION_FEATURES))
STAGES = {"ddoc": DDOC_FEATURES, "dpara": DPARA_FEATURES, "dmark": DMARK_FEATURES}


def candidates(e: Evidence, s: Scores) -> tuple[list[int], list[tuple[Span, list[str]]]]:
    """The words the deep pass reads (indices into ``e.words``) and, for each, its span and
    the originals to re-score: the default pass's ranked restorations, then its other
    synonyms (spinner map, thesaurus, slot words), ``ORIGINALS`` at most."""
    picked: list[int] = []
    out: list[tuple[Span, list[str]]] = []
    for i, w in enumerate(e.words):
        if s.screen[i] < SELECT:
            continue
        words: list[str] = []
        for c in [*ranked(w), *synonyms_first(w)]:
            if c.word not in words:
                words.append(c.word)
            if len(words) == ORIGINALS:
                break
        picked.append(i)
        out.append((Span(w.start, w.end), words))
    return picked, out


def accept(word: str) -> bool:
    """A proposal worth trying as an original: a content word, as the candidates are."""
    from spinlint.detect.evidence import _stop_words

    return len(word) >= 3 and word.isalpha() and word.lower() not in _stop_words()


@dataclass
class Neural:
    """The deep pass's figures, aligned with the evidence words."""

    rows: np.ndarray  # len(e.words) x len(WORD_FEATURES); NaN for words not read
    read: np.ndarray  # bool per word
    best: list[list[tuple[str, float]]]  # per word: originals by neural gain (nats), best first
    proposed: list[frozenset[str]]  # per word: which of those the neural model proposed
    perplexity: float


def neural_rows(e: Evidence, picked: Sequence[int], result: Any) -> Neural:
    """Turn a ``spinlint.deep.DeepResult`` for the words ``picked`` into feature rows."""
    n = len(e.words)
    rows = np.full((n, len(WORD_FEATURES)), np.nan)
    read = np.zeros(n, bool)
    best: list[list[tuple[str, float]]] = [[] for _ in range(n)]
    proposed: list[frozenset[str]] = [frozenset() for _ in range(n)]
    for i, slot in zip(picked, result.slots, strict=True):
        gains = list(slot.gains)
        n_added = slot.added
        added_gain = max(gains[-n_added:]) if n_added else math.nan
        proposals = [w.lower() for w, _ in slot.proposals]
        cands = {c.word for c in e.words[i].candidates}
        rows[i] = [
            max(gains) if gains else math.nan,
            gains[0] if gains and len(slot.originals) > n_added else math.nan,
            added_gain,
            slot.surprisal,
            slot.entropy,
            slot.surprise,
            math.log(max(slot.rank, 1)),
            slot.proposals[0][1] if slot.proposals else math.nan,
            float(any(p in cands for p in proposals)),
        ]
        read[i] = True
        best[i] = sorted(zip(slot.originals, gains, strict=True), key=lambda og: -og[1])
        proposed[i] = frozenset(slot.originals[len(slot.originals) - n_added :]) if n_added else frozenset()
    return Neural(rows, read, best, proposed, float(result.perplexity))


def region(rows: np.ndarray, read: np.ndarray) -> list[float]:
    """``REGION_FEATURES`` over the content words of a paragraph or document."""
    n = len(read)
    if n == 0 or not read.any():
        return [0.0] * len(REGION_FEATURES)
    g = np.where(read, np.nan_to_num(rows[:, DIDX["d_gain"]], nan=0.0), 0.0)
    surprise = np.where(read, np.nan_to_num(rows[:, DIDX["d_surprise"]], nan=0.0), 0.0)
    got = g[read]
    top = np.sort(got)[-3:]
    return [
        float(read.mean()),
        float(np.mean(g >= 3)),
        float(np.mean(g >= 6)),
        float(np.mean(g >= 10)),
        float(np.mean(surprise >= 4)),
        float(got.mean()),
        float(got.max()),
        float(top.mean()),
    ]


@dataclass
class DeepRows:
    doc: list[float]
    paras: list[list[float]]
    marks: np.ndarray  # one row per evidence word


def deep_rows(e: Evidence, words: int, s: Scores, nr: Neural) -> DeepRows:
    """The deep stages' input rows, from the default pass's evidence and scores."""
    reg = default_regions(e, words, s.screen)
    para_idx = e.word_paragraphs
    doc_region = region(nr.rows, nr.read)
    log_ppl = math.log(nr.perplexity) if nr.perplexity > 0 and math.isfinite(nr.perplexity) else math.nan
    doc = [*reg.doc, s.document, *doc_region, log_ppl]
    para_regions = [region(nr.rows[para_idx == p], nr.read[para_idx == p]) for p in range(len(reg.paras))]
    paras = [
        [*row, s.paragraphs[p], s.document, *para_regions[p], *doc_region, log_ppl]
        for p, row in enumerate(reg.paras)
    ]
    if len(e.words):
        base = mark_rows(e, s.screen, reg)
        ctx = np.asarray([[s.word_given_spun[i], s.paragraphs[w.paragraph]] for i, w in enumerate(e.words)])
        pr = np.asarray([para_regions[w.paragraph] for w in e.words])
        marks = np.hstack([base, ctx, nr.rows, pr])
    else:
        marks = np.zeros((0, len(DMARK_FEATURES)))
    return DeepRows(doc, paras, marks)


@dataclass
class DeepScores:
    document: float
    paragraphs: list[float]
    word_given_spun: np.ndarray
    word: np.ndarray  # P(swapped) = word_given_spun x P(its paragraph spun)
    neural: Neural


class DeepDetector:
    def __init__(self, path: str = OUT_PATH) -> None:
        with open(path, encoding="utf-8") as fh:
            spec: dict[str, Any] = json.load(fh)
        self.doc, self.para, self.mark = fitted_stages(
            spec, STAGES, path, FORMAT, "python -m training.build_deep"
        )
        self.spec = spec
        self.base_sha256 = str(spec.get("trained_on", {}).get("default_stages", {}).get("sha256", ""))
        density = spec.get("marks", {}).get("density")  # training.fit_deep_density
        self.density = Density(density) if density else None

    def score(self, e: Evidence, rows: DeepRows, nr: Neural) -> DeepScores:
        p_doc = float(self.doc(np.asarray([rows.doc]))[0])
        # held to the document's as the default stages' are (``coherent``); the deep mark bar,
        # like the default one, was fitted before the cap, which only takes marks away
        p_para = coherent(p_doc, self.para(np.asarray(rows.paras))).tolist() if rows.paras else []
        given = self.mark(rows.marks) if len(e.words) else np.zeros(0)
        ctx = np.asarray([p_para[w.paragraph] for w in e.words]) if len(e.words) else np.zeros(0)
        return DeepScores(p_doc, p_para, given, given * ctx, nr)


@lru_cache(maxsize=1)
def deep_detector() -> DeepDetector:
    return DeepDetector()


class PinError(ValueError):
    """The deep stages cannot read the default stages they were fitted on (``base_detector``)."""


def file_sha256(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


@lru_cache(maxsize=1)
def base_detector() -> Detector | None:
    """The default stages the deep stages were fitted on (``BASE_PATH``), checked against the
    SHA-256 the deep model file records; ``None`` when they are the shipped default stages
    themselves (``detector.json`` is the same file), whose scores SPN001 computes anyway."""
    from spinlint.detect import model

    want = deep_detector().base_sha256
    if not os.path.exists(BASE_PATH) or file_sha256(BASE_PATH) != want:
        recorded = want[:12] or "unknown"
        raise PinError(
            f"{BASE_PATH}: not the default stages {OUT_PATH} was fitted on (SHA-256 {recorded}); "
            "rebuild both with python -m training.build_deep"
        )
    if file_sha256(model.OUT_PATH) == want:
        return None
    return Detector(BASE_PATH)


def base_scores(doc: Any, base: Detector | None = None) -> Scores:
    """The scores of the default stages the deep stages read (``base_detector``, or ``base``:
    ``training.build_deep`` reads with the stages it is about to pin), complete: every
    word's P(swapped | spun) is a deep feature."""
    from spinlint.detect.evidence import evidence
    from spinlint.detect.model import scores

    if base is not None:
        return base.score(evidence(doc), doc.word_count(), complete=True)
    base = base_detector()
    if base is None:
        return scores(doc, complete=True)
    s = doc.cache.get("spin-deep-base-scores")
    if s is None:
        s = doc.cache["spin-deep-base-scores"] = base.score(evidence(doc), doc.word_count(), complete=True)
    return s  # type: ignore[no-any-return]


def available() -> bool:
    """The fitted deep stages are shipped (they are, unless a build is in progress)."""
    return os.path.exists(OUT_PATH)


def run(
    doc: Any, threads: int | None = None, model: Any = None, base: Detector | None = None
) -> tuple[Evidence, Scores, Neural, DeepRows]:
    """Evidence, the pinned default stages' scores (``base_scores``), the deep pass's figures
    and the deep rows for ``doc`` (raises ``spinlint.deep.DeepError`` when the neural model
    cannot be loaded)."""
    from spinlint import deep
    from spinlint.detect.evidence import evidence

    e = evidence(doc)
    s = base_scores(doc, base)
    picked, cands = candidates(e, s)
    result = deep.deep_pass(
        doc, cands, threads=threads, proposals=PROPOSALS, extra=EXTRA, accept=accept, model=model
    )
    nr = neural_rows(e, picked, result)
    return e, s, nr, deep_rows(e, doc.word_count(), s, nr)


def deep_scores(doc: Any, threads: int | None = None) -> DeepScores:
    """The document's deep scores, computed once (cached on the document)."""
    cached = doc.cache.get("spin-deep-scores")
    if cached is None:
        e, _, nr, rows = run(doc, threads)
        cached = doc.cache["spin-deep-scores"] = deep_detector().score(e, rows, nr)
    return cached  # type: ignore[no-any-return]
