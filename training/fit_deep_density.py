"""Fit the deep stages' density recalibration: ``python -m training.fit_deep_density``.

Needs the ``deep`` and ``train`` extras and the shipped ``detector-deep.json`` (from
``python -m training.build_deep``), whose stages it reads without changing them.

The default stages' recalibration (``training.build.density_fit``, docs/detector.md) corrects
the mark stage for real spinners' dense spin; the deep mark stage is fitted on the same
10-40 % spin and extrapolates as badly.  This script fits the same logistic regression for the
deep stages' P(swapped | spun):

1. A seeded sample of the calibration split's documents (those of ``training.build``, at most
   ``MAX_WORDS`` words: the neural pass reads 50-100 words a second), spun again at 10-80 %
   (``build.WIDE_RATES``, the same seeds as the default fit's), and as written.
2. Each version through ``spinlint --deep``'s stages (``deepmodel.run`` and the shipped deep
   stages): the words of the paragraphs with P(paragraph spun) >= 0.5 of the documents the
   deep stages judge likely spun.
3. The logistic regression on their ``model.density_rows`` (``build.density_fit``), reported on
   the test split spun at 10-40 % and at 50-80 % (``training/REPORT-deep-density.md``), and
   written into ``detector-deep.json`` under ``marks.density``.

The real spinner dev set is never read here.  About 20 minutes on two cores; the readings are
kept in ``training/.data/deep-density.pkl`` (``--reuse`` refits on them).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from collections.abc import Sequence
from multiprocessing import get_context
from typing import Any

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from spinlint.detect import deepmodel as dm  # noqa: E402
from spinlint.detect import model as runtime  # noqa: E402
from training import build, corpora  # noqa: E402

MAX_WORDS = 900
SETS = {  # name: (split, spin rates, seed salt, documents, versions read)
    "calib-wide": ("calib", build.WIDE_RATES, "wide", 100, ("clean", "spun")),
    "test": ("test", build.RATES, "seed", 40, ("spun",)),
    "test-dense": ("test", build.DENSE_RATES, "dense", 40, ("spun",)),
}


def read(args: tuple[corpora.Text, int, tuple[float, float], tuple[str, ...]]) -> dict[str, Any]:
    """The versions of one document through the deep stages: per evidence word its deep
    P(swapped | spun), its paragraph and label, and the deep document and paragraph scores."""
    text, seed, rates, versions = args
    out: dict[str, Any] = {}
    for name, body, labels, spans in build.spin_versions(text, seed, rates):
        if name not in versions:
            continue
        doc = build._document(body)
        e, _, nr, rows = dm.run(doc, threads=1)
        ds = dm.deep_detector().score(e, rows, nr)
        word_label, _ = build.labels_of(e, spans, labels)
        out[name] = {
            "given": np.asarray(ds.word_given_spun),
            "document": ds.document,
            "paragraphs": list(ds.paragraphs),
            "paragraph_of": np.asarray([w.paragraph for w in e.words], dtype=np.int64),
            "word_label": word_label,
            "words": len(doc.words),
        }
    return out


def texts_of(split: str, count: int) -> list[corpora.Text]:
    texts = [t for t in build.training_texts() if build.split_of(t.id) == split]
    texts = [t for t in texts if len(t.text.split()) <= MAX_WORDS]
    texts.sort(key=lambda t: build.bucket("deep-density|" + t.id))
    return texts[:count]


def collect(jobs: int) -> dict[str, list[dict[str, Any]]]:
    args: list[tuple[str, tuple[corpora.Text, int, tuple[float, float], tuple[str, ...]]]] = []
    for name, (split, rates, salt, count, versions) in SETS.items():
        for t in texts_of(split, count):
            args.append((name, (t, int(build.bucket(f"{t.id}|{salt}") * 1e9), rates, versions)))
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in SETS}
    started = time.time()
    with get_context("spawn").Pool(jobs) as pool:  # each worker loads the neural model once
        for n, ((name, _), ex) in enumerate(zip(args, pool.imap(read, [a for _, a in args]), strict=True), 1):
            out[name].append(ex)
            if n % 20 == 0:
                print(
                    f"  {n}/{len(args)} documents, {time.time() - started:.0f}s", file=sys.stderr, flush=True
                )
    return out


def population(
    examples: list[dict[str, Any]], likely: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``build.density_population`` of the deep readings: rows, labels, weights, P before."""
    return build.density_population(
        (
            (d["given"], d["document"], np.asarray(d["paragraphs"])[d["paragraph_of"]], d)
            for ex in examples
            for d in ex.values()
        ),
        likely,
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", default=dm.OUT_PATH)
    ap.add_argument("--reuse", action="store_true", help="refit on the readings of the last run")
    args = ap.parse_args(argv)
    t0 = time.time()
    cache = os.path.join(corpora.DATA, "deep-density.pkl")
    if args.reuse and os.path.exists(cache):
        with open(cache, "rb") as fh:
            data = pickle.load(fh)
    else:
        data = collect(args.jobs)
        os.makedirs(corpora.DATA, exist_ok=True)
        with open(cache, "wb") as fh:
            pickle.dump(data, fh)
    with open(args.out, encoding="utf-8") as fh:
        spec = json.load(fh)
    likely = float(spec["verdict"]["likely-spun"])
    rows, y, w, _ = population(data["calib-wide"], likely)
    density = build.density_fit(rows, y, w)
    density["fitted_on"] = (
        f"{len(data['calib-wide'])} documents of the calibration split, spun at "
        f"{build.WIDE_RATES[0]:.0%}-{build.WIDE_RATES[1]:.0%} and as written, read by the deep stages"
    )
    lines = [
        "# Deep density recalibration (test split, never fitted on)",
        "",
        f"Built by `python -m training.fit_deep_density` in {time.time() - t0:.0f} s; "
        f"documents read: { {k: len(v) for k, v in data.items()} } (at most {MAX_WORDS} words each); "
        f"fitted on {len(y)} words of the calibration documents the deep stages judge likely spun.",
        "",
        "| test split, words of judged documents' spun paragraphs, deep P(swapped given spun) >= 0.5 "
        "| precision / recall / Brier before | after |",
        "| --- | --- | --- |",
    ]
    for label, name in (
        (f"spun at {build.RATES[0]:.0%}-{build.RATES[1]:.0%}", "test"),
        (f"spun at {build.DENSE_RATES[0]:.0%}-{build.DENSE_RATES[1]:.0%}", "test-dense"),
    ):
        t_rows, t_y, _, t_given = population(data[name], likely)
        total = sum(int(ex["spun"]["word_label"].sum()) for ex in data[name])
        fig = build.density_scores(t_rows, t_y, t_given, total, density)
        (pb, rb, bb), (pa, ra, ba) = fig["before"], fig["after"]
        lines.append(
            f"| {label} ({len(data[name])} documents) | {pb:.3f} / {rb:.3f} / {bb:.4f} | "
            f"{pa:.3f} / {ra:.3f} / {ba:.4f} |"
        )
    lines += [
        "",
        f"Coefficients (`{', '.join(runtime.DENSITY_FEATURES)}`): {density['coef']}, "
        f"intercept {density['intercept']}.",
    ]
    spec["marks"]["density"] = density
    build.write_outputs("\n".join(lines) + "\n", "REPORT-deep-density.md", spec, args.out, t0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
