"""Fit the ranking of candidate originals: ``python -m training.fit_ranker``.

SPN001 offers a swapped word's likely originals.  This script fits which of its candidates
(``spinlint.detect.evidence``: Moby synonyms, the spinners' word map, slot words) is the
original, from the features of ``spinlint.detect.ranker.FEATURES``, on the swaps of the
training spinner (``training.spinner``) in the same honest documents and splits as
``training.build``: boosted trees fitted on documents of the ``word`` and ``region``
splits (a logistic regression beside them, for comparison only), checked on ``calib``,
reported on ``test``.  The benchmark's texts and the real
spinner dev set are never read.

A row is one candidate of one swapped word (a single-word swap of a single-word original);
its label says whether it is the original.  Only words whose original is among their
candidates teach the ranking (for the others no order is right); the report gives top-1
accuracy over those and over all single-word swaps, beside the evidence's own order
(``evidence.ranked``, source then gain), which SPN001 offered before.

Writes ``spinlint/detect/ranker.json`` (the trees, feature names, training data and check
rows with scikit-learn's own outputs) and ``training/REPORT-ranker.md``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from multiprocessing import Pool
from typing import Any

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from spinlint.detect import evidence as ev  # noqa: E402
from spinlint.detect import ranker as runtime  # noqa: E402
from training import build, corpora  # noqa: E402

# documents per split (a seeded sample of each): thousands of swaps each
DOCS = {"fit": 1500, "calib": 250, "test": 350}
PARAMS = {"max_iter": 150, "learning_rate": 0.1, "max_depth": 4, "max_leaf_nodes": 16}


def swap_rows(args: tuple[corpora.Text, int]) -> list[dict[str, Any]]:
    """The candidates of each single-word swap of the document's spun version, with labels."""
    text, seed = args
    _, (_, body, _, swaps) = build.spin_versions(text, seed)
    doc = build._document(body)
    e = ev.compute(doc)  # as at lint time: each word keeps its 20 best candidates by gain
    starts = {w.start: j for j, w in enumerate(e.words)}
    out = []
    for a, b, original in swaps:
        j = starts.get(a)
        if j is None or e.words[j].end != b or not original.isalpha():
            continue  # a multiword or punctuation swap, or not a content word of the evidence
        w = e.words[j]
        cands = w.candidates
        gold = original.lower()
        labels = np.asarray([c.word == gold for c in cands], dtype=np.int8)
        ranked = ev.ranked(w)
        out.append(
            {
                "rows": runtime.candidate_rows(e, j, cands),
                "labels": labels,
                "gaining": np.asarray([c.gain > 0 for c in cands], dtype=bool),
                "baseline_top": bool(ranked) and ranked[0].word == gold,
            }
        )
    return out


def collect(texts: Sequence[corpora.Text], jobs: int) -> list[dict[str, Any]]:
    args = [(t, int(build.bucket(t.id + "|seed") * 1e9)) for t in texts]
    with Pool(jobs) as pool:
        parts = pool.map(swap_rows, args, chunksize=4)
    return [s for part in parts for s in part]


