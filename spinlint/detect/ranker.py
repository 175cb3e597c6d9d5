"""Which candidate is the original: a fitted ranking of a swapped word's candidates.

The evidence gives each content word its candidate originals (Moby synonyms, the spinners'
word map, words the reference bigrams put in the slot) with the phrase model's window gain.
Ranking them by source and gain alone (``spinlint.detect.evidence.ranked``) put the right
original first for about a quarter of the swaps the benchmark found.  A spinner's choice
leaves more clues than the gain: it swaps a word for a *synonym* (a thesaurus or map entry
outranks a word that merely fits the slot), usually a commoner or a rarer one of the same
topic (the candidate's fit with the neighbouring words' vectors, its frequency against the
written word's), and a right original often wins by a margin over the runner-up.

``ranker.json`` holds boosted trees on those features (``FEATURES``; scikit-learn's
HistGradientBoostingClassifier, evaluated by ``spinlint.detect.model.Forest``), fitted by
``python -m training.fit_ranker`` on the training spinner's swaps (never on the benchmark
or the real dev set): per candidate, P(it is the original | the word was swapped, the
original is among the candidates).  The scores order the suggestions of SPN001; the
evidence's own order (``ranked``) still decides which candidates the deep pass re-reads.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from spinlint.detect.evidence import IDX, Candidate, Evidence, in_map, semantic_fits
from spinlint.detect.model import Forest
from spinlint.lexicon import originals
from spinlint.lexicon.phrase import load as load_phrase_model

ROW_CHUNK = 2048
OUT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ranker.json")
FORMAT = 1
FEATURES = (
    "gain",  # log10 window gain of the candidate in the slot
    "gain_gap",  # gain minus the word's best candidate gain (0 for the best)
    "gain_freq",  # gain minus the candidate's unigram advantage
    "gains",  # 1 when the candidate makes the window more probable
    "log_rank",  # log(1 + its place by gain among the word's candidates)
    "from_map",  # the spinners' word map lists it for the written word
    "from_moby",  # a Moby synonym (either direction, inflected)
    "slot_only",  # only the reference bigrams propose it
    "unigram_gap",  # log10 P(candidate) - log10 P(written word)
    "cand_unigram",  # log10 P(candidate)
    "sem_delta",  # its word-vector fit with the neighbours minus the written word's
    "sem_missing",  # no vector for it or the word (sem_delta is 0)
    "n_candidates_log",  # log(1 + the word's number of candidates)
    "written_oov",  # the phrase model does not know the written word
    "sem_gap",  # sem_delta minus the best among the word's candidates (0 for the best fit)
    "unigram_rel",  # cand_unigram minus the commonest candidate's
    "sem_log_rank",  # log(1 + its place by fit among the word's candidates)
    # the noisy channel (``originals.forms_above``): how a spinner would write the candidate
    "channel_log_place",  # log(1 + how many of the candidate's Moby forms are more frequent than
    #   the written word); NaN, the trees' missing branch, when it is not one of them
    "channel_log_forms",  # log(1 + how many forms the Moby map lists for the candidate)
)


def candidate_rows(ev: Evidence, i: int, cands: list[Candidate]) -> np.ndarray:
    """``FEATURES`` for the candidates ``cands`` of evidence word ``i`` (best gain first)."""
    w = ev.words[i]
    if not cands:
        return np.zeros((0, len(FEATURES)))
    lm_uni = ev.features[i, IDX["unigram_lp"]]
    # uncached, as the evidence reads it: the look-up's own cache would keep ~2k words' dicts
    moby = originals.original_tags.__wrapped__(w.text.lower())
    _, fits = semantic_fits(ev, i, [c.word for c in cands])
    fit = ev.features[i, IDX["sem_fit"]]
    best = max(c.gain for c in cands)
    lm = load_phrase_model()
    uni = lm.unigram(np.asarray([lm.wid(c.word) for c in cands], dtype=np.int64))
    rows = np.zeros((len(cands), len(FEATURES)))
    written = w.text.lower()
    for k, c in enumerate(cands):
        sem = fits[k] - fit if math.isfinite(fits[k]) and math.isfinite(fit) else math.nan
        mapped = in_map(w, c.word)
        thesaurus = c.word in moby
        above, forms = originals.forms_above(c.word, written)
        rows[k] = (
            c.gain,
            c.gain - best,
            c.gain_freq,
            float(c.gain > 0),
            math.log1p(k),
            float(mapped),
            float(thesaurus),
            float(c.source == "slot" and not mapped and not thesaurus),
            uni[k] - lm_uni,
            uni[k],
            0.0 if math.isnan(sem) else sem,
            float(math.isnan(sem)),
            math.log1p(len(cands)),
            ev.features[i, IDX["oov"]],
            0.0,
            0.0,
            0.0,
            math.log1p(above) if thesaurus else math.nan,  # the written word is one of its forms
            math.log1p(forms),
        )
    col = {name: k for k, name in enumerate(FEATURES)}
    sem = np.where(rows[:, col["sem_missing"]] > 0, -np.inf, rows[:, col["sem_delta"]])
    known = np.isfinite(sem)
    rows[:, col["sem_gap"]] = np.where(known, sem - (sem[known].max() if known.any() else 0.0), 0.0)
    rows[:, col["unigram_rel"]] = rows[:, col["cand_unigram"]] - rows[:, col["cand_unigram"]].max()
    by_fit = np.empty(len(cands))
    by_fit[np.argsort(-sem, kind="stable")] = np.arange(len(cands))
    rows[:, col["sem_log_rank"]] = np.log1p(by_fit)
    return rows


@dataclass
class Ranker:
    spec: dict[str, Any]

    def __post_init__(self) -> None:
        if self.spec.get("format") != FORMAT or tuple(self.spec["features"]) != FEATURES:
            raise ValueError(
                f"{OUT_PATH}: built for other features; rebuild it with python -m training.fit_ranker"
            )
        self.forest = Forest(self.spec)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """The model's P(candidate is the original), one per row (from the trees' log-odds),
        ``ROW_CHUNK`` rows at a time: the trees' walk holds a few arrays of rows x trees, and
        a long spun page's 900 marks have 18,000 rows (~100 MB at once; ~10 MB a chunk)."""
        raw = [self.forest(rows[a : a + ROW_CHUNK]) for a in range(0, len(rows), ROW_CHUNK)]
        out: np.ndarray = 1.0 / (1.0 + np.exp(-np.concatenate(raw))) if raw else np.zeros(0)
        return out

    def orders(self, ev: Evidence, indices: list[int]) -> dict[int, list[tuple[Candidate, float]]]:
        """For each evidence word of ``indices``: its candidates that make the phrase more
        probable (the ones a one-word fix may offer), most likely original first, each with
        its probability.  The features are those of the word's whole candidate list, as in
        training; all the words' rows are scored in one call (a call of the trees costs about
        as much for one word's twenty rows as for a page of marks)."""
        lists = {i: ev.words[i].candidates for i in indices}
        parts = [candidate_rows(ev, i, lists[i]) for i in indices]
        p = self.scores(np.vstack(parts)) if parts else np.zeros(0)
        out: dict[int, list[tuple[Candidate, float]]] = {}
        at = 0
        for i, rows in zip(indices, parts, strict=True):
            mine, cands = p[at : at + len(rows)], lists[i]
            at += len(rows)
            picked = [k for k in np.argsort(-mine, kind="stable") if cands[k].gain > 0]
            out[i] = [(cands[k], float(mine[k])) for k in picked]
        return out


@lru_cache(maxsize=1)
def ranker() -> Ranker | None:
    """The fitted ranker, or None when ``ranker.json`` is missing (the evidence's own order
    then stands)."""
    if not os.path.exists(OUT_PATH):
        return None
    with open(OUT_PATH, encoding="utf-8") as fh:
        return Ranker(json.load(fh))
