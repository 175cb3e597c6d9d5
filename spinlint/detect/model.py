"""The decision: the fitted detector, applied to a document's evidence.

The model file ``detector.json`` is written by ``python -m training.build`` (see that
script and ``docs/detector.md`` for its data, licences and figures).  It holds four
gradient-boosted tree ensembles (scikit-learn's HistGradientBoostingClassifier, exported node
by node; trees of depth 4 at most, so that all of them are evaluated for all words at once in
a few numpy steps), each with an isotonic calibration table:

1. the *word screen*: P(word swapped) from the word's own evidence, trained on honest and
   spun text alike; its outputs, aggregated, are evidence for the regions;
2. the *document model*: P(document spun) from the document's aggregate evidence;
3. the *paragraph model*: P(paragraph spun) from the paragraph's and the document's;
4. the *mark model*: P(word swapped | its surroundings are spun), trained on spun paragraphs
   only, from the word's evidence, the screen's output and its paragraph's and document's
   aggregates.

Applying it needs numpy only, so linting never imports scikit-learn (~0.8 s).  The
probability of a swap mark is P(swapped | spun) x P(its paragraph spun): a word in a
paragraph judged honest stays silent however odd it looks on its own.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from spinlint.detect.evidence import REGION_FEATURES, WORD_FEATURES, Evidence, region_features, region_table

OUT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "detector.json")
FORMAT = 2
SCREEN_FEATURES = WORD_FEATURES
DOC_FEATURES = tuple(f"doc_{n}" for n in REGION_FEATURES)
PARA_FEATURES = (*(f"para_{n}" for n in REGION_FEATURES), *DOC_FEATURES)
MARK_FEATURES = (*WORD_FEATURES, "p_screen", *PARA_FEATURES)


@dataclass
class Regions:
    doc: list[float]  # DOC_FEATURES
    paras: list[list[float]]  # PARA_FEATURES, one row per paragraph


def regions(e: Evidence, words: int, p_screen: np.ndarray) -> Regions:
    doc = region_features(e.features, words, sum(e.glitches), p_screen)
    table = region_table(e.features, e.word_paragraphs, e.word_counts, e.glitches, p_screen)
    paras = np.hstack([table, np.broadcast_to(doc, (len(table), len(doc)))]).tolist()
    return Regions(doc, paras)


def mark_rows(e: Evidence, p_screen: np.ndarray, reg: Regions, only: np.ndarray | None = None) -> np.ndarray:
    """The mark stage's rows, one per evidence word (or per index in ``only``)."""
    if len(e.words) == 0:
        return np.zeros((0, len(MARK_FEATURES)))
    picked = np.arange(len(e.words)) if only is None else only
    ctx = np.asarray(reg.paras, dtype=np.float64)[e.word_paragraphs[picked]]
    return np.hstack([e.features[picked], p_screen[picked, None], ctx])


CHUNK = 256  # rows a tree-evaluation block holds (256 rows x 150 trees: 300 KB a node array)


