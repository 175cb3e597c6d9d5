"""The deep check's benchmark: the default pass and ``spinlint --deep`` side by side, on the
same documents, in one run.

``python benchmarks/deep.py --dev-spun ../shared/dev/spun`` (about 5-10 minutes on two cores).

The deep pass reads with a neural model at tens to hundreds of words a second, so this run
takes a seeded sample of the main benchmark's sets rather than all 493k clean words: the
clean corpus (news, Wikipedia, Python docs; the same held-out documents ``benchmarks/run.py``
reads), the synthetic spin-test split, and the real spinner dev set.  Both passes lint every
document in a fresh worker process each (``benchmarks/worker.py``), so peak memory and
start-up belong to one pass.  The figures are those of ``benchmarks/detection.py``, plus the
findings only the deep pass made, and words per second on clean and on spun text.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import corpora, detection, scorer  # noqa: E402
from benchmarks.run import (  # noqa: E402
    cell,
    findings,
    get_at,
    log,
    real_spun,
    run_worker,
    spin_docs,
    take_words,
    throughput,
    words_of,
)

HERE = os.path.dirname(os.path.abspath(__file__))
BUDGETS = {"news": 8_000, "wikipedia": 8_000, "python-docs": 8_000, "spin_test": 8_000}
TARGETS = {
    "real_recall_strong_ratio": 1.5,  # the deep pass's recall over the default pass's
    "clean_alarms_per_1000_words": 0.5,
    "deep_words_per_second_spun": 300,
    "peak_rss_mb": 1500,
}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev-spun", required=True, help="folder of real spinner output with *.gold.tsv")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply the word budgets")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "deep.json"))
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    budget = {k: int(v * args.scale) for k, v in BUDGETS.items()}

    wheel = corpora.gensim_wheel()
    if wheel is None:
        raise SystemExit("could not fetch gensim's wheel with pip download (needed for the clean corpora)")
    base = corpora.lee_docs(wheel) + corpora.wiki_docs(wheel)
    clean_base, _, spin_test_src = corpora.benchmark_splits(base, args.seed)
    clean = []
    for corpus in ("news", "wikipedia"):
        docs = [d for d in clean_base if d.corpus == corpus]
        clean += take_words(docs, f"deep:take:{corpus}", budget[corpus])
    pydocs = corpora.python_docs()
    if not pydocs:
        log(f"{corpora.PYDOC} not found (apt-get install python3.11-doc): Python docs left out")
    clean += take_words(pydocs, "deep:take:pydocs", budget["python-docs"])
    spun, gold_test = spin_docs(take_words(spin_test_src, "deep:take:spin", budget["spin_test"]), args.seed)
    real_docs, real_gold, annotated, warnings = real_spun(args.dev_spun)
    for w in warnings:
        log(w)
    everything = [*clean, *spun, *real_docs]
    clean_ids = [d.id for d in clean]
    synth_ids = [d.id for d in spun]
    real_ids = [d.id for d in real_docs]
    spun_ids = [*synth_ids, *real_ids]
    log(f"{len(clean)} clean, {len(spun)} synthetic spun and {len(real_docs)} real spun documents")

    runs = {}
    for name, deep in (("default", False), ("deep", True)):
        log(f"spinlint{' --deep' if deep else ''} on {len(everything)} documents")
        runs[name] = run_worker("spinlint", everything, f"deep-bench-{name}", timed=clean_ids, deep=deep)
        log(f"  {runs[name]['process_wall']} s")

    out: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": "python benchmarks/deep.py --dev-spun " + args.dev_spun,
        "documents": {
            "clean": len(clean),
            "clean_words": words_of(runs["default"], clean_ids),
            "synthetic_spun": len(spun),
            "synthetic_words": words_of(runs["default"], synth_ids),
            "real_spun": len(real_docs),
            "real_words": words_of(runs["default"], real_ids),
        },
        "targets": TARGETS,
    }
    for name, run in runs.items():
        det = detection.report(
            run, clean_ids, synth_ids, gold_test, real_ids, sorted(annotated), real_gold, findings
        )
        deep_only = [f for i in spun_ids for f in run["by_id"][i]["findings"] if f.get("pass") == "deep"]
        clean_deep = [f for i in clean_ids for f in run["by_id"][i]["findings"] if f.get("pass") == "deep"]
        out[name] = {
            **det,
            "clean_alarms": scorer.alarms(findings(run, clean_ids), words_of(run, clean_ids)),
            "speed_clean": throughput(run, clean_ids),
            "speed_spun": throughput(run, spun_ids),
            "deep_only_findings_spun": len(deep_only),
            "deep_only_findings_clean": len(clean_deep),
            "peak_rss_mb": run["peak_rss_mb"],
            "startup_seconds": round(run["startup"], 2),
            "failed_docs": run["failed_docs"],
        }
    out["total_seconds"] = round(time.perf_counter() - t0, 1)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(out, fh, indent=1)
    md = markdown(out)
    with open(os.path.splitext(args.out)[0] + ".md", "w", encoding="utf-8") as fh:
        fh.write(md)
    print(md)
    log(f"done in {out['total_seconds']} s; wrote {args.out}")
    return 0


ROWS = (
    ("real spun vs clean sample: document AUC", "no worse", ("real_documents", "auc"), "{:.3f}"),
    (
        "real passages clean / suspicious / likely",
        "all flagged",
        ("real_documents", "spun_verdicts"),
        "verdicts",
    ),
    (
        "clean sample flagged (suspicious or worse)",
        "<= 1 %",
        ("real_documents", "clean_flagged_share"),
        "{:.2%}",
    ),
    ("synthetic spun vs clean sample: document AUC", "no worse", ("synthetic_documents", "auc"), "{:.3f}"),
    ("document Brier score (synthetic + real vs clean)", "–", ("real_documents", "brier"), "{:.3f}"),
    ("real strong-span recall", ">= 1.5x default", ("real_spans", "recall_strong"), "{:.3f}"),
    ("real span precision", ">= default", ("real_spans", "precision"), "{:.3f}"),
    ("real spans inside judged spun: recall", "–", ("real_spans_in_judged_spun", "recall_strong"), "{:.3f}"),
    ("real marks >= 0.8: precision", "–", ("real_spans_confidence_08", "precision"), "{:.3f}"),
    ("real marks >= 0.8: findings", "–", ("real_spans_confidence_08", "findings"), "{}"),
    (
        "synthetic, inside judged spun: precision",
        "–",
        ("synthetic_spans_in_judged_spun", "precision"),
        "{:.3f}",
    ),
    ("synthetic, inside judged spun: recall", "–", ("synthetic_spans_in_judged_spun", "recall"), "{:.3f}"),
    ("findings only the deep pass made, spun / clean", "–", None, ""),
    ("clean alarms / 1,000 words", "<= 0.5", ("clean_alarms", "per_1000_words"), "{:.3f}"),
    ("words/s, clean (wall)", "–", ("speed_clean", "words_per_second_wall"), "{:,}"),
    ("words/s, spun (wall)", ">= 300 (deep)", ("speed_spun", "words_per_second_wall"), "{:,}"),
    ("peak memory (MB)", "<= 1,500", ("peak_rss_mb",), "{:,.0f}"),
    ("start-up, models loaded (s)", "–", ("startup_seconds",), "{:.1f}"),
)


def markdown(r: dict[str, Any]) -> str:
    docs = r["documents"]
    lines = [
        f"Deep check benchmark, {r['date']}: `{r['command']}` "
        f"({docs['clean']} clean documents, {docs['clean_words']:,} words; "
        f"{docs['synthetic_spun']} synthetic spun, {docs['synthetic_words']:,} words; "
        f"{docs['real_spun']} real spun, {docs['real_words']:,} words; {r['total_seconds']:.0f} s).",
        "",
        "| measure | target | default pass | `--deep` |",
        "| --- | --- | --- | --- |",
    ]
    for label, target, path, spec in ROWS:
        if path is None:
            cells = [
                f"{r[n]['deep_only_findings_spun']} / {r[n]['deep_only_findings_clean']}"
                for n in ("default", "deep")
            ]
        else:
            cells = [cell(get_at(r[n], path), spec) for n in ("default", "deep")]
        lines.append(f"| {label} | {target} | {cells[0]} | {cells[1]} |")
    lines += [
        "",
        *(
            detection.interval_line(r[n], label)
            for n, label in (("default", "default pass"), ("deep", "--deep"))
        ),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