def stack(swaps: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """Rows and labels of the swaps whose original is among the candidates."""
    kept = [s for s in swaps if s["labels"].any()]
    return np.vstack([s["rows"] for s in kept]), np.concatenate([s["labels"] for s in kept])


def top1(swaps: list[dict[str, Any]], score: Any, pool: str = "all") -> tuple[float, float]:
    """Top-1 accuracy over the swaps whose original is a candidate, and over all swaps; the
    ``gaining`` pool ranks only the candidates that make the window more probable (all when
    none does)."""
    hit = known = 0
    for s in swaps:
        if not len(s["labels"]):
            continue
        p = score(s["rows"])
        if pool == "gaining" and s["gaining"].any():
            p = np.where(s["gaining"], p, -np.inf)
        hit += int(s["labels"][int(np.argmax(p))])
        known += int(s["labels"].any())
    n = len(swaps)
    return hit / max(known, 1), hit / max(n, 1)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", default=runtime.OUT_PATH)
    args = ap.parse_args(argv)
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    t0 = time.time()
    by_split: dict[str, list[corpora.Text]] = {}
    for t in build.training_texts():
        split = build.split_of(t.id)
        by_split.setdefault("fit" if split in ("word", "region") else split, []).append(t)
    data = {}
    for k, n in DOCS.items():
        texts = sorted(by_split[k], key=lambda t: build.bucket("ranker|" + t.id))[:n]
        data[k] = collect(texts, args.jobs)
        print(f"{k}: {len(texts)} documents, {len(data[k])} swaps, {time.time() - t0:.0f}s", file=sys.stderr)

    X, y = stack(data["fit"])
    # boosted trees, as the detector's word stages (depth 4: the run-time Forest's cost),
    # beside a logistic regression on the same standardised features for comparison
    trees = HistGradientBoostingClassifier(random_state=0, **PARAMS).fit(X, y)
    # the regression takes no NaN: a missing value (the channel's "not among the candidate's
    # forms") stands at the worst value seen in its column
    worst = np.nanmax(X, axis=0)

    def filled(rows: np.ndarray) -> np.ndarray:
        return np.where(np.isnan(rows), worst, rows)

    X_filled = filled(X)
    center, scale = X_filled.mean(axis=0), X_filled.std(axis=0)
    scale[scale == 0] = 1.0
    linear = LogisticRegression(C=0.1, max_iter=5000).fit((X_filled - center) / scale, y)

    def linear_score(rows: np.ndarray) -> np.ndarray:
        out: np.ndarray = linear.decision_function((filled(rows) - center) / scale)
        return out

    spec = {
        "format": runtime.FORMAT,
        "features": list(runtime.FEATURES),
        **build.export_trees(trees),
        "trained_on": {
            "sources": list(build.SOURCES),
            "documents": DOCS,
            "rows": int(len(y)),
            "swaps": int(sum(s["labels"].any() for s in data["fit"])),
            "params": PARAMS,
            "spinner": "training.spinner (as training.build), seed " + build.SEED,
        },
    }
    cx, _ = stack(data["calib"])
    spec["check"] = {"rows": cx[:20].tolist(), "raw": trees.decision_function(cx[:20]).tolist()}
    fitted = runtime.Ranker(spec)

    def model_score(rows: np.ndarray) -> np.ndarray:
        return fitted.scores(rows)

    test = data["test"]
    lines = [
        "# Ranking of candidate originals (test split, never fitted on)",
        "",
        f"Built by `python -m training.fit_ranker` in {time.time() - t0:.0f} s: boosted trees "
        f"(depth 4, 150 iterations) on {len(y)} candidate rows of "
        f"{spec['trained_on']['swaps']} swapped words from {DOCS['fit']} training documents.",
        "The swaps are the training spinner's (`training.spinner`); single-word swaps only.",
        "",
        "| order | top-1, original among the candidates | top-1, all swaps |",
        "| --- | --- | --- |",
    ]
    known = sum(s["labels"].any() for s in test)
    hits = sum(s["baseline_top"] for s in test)
    lines.append(
        f"| source, then gain (`evidence.ranked`, before) | {hits / max(known, 1):.3f} | "
        f"{hits / max(len(test), 1):.3f} |"
    )
    for name, fn, pool in (
        ("logistic regression (not shipped), gaining candidates", linear_score, "gaining"),
        ("fitted ranker (trees), gaining candidates: SPN001's order", model_score, "gaining"),
        ("fitted ranker (trees), all candidates", model_score, "all"),
    ):
        a, b = top1(test, fn, pool)
        lines.append(f"| {name} | {a:.3f} | {b:.3f} |")
    lines += [
        "",
        f"Test swaps: {len(test)}, of which {known} ({known / max(len(test), 1):.3f}) have their "
        "original among the candidates (the ceiling of any order).",
        "",
        f"Calib split (top-1, original among the candidates, gaining pool): trees "
        f"{top1(data['calib'], model_score, 'gaining')[0]:.3f}, logistic regression "
        f"{top1(data['calib'], linear_score, 'gaining')[0]:.3f}.",
        "",
        "Logistic regression coefficients (standardised features), to read the evidence:",
        "",
        "| feature | coefficient |",
        "| --- | --- |",
        *(f"| {n} | {v:+.3f} |" for n, v in zip(runtime.FEATURES, linear.coef_[0], strict=True)),
    ]
    build.write_outputs("\n".join(lines) + "\n", "REPORT-ranker.md", spec, args.out, t0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