class Forest:
    """Boosted trees flattened into one node table, evaluated for all rows and all trees at
    once, a level per step: a handful of numpy operations per level instead of per tree
    (with 150 trees of depth 4, about 60 times fewer calls than a tree at a time)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        leaf: list[int] = []
        value: list[float] = []
        missing: list[int] = []
        roots: list[int] = []
        depth = 0
        offset = 0
        for t in spec["trees"]:
            n = len(t["feature"])
            roots.append(offset)
            feature.extend(t["feature"])
            threshold.extend(t["threshold"])
            left.extend(x + offset for x in t["left"])
            right.extend(x + offset for x in t["right"])
            leaf.extend(t["leaf"])
            value.extend(t["value"])
            missing.extend(t["missing_left"])
            depth = max(depth, _depth(t))
            offset += n
        self.feature = np.asarray(feature, dtype=np.intp)
        self.threshold = np.asarray(threshold, dtype=np.float64)
        is_leaf = np.asarray(leaf, dtype=bool)
        # a leaf points to itself, so every row can take ``depth`` steps without a test; a
        # node's two children side by side, so that a step is one look-up
        # (``child[2 * node + goes_right]``)
        idx = np.arange(offset)
        to_left = np.where(is_leaf, idx, np.asarray(left, dtype=np.intp))
        to_right = np.where(is_leaf, idx, np.asarray(right, dtype=np.intp))
        self.child = np.stack([to_left, to_right], axis=1).ravel()
        self.feature = np.where(is_leaf, 0, self.feature)
        self.value = np.asarray(value, dtype=np.float64)
        self.missing_right = ~np.asarray(missing, dtype=bool)
        self.roots = np.asarray(roots, dtype=np.intp)
        self.depth = depth
        self.baseline = float(spec["baseline"])

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        """Raw (log-odds) scores, one per row.

        Rows go ``CHUNK`` at a time, each row's trees flattened (row-major), and every look-up
        is ``ndarray.take`` on a flat index: a block's node, feature and value arrays stay in
        the CPU caches, and ``take`` skips fancy indexing's general machinery (3.4x faster
        than one 2-D pass over all rows, for the same figures)."""
        rows = np.asarray(rows, dtype=np.float64)
        n = len(rows)
        if n == 0 or len(self.roots) == 0:
            return np.full(n, self.baseline)
        trees, width = len(self.roots), rows.shape[1]
        out = np.empty(n)
        for lo in range(0, n, CHUNK):
            block = rows[lo : lo + CHUNK]
            m = len(block)
            node = np.tile(self.roots, m)
            base = np.repeat(np.arange(m, dtype=np.intp) * width, trees)
            flat = block.ravel()
            missing = bool(np.isnan(block).any())  # (most blocks have none: skip that test)
            for _ in range(self.depth):
                x = flat.take(base + self.feature.take(node))
                right = x > self.threshold.take(node)  # NaN compares false: left ...
                if missing:
                    right |= np.isnan(x) & self.missing_right.take(node)  # ... unless it goes right
                node = self.child.take(2 * node + right)
            out[lo : lo + m] = self.baseline + self.value.take(node).reshape(m, trees).sum(axis=1)
        return out


def _depth(tree: dict[str, Any]) -> int:
    best = 0
    stack = [(0, 0)]
    while stack:
        i, d = stack.pop()
        if tree["leaf"][i]:
            best = max(best, d)
        else:
            stack.append((tree["left"][i], d + 1))
            stack.append((tree["right"][i], d + 1))
    return best


class Linear:
    """A logistic regression on a few of the stage's features (``spec["linear"]``): missing
    values count as 0, the ``logit`` columns (probabilities) enter as log-odds, a column with
    ``lower`` and ``upper`` bounds is held within them, every column is standardised as in
    training, and the raw score is the log-odds."""

    def __init__(self, spec: dict[str, Any]) -> None:
        lin = spec["linear"]
        self.columns = np.asarray(lin["columns"], dtype=np.int64)
        self.logit = np.asarray(lin["logit"], dtype=np.int64)  # positions within ``columns``
        self.center = np.asarray(lin["center"], dtype=np.float64)
        self.scale = np.asarray(lin["scale"], dtype=np.float64)
        self.coef = np.asarray(lin["coef"], dtype=np.float64)
        self.intercept = float(lin["intercept"])
        # optional bounds per column (null: none), applied before standardising
        lower, upper = lin.get("lower"), lin.get("upper")
        self.lower = None if lower is None else np.asarray([-np.inf if b is None else b for b in lower])
        self.upper = None if upper is None else np.asarray([np.inf if b is None else b for b in upper])

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.float64)
        if len(rows) == 0:
            return np.zeros(0)
        x = linear_inputs(rows, self.columns, self.logit)
        if self.lower is not None:
            x = np.maximum(x, self.lower)
        if self.upper is not None:
            x = np.minimum(x, self.upper)
        out: np.ndarray = ((x - self.center) / self.scale) @ self.coef + self.intercept
        return out


class Blend:
    """Boosted trees and a logistic regression on the same rows (``spec`` holds both): the raw
    score is the sum of their log-odds, calibrated as one.  The trees model the interactions
    of the training range; the linear part keeps rising where the evidence goes on past it
    (real spinners swap more densely than the training spinner, and trees stay flat beyond
    their last split).  The document stage is one (``training.build.DOC_C``)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.trees, self.linear = Forest(spec), Linear(spec)

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        out: np.ndarray = self.trees(rows) + self.linear(rows)
        return out


LOGIT_CLIP = 1e-4  # a probability feature's log-odds stay within +-9.2


def logit(p: np.ndarray | float) -> np.ndarray:
    """Log-odds of probabilities, clipped to ``LOGIT_CLIP`` from 0 and 1."""
    q = np.clip(np.asarray(p, dtype=np.float64), LOGIT_CLIP, 1 - LOGIT_CLIP)
    out: np.ndarray = np.log(q / (1 - q))
    return out


