"""How the deep document stage was chosen: ``python -m training.select_deep_doc``.

Reads the rows ``training.build_deep`` cached (``training/.data/deep-rows.pkl``; run that
first) and compares, by 5-fold cross-validation over the ``region`` and ``calib`` splits (a
document's honest and spun versions in the same fold; the test split is not read), the
boosted trees used for the deep document stage until 2026-12-03 with logistic regressions on
``build_deep.DDOC_LINEAR`` at several strengths ``C``.  Out of fold: ROC AUC, log loss (of
the raw logistic output; the trees' as they come), and the share of spun documents above the
honest documents' 1 % and 0.2 % tails, where the verdict thresholds sit.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Sequence

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from spinlint.detect import deepmodel as dm  # noqa: E402
from training import build_deep, corpora  # noqa: E402

TREES = {"max_iter": 150, "learning_rate": 0.05, "max_depth": 3, "min_samples_leaf": 10}
GRID = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def rows(docs: int = 400, calib_docs: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """The document rows and labels of the region and calib splits, honest/spun pairs adjacent."""
    with open(os.path.join(corpora.DATA, "deep-rows.pkl"), "rb") as fh:
        known = pickle.load(fh)
    by_split = build_deep.sample(build_deep.wanted_docs(docs, calib_docs))
    X, y = [], []
    for split in ("region", "calib"):
        stage = build_deep.stage_rows([known[t.id] for t in by_split[split]])["ddoc"]
        X.append(stage[0])
        y.append(stage[1])
    return np.vstack(X), np.concatenate(y)


def report(name: str, y: np.ndarray, oof: np.ndarray) -> str:
    from sklearn.metrics import log_loss, roc_auc_score

    honest = np.sort(oof[y == 0])
    tail = {q: honest[int(np.ceil(q * len(honest))) - 1] for q in (0.99, 0.998)}
    p = 1.0 / (1.0 + np.exp(-oof))
    return (
        f"| {name} | {roc_auc_score(y, oof):.4f} | {log_loss(y, p):.4f} | "
        f"{np.mean(oof[y == 1] > tail[0.99]):.3f} | {np.mean(oof[y == 1] > tail[0.998]):.3f} |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import GroupKFold

    X, y = rows()
    groups = np.repeat(np.arange(len(X) // 2), 2)
    folds = list(GroupKFold(5).split(X, y, groups))
    names = dm.DDOC_FEATURES
    print("| document stage | out-of-fold ROC AUC | log loss | spun above honest 1 % | above 0.2 % |")
    print("| --- | --- | --- | --- | --- |")
    oof = np.zeros(len(X))
    for tr, te in folds:
        clf = HistGradientBoostingClassifier(random_state=0, **TREES).fit(X[tr], y[tr])
        oof[te] = clf.decision_function(X[te])
    print(report("boosted trees, all 33 features", y, oof))
    for c in GRID:
        for tr, te in folds:
            model, _ = build_deep.fit_linear(X[tr], y[tr], np.ones(len(tr)), names, c)
            oof[te] = model.decision_function(X[te])
        print(report(f"logistic regression on DDOC_LINEAR, C = {c:g}", y, oof))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