def linear_inputs(
    rows: np.ndarray, columns: Sequence[int] | np.ndarray, as_logit: Sequence[int] | np.ndarray
) -> np.ndarray:
    """A linear stage's inputs before standardising (the build fits on the same): the
    ``columns`` of ``rows``, missing values as 0, the ``as_logit`` positions as log-odds."""
    x = np.nan_to_num(np.asarray(rows, dtype=np.float64)[:, columns], nan=0.0)
    x[:, as_logit] = logit(x[:, as_logit])
    return x


class Short:
    """The recalibration of a document or paragraph probability for documents shorter than
    the stages were fitted on (``spec["short"]``, ``training.build.fit_short``).

    The document and paragraph stages weigh the density of the evidence, and their fit
    split's documents have 153 words and more (its 5th percentile, the bound of the document
    regression's length term): below that a document has few words to weigh, and the
    probabilities stretch too far (of the first 10-110 words of the training test split's
    honest documents, 2.1-2.5 % reached the ``suspicious`` threshold, against 1.7 % of its
    whole documents; 1.2-1.8 % since).  With
    ``s = max(0, below - log(1 + words))`` the log-odds ``z`` become ``z + s (a z + b)``:
    unchanged from ``below`` on and continuous at it, pulled in (``a`` < 0) the shorter the
    document.  ``a`` and ``b`` are fitted on the first sentences of the calibration split's
    documents, honest and spun.

    The document stage has a stage of its own for short documents besides (``spec["stage"]``,
    ``training.build.fit_short_stage``): boosted trees on the document features and the
    recalibrated log-odds, fitted on the first sentences of the fit split's documents, which
    weigh the evidence of a few sentences as such (the trees of the whole-document stage
    split where long documents differ).  Its log-odds are blended in with a weight rising
    linearly in ``s`` from 0 at the bound to 1 at ``ramp_log_words`` below it (a 10-word
    file), so the probability stays continuous at the bound."""

    def __init__(self, spec: dict[str, Any], features: Sequence[str]) -> None:
        self.column = list(features).index("doc_log_words")
        self.below = float(spec["below_log_words"])
        self.a, self.b = (float(v) for v in spec["coef"])
        self.stage = Stage(spec["stage"]) if spec.get("stage") else None
        self.ramp = float(spec.get("ramp_log_words", 1.0))

    def shortness(self, rows: np.ndarray) -> np.ndarray:
        """``s`` of each row: how far below the bound its document's log length is (0 at or
        past it)."""
        out: np.ndarray = np.maximum(0.0, self.below - np.asarray(rows, dtype=np.float64)[:, self.column])
        return out

    def log_odds(self, p: np.ndarray, s: np.ndarray) -> np.ndarray:
        """The recalibrated log-odds (1 + a s) z + b s of probabilities ``p``; the slope is
        held at 0 or more, so the map stays monotone however short the document (with the
        shipped a it reaches 0 only under four words)."""
        out: np.ndarray = np.maximum(1.0 + self.a * s, 0.0) * logit(p) + self.b * s
        return out

    def __call__(self, p: np.ndarray, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.float64)
        s = self.shortness(rows)
        if not s.any():
            return p
        t = self.log_odds(p, s)
        if self.stage is not None:
            short = np.flatnonzero(s > 0)
            own = logit(self.stage(np.hstack([rows[short], t[short, None]])))
            w = np.minimum(s[short] / self.ramp, 1.0)
            t[short] = (1.0 - w) * t[short] + w * own
        q = 1.0 / (1.0 + np.exp(-t))
        # a certainty stays one (log-odds of +-infinity, which ``logit`` clips)
        out: np.ndarray = np.where((s > 0) & (p > 0) & (p < 1), q, p)
        return out


class Stage:
    """One fitted model (boosted trees, a logistic regression, or both summed) with its
    calibration, and for the document and paragraph stages the recalibration of short
    documents (``Short``).

    With ``names`` (the columns of the rows it will be given) the stage picks its own features
    from them by name, so a model file fitted before a feature was added still reads today's
    rows (the deep stages' pinned default stages do); without, rows hold its features in its
    own order.  A feature the rows lack is an error: the file needs rebuilding."""

    def __init__(self, spec: dict[str, Any], names: Sequence[str] | None = None) -> None:
        self.forest: Forest | Linear | Blend = (
            (Blend(spec) if "trees" in spec else Linear(spec)) if "linear" in spec else Forest(spec)
        )
        self.cal_x = np.asarray(spec["calibration"]["x"], dtype=np.float64)
        self.cal_y = np.asarray(spec["calibration"]["y"], dtype=np.float64)
        self.columns: np.ndarray | None = None
        wanted = tuple(spec.get("features", ()))
        if names is not None and wanted != tuple(names):
            at = {n: i for i, n in enumerate(names)}
            missing = [n for n in wanted if n not in at]
            if missing:
                raise ValueError(f"fitted on features the evidence no longer has: {', '.join(missing[:5])}")
            self.columns = np.asarray([at[n] for n in wanted], dtype=np.intp)
        self.short = Short(spec["short"], wanted) if spec.get("short") else None

    def _own(self, rows: np.ndarray) -> np.ndarray:
        """The stage's own features of ``rows``, in its order."""
        return rows if self.columns is None else np.asarray(rows)[:, self.columns]

    def raw(self, rows: np.ndarray) -> np.ndarray:
        return self.forest(self._own(rows))

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        rows = self._own(rows)
        out: np.ndarray = np.interp(self.forest(rows), self.cal_x, self.cal_y)
        if self.short is not None and len(out):
            out = self.short(out, rows)
        return out


def fitted_stages(
    spec: dict[str, Any], expected: Mapping[str, Sequence[str]], path: str, fmt: int, command: str
) -> list[Stage]:
    """The stages ``expected`` names in a model file's ``spec``, each reading its features by
    name from rows with the given columns; a file of another format, or one whose stages need
    a feature the rows lack, is refused with the ``command`` that rebuilds it."""
    if spec.get("format") != fmt:
        raise ValueError(f"{path}: another format; rebuild it with {command}")
    try:
        return [Stage(spec[k], names) for k, names in expected.items()]
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}; rebuild it with {command}") from None


# The stages weigh the density of the evidence, and were fitted on documents of 150 words and
# more: below this many content words scored (about one sentence) there is no density to
# weigh, and their probabilities are no judgement ("An honest sentence." scored 0.94, the
# two-word heading "Number Protocol" 0.95-1.0).  Such a document gets no score and no
# verdict from the detector (``spinlint.runner``) and SPN001 marks none of its words.  Past
# it and below the stages' length bound, the probabilities are recalibrated (``Short``).
MIN_EVIDENCE_WORDS = 8

# A mark needs P(its paragraph spun) >= 0.5 whichever bar applies (SPN001's high bar is 0.5 at
# least, ``training.build.lowest_bar``; its in-document tier asks the paragraph for 0.5), and
# P(swapped) = P(swapped | spun) x P(paragraph) cannot pass a bar its factor does not reach.
# So by default the mark stage is run only for the words of such paragraphs (in honest text,
# almost none): the others get 0 and could never be reported.  ``complete`` runs it for all.
MARK_FLOOR = 0.5


@dataclass
class Scores:
    document: float  # P(document spun)
    paragraphs: list[float]  # P(paragraph spun)
    screen: np.ndarray  # the word screen's P(swapped), per evidence word
    word_given_spun: np.ndarray  # P(word swapped | surroundings spun), per evidence word
    word: np.ndarray  # P(word swapped) = word_given_spun x P(its paragraph spun)
    complete: bool = True  # False: words of paragraphs below MARK_FLOOR were not scored (0)

    @property
    def judged(self) -> bool:
        """Whether the document has enough evidence for its probabilities to be a judgement
        (``MIN_EVIDENCE_WORDS``)."""
        return len(self.screen) >= MIN_EVIDENCE_WORDS


# Real spinners swap more densely than the training spinner: in the real dev set's spun
# passages 39-82 % of the content words the evidence scores lie in gold spans, against 10-40 %
# of content words in the training spin.  The mark stage, fitted on that range, extrapolates
# badly: in synthetic text spun at 50-80 % its P(swapped | spun) finds a third of the swaps.
# So inside a document judged likely spun its probabilities are recalibrated with how dense
# the document's own evidence is: a logistic regression on the word's P(swapped | spun), the
# mean of it over the words of the document's spun paragraphs, and the share of those at 0.5
# or more, fitted on the calibration split spun at 10-80 % (``training.build.density_fit``).
DENSITY_FEATURES = ("logit_p_given", "logit_doc_mean_p_given", "logit_doc_share_p_given_05")


def density_rows(given: np.ndarray) -> np.ndarray:
    """The recalibration's rows for the words of one document's spun paragraphs, from their
    P(swapped | spun) ``given``: DENSITY_FEATURES (the share smoothed off 0 and 1)."""
    given = np.asarray(given, dtype=np.float64)
    n = len(given)
    if n == 0:
        return np.zeros((0, len(DENSITY_FEATURES)))
    share = 0.02 + 0.96 * float(np.mean(given >= 0.5))
    return np.column_stack(
        [logit(given), np.full(n, float(logit(given.mean()))), np.full(n, float(logit(share)))]
    )


class Density:
    """P(swapped | spun) recalibrated for the document's density (see DENSITY_FEATURES)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        if tuple(spec["features"]) != DENSITY_FEATURES:
            raise ValueError(
                "density recalibration built for other features; rebuild with python -m training.build"
            )
        self.coef = np.asarray(spec["coef"], dtype=np.float64)
        self.intercept = float(spec["intercept"])

    def __call__(self, given: np.ndarray) -> np.ndarray:
        """Recalibrated probabilities of the words of one document's spun paragraphs."""
        return self.of_rows(density_rows(given))

    def of_rows(self, rows: np.ndarray) -> np.ndarray:
        """The same from their ``density_rows`` (of one document or several, stacked)."""
        if len(rows) == 0:
            return np.zeros(0)
        out: np.ndarray = 1.0 / (1.0 + np.exp(-(rows @ self.coef + self.intercept)))
        return out


class Detector:
    def __init__(self, path: str | None = None) -> None:
        path = path or OUT_PATH
        with open(path, encoding="utf-8") as fh:
            spec: dict[str, Any] = json.load(fh)
        expected = {
            "screen": SCREEN_FEATURES,
            "doc": DOC_FEATURES,
            "para": PARA_FEATURES,
            "mark": MARK_FEATURES,
        }
        self.screen, self.doc, self.para, self.mark = fitted_stages(
            spec, expected, path, FORMAT, "python -m training.build"
        )
        self.spec = spec
        self.path = path
        density = spec.get("marks", {}).get("density")
        self.density = Density(density) if density else None

    def short_document(self, words: int) -> bool:
        """Whether a document of ``words`` words is shorter than the stages were fitted on: its
        probabilities are recalibrated (``Short``), and SPN001 marks its words only once the
        document is judged spun."""
        short = self.doc.short
        return short is not None and math.log1p(words) < short.below

    def score(self, e: Evidence, words: int, complete: bool = True) -> Scores:
        """The document's scores; with ``complete=False`` the mark stage skips the words of
        paragraphs below ``MARK_FLOOR`` (see there), which no bar could report."""
        p_screen = self.screen(e.features) if len(e.words) else np.zeros(0)
        reg = regions(e, words, p_screen)
        p_doc = float(self.doc(np.asarray([reg.doc]))[0])
        p_para = coherent(p_doc, self.para(np.asarray(reg.paras))).tolist() if reg.paras else []
        ctx = np.asarray(p_para, dtype=np.float64)[e.word_paragraphs] if len(e.words) else np.zeros(0)
        given = np.zeros(len(e.words))
        if len(e.words):
            if complete:
                given = self.mark(mark_rows(e, p_screen, reg))
            else:
                floor = min(MARK_FLOOR, float(self.spec["marks"]["min_probability"]))
                kept = np.flatnonzero(ctx >= floor)
                if len(kept):
                    given[kept] = self.mark(mark_rows(e, p_screen, reg, kept))
        return Scores(p_doc, p_para, p_screen, given, given * ctx, complete)


def coherent(p_doc: float | np.ndarray, p_para: np.ndarray) -> np.ndarray:
    """Paragraph probabilities held to their document's: a paragraph is spun only if its
    document is, so P(paragraph spun) <= P(document spun).  The paragraph stage reads its own
    paragraph as well as the document's aggregates and, fitted to find the spun paragraphs of
    partly spun documents, can rate a paragraph of an honest-looking document above the
    document itself (a four-word "New in version 3.3." beside a high-gain word); the cap keeps
    the marks' context (P(swapped) = P(swapped | spun) x P(paragraph spun)) and the reported
    figures consistent with the document's verdict."""
    held: np.ndarray = np.minimum(p_para, p_doc)
    return held


@lru_cache(maxsize=1)
def detector() -> Detector:
    return Detector()


def scores(doc: Any, complete: bool = False) -> Scores:
    """The document's scores, computed once and shared (cached on the document).  The rules
    need only the marks that can be reported (``MARK_FLOOR``); the deep pass, which reads
    P(swapped | spun) of every word as a feature, asks for ``complete`` scores."""
    from spinlint.detect.evidence import evidence

    s = doc.cache.get("spin-scores")
    if s is None or (complete and not s.complete):
        s = doc.cache["spin-scores"] = detector().score(evidence(doc), doc.word_count(), complete)
    return s  # type: ignore[no-any-return]


def feature_names(stage: str) -> Sequence[str]:
    return {"screen": SCREEN_FEATURES, "doc": DOC_FEATURES, "para": PARA_FEATURES, "mark": MARK_FEATURES}[
        stage
    ]
