"""spinlint's benchmark, side by side with proselint: accuracy, false alarms, speed, memory.

    python benchmarks/run.py [--quick] [--dev-spun PATH] [--pps PATH] [--out FILE]

Clean corpora are extracted at run time into benchmarks/.data (git-ignored); spun text is
made by benchmarks/spinner.py from held-apart clean documents, split dev/test by a seeded
hash; tortured phrases come from rules/tortured-phrases (benchmarks/pps.py).  Every tool
lints in its own subprocess (benchmarks/worker.py), so its peak memory is its own.  Results go
to ``--out`` (JSON) and a Markdown summary beside it.  See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import corpora, detection, pps, scorer, spinner  # noqa: E402
from benchmarks.corpora import DATA, HERE, Doc  # noqa: E402

WORKER = os.path.join(HERE, "worker.py")
MEASURE = os.path.join(HERE, "measure.py")
CONFIG = os.path.join(HERE, "bench.toml")
PPS_PER_DOC = 10  # carrier sentences per document (one paragraph each)
COLD_PAGES = 20  # one-page files for the spread of cold-start times

# What "--quick" and the full run take (word budgets are measured on the raw text).
SIZES = {
    "quick": {
        "news": 15_000,
        "wikipedia": 30_000,
        "python-docs": 40_000,
        "spin_dev": 5_000,
        "spin_test": 12_000,
        "pps_dev": 0,
        "pps_test": 150,
    },
    "full": {
        "news": 10**9,
        "wikipedia": 10**9,
        "python-docs": 400_000,
        "spin_dev": 10**9,
        "spin_test": 10**9,
        "pps_dev": 10**9,
        "pps_test": 10**9,
    },
}
TARGETS = {
    "clean_alarms_per_1000_words": 0.5,
    "precision": 0.90,
    "recall": 0.80,
    "fix_accuracy": 0.60,
    "pps_recall_without_TPF": 0.50,
    "pps_correct_alarm_rate": 0.05,
    "cold_start_seconds": 1.2,
    "words_per_second": 50_000,
    "peak_rss_mb": 600,
}


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def take_words(docs: Sequence[Doc], seed: str, budget: int) -> list[Doc]:
    """Documents in a seeded order until ``budget`` words (deterministic subsample)."""
    out: list[Doc] = []
    total = 0
    for d in sorted(docs, key=lambda d: corpora.bucket(d.id, seed)):
        if total >= budget:
            break
        out.append(d)
        total += len(d.text.split())
    return sorted(out, key=lambda d: d.id)


# -- building the labelled sets -----------------------------------------------------------


def spin_docs(docs: Iterable[Doc], seed: int) -> tuple[list[Doc], list[scorer.Gold]]:
    """Spin each document with a generator seeded by its id (independent of order)."""
    out: list[Doc] = []
    golds: list[scorer.Gold] = []
    for d in docs:
        s = spinner.spin(d.text, random.Random(f"{seed}:{d.id}"))
        did = "spun/" + d.id
        out.append(Doc(did, "spun-" + d.name, s.text, "spun"))
        golds.extend(scorer.Gold(did, c.start, c.end, c.original, c.kind) for c in s.changes)
    return out, golds


@dataclass
class Mixed:
    """Partly spun documents: some paragraphs through the spinner, the rest as written.  Per
    document, each of its paragraphs' first and last line (1-based) and whether it was spun."""

    docs: list[Doc] = field(default_factory=list)
    paragraphs: dict[str, list[tuple[int, int, bool]]] = field(default_factory=dict)
    kind: dict[str, str] = field(default_factory=dict)


MIXED_STORIES = 3  # one-paragraph stories a short mixed page joins


def mixed_docs(docs: Sequence[Doc], seed: int) -> Mixed:
    """Two kinds of partly spun page, from the held-apart spin documents:

    * ``article``: a document of several paragraphs with each paragraph spun at even odds,
      at least one spun and one left as written (a spun section pasted into an honest page);
    * ``stories``: MIXED_STORIES one-paragraph stories (news) on one page, one or two of them
      spun (a short page whose honest neighbours have little evidence of their own, like the
      README's mixed example).

    Each spun paragraph goes through the benchmark spinner on its own (a paragraph the spinner
    left unchanged counts as honest); generators are seeded by document id."""
    out = Mixed()

    def add(did: str, name: str, kind: str, parts: list[str], rng: random.Random, spun: list[bool]) -> None:
        texts, paras, line = [], [], 1
        for part, want in zip(parts, spun, strict=True):
            s = spinner.spin(part, rng) if want else None
            text = s.text if s is not None else part
            lines = text.count("\n") + 1
            paras.append((line, line + lines - 1, bool(s is not None and s.changes)))
            texts.append(text)
            line += lines + 1  # the blank line between paragraphs
        if all(p[2] for p in paras) or not any(p[2] for p in paras):
            return  # the spinner changed nothing (or everything): not a partly spun page
        out.docs.append(Doc(did, name, "\n\n".join(texts) + "\n", "mixed"))
        out.paragraphs[did] = paras
        out.kind[did] = kind

    singles = []
    for d in sorted(docs, key=lambda d: d.id):
        parts = [p.strip("\n") for p in d.text.split("\n\n") if p.strip()]
        if len(parts) == 1:
            singles.append(parts[0])
            continue
        rng = random.Random(f"{seed}:mixed:{d.id}")
        spun = [rng.random() < 0.5 for _ in parts]
        if all(spun) or not any(spun):
            k = rng.randrange(len(parts))
            spun[k] = not spun[k]
        add("mixed/" + d.id, "mixed-" + d.name, "article", parts, rng, spun)
    for k in range(0, len(singles) - MIXED_STORIES + 1, MIXED_STORIES):
        rng = random.Random(f"{seed}:mixed:stories:{k}")
        chosen = set(rng.sample(range(MIXED_STORIES), rng.randint(1, MIXED_STORIES - 1)))
        spun = [i in chosen for i in range(MIXED_STORIES)]
        add(
            f"mixed/stories-{k:03d}",
            f"mixed-stories-{k:03d}.txt",
            "stories",
            singles[k : k + MIXED_STORIES],
            rng,
            spun,
        )
    return out


@dataclass
class PPSSet:
    """Carrier-sentence documents: with the tortured phrases, and with the correct terms."""

    spun_docs: list[Doc] = field(default_factory=list)
    spun_gold: list[scorer.Gold] = field(default_factory=list)
    ok_docs: list[Doc] = field(default_factory=list)
    ok_gold: list[scorer.Gold] = field(default_factory=list)  # the correct terms


def pps_docs(pairs: Sequence[pps.Pair], tag: str) -> PPSSet:
    """Ten carrier sentences a document, one paragraph each."""
    out = PPSSet()
    for i in range(0, len(pairs), PPS_PER_DOC):
        chunk = [pps.carrier(p) for p in pairs[i : i + PPS_PER_DOC]]
        for variant, docs, golds in (
            ("spun", out.spun_docs, out.spun_gold),
            ("correct", out.ok_docs, out.ok_gold),
        ):
            did = f"pps-{tag}-{variant}/{i // PPS_PER_DOC:04d}"
            parts, pos = [], 0
            for c in chunk:
                sentence = c.spun if variant == "spun" else c.correct
                phrase = c.pair.tortured if variant == "spun" else c.pair.correct
                start = pos + c.offset
                golds.append(scorer.Gold(did, start, start + len(phrase), c.pair.correct, "pps"))
                parts.append(sentence)
                pos += len(sentence) + 2
            docs.append(Doc(did, did.replace("/", "-") + ".txt", "\n\n".join(parts) + "\n", "pps"))
    return out


def real_spun(path: str) -> tuple[list[Doc], list[scorer.Gold], set[str], list[str]]:
    """The real spinner dev set: documents, gold spans, the ids with gold, and warnings."""
    from spinlint.sources import read_source

    docs: list[Doc] = []
    golds: list[scorer.Gold] = []
    annotated: set[str] = set()
    warnings: list[str] = []
    for txt in sorted(glob.glob(os.path.join(path, "*.txt"))):
        name = os.path.basename(txt)
        if name.upper().startswith("SOURCES"):
            continue
        source = read_source(txt)  # decoded as spinlint decodes it, so offsets agree
        did = "real/" + name
        docs.append(Doc(did, "real-" + name, source.text, "real-spun"))
        gold_path = txt[: -len(".txt")] + ".gold.tsv"
        if not os.path.exists(gold_path):
            continue
        annotated.add(did)
        starts = [*source.line_starts, len(source.text) + 1]
        with open(gold_path, encoding="utf-8") as fh:
            for row in fh:
                if row.startswith("#") or not row.strip():
                    continue
                cols = row.rstrip("\n").split("\t")
                if len(cols) < 6:
                    warnings.append(f"{gold_path}: short row {row.strip()!r}")
                    continue
                line_no, spun, occ, original, kind, strength = cols[:6]
                row_i = int(line_no) - 1
                at = -1
                if 0 <= row_i < len(starts) - 1:
                    at = starts[row_i] - 1
                    for _ in range(int(occ)):
                        at = source.text.find(spun, at + 1, starts[row_i + 1] - 1)
                        if at < 0:
                            break
                if at < 0:
                    warnings.append(f"{gold_path}: {spun!r} (occurrence {occ}) not on line {line_no}")
                    continue
                golds.append(scorer.Gold(did, at, at + len(spun), original, kind, strength))
    return docs, golds, annotated, warnings


# -- running the tools --------------------------------------------------------------------


# The machine is shared, and its speed drifts by as much as half within an hour (2026-12-07:
# the same code measured at 0.52, 0.55 and 0.84 of proselint's words per second in three runs).
# So the speed comparison is also made in rounds that alternate the two tools on the clean
# corpus, each round a fresh process per tool, and reported as the median round.
SPEED_ROUNDS = {"quick": 1, "full": 3}


def interleaved_speed(clean: Sequence[Doc], rounds: int) -> dict[str, Any]:
    """Words per CPU-second of spinlint and proselint on ``clean``, in ``rounds`` rounds that
    alternate the tools; each round's ratio, and the medians."""
    ids = [d.id for d in clean]
    out: list[dict[str, Any]] = []
    for _ in range(rounds):
        row: dict[str, Any] = {}
        for tool in ("spinlint", "proselint"):
            run = run_worker(tool, clean, f"speed-{tool}", timed=ids if tool == "spinlint" else ())
            row[tool] = throughput(run, ids)["words_per_second_cpu"]
        s, p = row["spinlint"], row["proselint"]
        row["ratio"] = round(s / p, 3) if s and p else None
        out.append(row)
    ratios = [r["ratio"] for r in out if r["ratio"] is not None]
    return {
        "rounds": out,
        "spinlint_median": statistics.median(r["spinlint"] for r in out) if out else None,
        "proselint_median": statistics.median(r["proselint"] for r in out) if out else None,
        "ratio_median": round(statistics.median(ratios), 3) if ratios else None,
    }


def run_worker(
    tool: str,
    docs: Sequence[Doc],
    tag: str,
    ignore: Sequence[str] = (),
    timed: Sequence[str] = (),
    deep: bool = False,
) -> dict[str, Any]:
    """Lint ``docs`` with ``tool`` in a fresh process; adds its peak RSS (MB) and wall time.

    ``timed``: the documents over which the time spent in each rule is summed."""
    job = os.path.join(DATA, f"job-{tag}.json")
    out = os.path.join(DATA, f"out-{tag}.json")
    with open(job, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "tool": tool,
                "ignore": list(ignore),
                "deep": deep,
                "docs": [{"id": d.id, "name": d.name, "text": d.text} for d in docs],
                "timed_ids": list(timed),
            },
            fh,
        )
    with open(os.path.join(DATA, f"err-{tag}.txt"), "w") as err:
        m = measured([sys.executable, WORKER, job, out], stderr=err)
    proc_rc, wall = m["returncode"], m["wall"]
    if proc_rc != 0:
        with open(os.path.join(DATA, f"err-{tag}.txt")) as fh:
            raise SystemExit(f"worker {tag} failed ({proc_rc}):\n{fh.read()[-3000:]}")
    with open(out, encoding="utf-8") as fh:
        result: dict[str, Any] = json.load(fh)
    result["peak_rss_mb"] = round(m["peak_rss_mb"], 1)
    failed = [r for r in result["results"] if r.get("error")]
    result["failed_docs"] = len(failed)
    if failed:
        log(
            f"{tool} ({tag}): {len(failed)} of {len(docs)} documents raised; the first:\n{failed[0]['error']}"
        )
        result["first_error"] = failed[0]["error"]
    result["process_wall"] = round(wall, 2)
    result["by_id"] = {r["id"]: r for r in result["results"]}
    return result


def findings(run: dict[str, Any], ids: Iterable[str]) -> list[scorer.Finding]:
    out = []
    for i in ids:
        for f in run["by_id"][i]["findings"]:
            out.append(
                scorer.Finding(
                    i, f["start"], f["end"], f["code"], tuple(tuple(e) for e in f["edits"]), f["confidence"]
                )
            )
    return out


def words_of(run: dict[str, Any], ids: Iterable[str]) -> int:
    return sum(run["by_id"][i]["words"] for i in ids)


def throughput(run: dict[str, Any], ids: Sequence[str]) -> dict[str, Any]:
    words = words_of(run, ids)
    wall = sum(run["by_id"][i]["wall"] for i in ids)
    cpu = sum(run["by_id"][i]["cpu"] for i in ids)
    per_rule = {
        code: round(1000.0 * 1000.0 * sec / words, 3) if words else None
        for code, sec in sorted(run.get("rule_seconds", {}).items())
    }
    return {
        "ms_per_1000_words_by_rule": per_rule,
        "words": words,
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "words_per_second_wall": round(words / wall) if wall else None,
        "words_per_second_cpu": round(words / cpu) if cpu else None,
        "startup_seconds": round(run["startup"], 2),
        "pipeline_loaded_in_startup": run.get("pipeline_loaded_in_startup"),
        "peak_rss_mb": run["peak_rss_mb"],
    }


def measured(cmd: list[str], stderr: Any) -> dict[str, Any]:
    """Wall time and peak RSS of ``cmd``, measured through benchmarks/measure.py."""
    report = os.path.join(DATA, "measure.json")
    subprocess.run(
        [sys.executable, MEASURE, report, *cmd], stdout=subprocess.DEVNULL, stderr=stderr, check=True
    )
    with open(report, encoding="utf-8") as fh:
        return json.load(fh)  # type: ignore[no-any-return]


def cold_start(cmd: list[str], runs: int = 5) -> dict[str, Any]:
    """Median wall time and peak RSS of ``cmd`` run as a fresh process ``runs`` times."""
    times, rss = [], []
    for _ in range(runs):
        m = measured(cmd, stderr=subprocess.DEVNULL)
        times.append(m["wall"])
        rss.append(m["peak_rss_mb"])
    return {
        "median_seconds": round(statistics.median(times), 3),
        "runs": [round(t, 3) for t in times],
        "peak_rss_mb": round(max(rss), 1),
    }


def _script(name: str) -> str | None:
    here = os.path.join(os.path.dirname(sys.executable), name)
    return here if os.path.exists(here) else shutil.which(name)


# -- summaries ----------------------------------------------------------------------------


def percentiles(
    values: Sequence[float | None], ps: Sequence[float] = (50, 90, 95, 99, 100)
) -> dict[str, float]:
    xs = sorted(v for v in values if v is not None)  # None: the document raised
    if not xs:
        return {}
    out = {}
    for p in ps:
        k = min(len(xs) - 1, max(0, math.ceil(p / 100 * len(xs)) - 1))  # nearest rank
        out[f"p{p:g}"] = round(xs[k], 3)
    return out


def density_report(
    clean: Sequence[float | None], spun: Sequence[float | None], real: Sequence[float | None]
) -> dict[str, Any]:
    from spinlint import verdict

    clean, spun, real = ([x for x in xs if x is not None] for xs in (clean, spun, real))

    clean_p = percentiles(clean, (50, 90, 95, 99, 100))
    suspicious = clean_p.get("p99", 0.0)
    likely = max(clean_p.get("p100", 0.0), suspicious)

    def share(xs: Sequence[float], t: float) -> float | None:
        return round(sum(x >= t for x in xs) / len(xs), 4) if xs else None

    return {
        "current": {"SUSPICIOUS": verdict.SUSPICIOUS, "LIKELY_SPUN": verdict.LIKELY_SPUN},
        "clean": {"docs": len(clean), **clean_p},
        "spun_test": {"docs": len(spun), **percentiles(spun, (1, 5, 10, 50))},
        "real_spun": {"docs": len(real), **percentiles(real, (0, 50, 100))},
        "suggested": {
            "SUSPICIOUS": round(suspicious + 0.05, 2),  # just above the 99th percentile of clean docs
            "LIKELY_SPUN": round(likely + 0.05, 2),  # above every clean document seen
            "rule": "SUSPICIOUS just above the 99th percentile of clean documents; LIKELY_SPUN above "
            "the densest clean document",
            "spun_test_caught_at_suspicious": share(spun, suspicious + 0.05),
            "spun_test_caught_at_likely": share(spun, likely + 0.05),
            "real_spun_caught_at_suspicious": share(real, suspicious + 0.05),
        },
        "at_current": {
            "clean_suspicious_or_worse": share(clean, verdict.SUSPICIOUS),
            "spun_test_suspicious_or_worse": share(spun, verdict.SUSPICIOUS),
            "spun_test_likely": share(spun, verdict.LIKELY_SPUN),
            "real_spun_suspicious_or_worse": share(real, verdict.SUSPICIOUS),
        },
    }


F3, PCT = "{:.3f}", "pct"  # cell formats
# The headline table: (label, target, key path in a tool's results, format).
HEADLINE: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("false alarms / 1,000 clean words", "<= 0.5", ("clean", "per_1000_words"), "{:.3f}"),
    ("synthetic spin, test: precision", ">= 0.90", ("spin_test", "precision"), "{:.3f}"),
    ("synthetic spin, test: recall", ">= 0.80", ("spin_test", "recall"), "{:.3f}"),
    ("synthetic spin, test: top-fix accuracy", ">= 0.60", ("spin_test", "fix_accuracy"), "{:.3f}"),
    ("PPS phrases, test: recall, `--ignore TPF`", ">= 0.50", ("pps_test_noTPF", "spun", "recall"), "{:.3f}"),
    (
        "PPS phrases, test: alarms on the correct terms, `--ignore TPF`",
        "<= 5 %",
        ("pps_test_noTPF", "correct_alarm_rate"),
        "pct",
    ),
    ("PPS phrases, test: recall, all rules", "–", ("pps_test", "spun", "recall"), "{:.3f}"),
    (
        "PPS phrases, test: alarms on the correct terms, all rules",
        "–",
        ("pps_test", "correct_alarm_rate"),
        "pct",
    ),
    ("real spinner dev set: recall of gold spans", "–", ("real", "recall"), "{:.3f}"),
    ("real spinner dev set: confirmed findings", "–", ("real", "tp"), "{:,}"),
    ("real spinner dev set: unconfirmed findings", "–", ("real", "fp"), "{:,}"),
    (
        "cold start, one ~500-word file (median of 5)",
        "<= 1.2 s",
        ("cold_start", "median_seconds"),
        "{:.2f} s",
    ),
    (
        "cold start, 20 different ~500-word files, one run each: median",
        "–",
        ("cold_start", "pages", "median_seconds"),
        "{:.2f} s",
    ),
    (
        "cold start, the same 20 files: slowest",
        "–",
        ("cold_start", "pages", "max_seconds"),
        "{:.2f} s",
    ),
    (
        "cold start, the same 20 files: within the 1.2 s target",
        "–",
        ("cold_start", "pages", "at_most_target"),
        "{:,}",
    ),
    (
        "words / second, clean corpus, one process, cache off (wall)",
        ">= 50,000",
        ("speed", "words_per_second_wall"),
        "{:,}",
    ),
    ("words / second, same run, CPU time", "–", ("speed", "words_per_second_cpu"), "{:,}"),
    ("start-up inside the process (imports, rules, pipeline)", "–", ("speed", "startup_seconds"), "{:.2f} s"),
    ("peak memory, benchmark worker (all documents)", "<= 600 MB", ("speed", "peak_rss_mb"), "{:.0f} MB"),
    ("peak memory, cold start on one file", "–", ("cold_start", "peak_rss_mb"), "{:.0f} MB"),
)


def get_at(d: dict[str, Any], path: Sequence[str]) -> Any:
    """The value at ``path`` in nested results, ``None`` where a key is missing."""
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def cell(value: Any, spec: str) -> str:
    """A table cell: ``spec`` is a format, "pct", or "verdicts" (clean / suspicious / likely)."""
    if value is None:
        return "–"
    if spec == "verdicts" and isinstance(value, dict):
        return f"{value['clean']} / {value['suspicious']} / {value['likely-spun']}"
    return f"{100 * value:.1f} %" if spec == "pct" else spec.format(value)


DETECTION_ROWS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("real spun vs clean: document ROC AUC", "–", ("real_documents", "auc"), "{:.3f}"),
    (
        "real spun passages: clean / suspicious / likely-spun",
        "all >= suspicious",
        ("real_documents", "spun_verdicts"),
        "verdicts",
    ),
    ("clean documents: suspicious or worse", "<= 1 %", ("real_documents", "clean_flagged_share"), "pct"),
    ("synthetic test vs clean: document ROC AUC", ">= 0.99", ("synthetic_documents", "auc"), "{:.3f}"),
    (
        "synthetic test: clean / suspicious / likely-spun",
        "–",
        ("synthetic_documents", "spun_verdicts"),
        "verdicts",
    ),
    ("clean corpus: paragraphs reported spun", "–", ("paragraphs", "clean"), "pct"),
    ("synthetic test: paragraphs reported spun", "–", ("paragraphs", "synthetic"), "pct"),
    ("real spun passages: paragraphs reported spun", "–", ("paragraphs", "real"), "pct"),
    ("document Brier score, synthetic test vs clean", "–", ("synthetic_documents", "brier"), "{:.3f}"),
    ("document Brier score, real spun vs clean", "–", ("real_documents", "brier"), "{:.3f}"),
    ("real dev set, strong spans: recall", "–", ("real_spans", "recall_strong"), "{:.3f}"),
    ("real dev set: precision (confirmed / findings)", "–", ("real_spans", "precision"), "{:.3f}"),
    (
        "real, inside documents judged spun: recall (strong)",
        ">= 0.60",
        ("real_spans_in_judged_spun", "recall_strong"),
        "{:.3f}",
    ),
    (
        "real, inside documents judged spun: precision",
        ">= 0.70",
        ("real_spans_in_judged_spun", "precision"),
        "{:.3f}",
    ),
    (
        "real, marks with confidence >= 0.8: precision",
        ">= 0.90",
        ("real_spans_confidence_08", "precision"),
        "{:.3f}",
    ),
    ("real, marks with confidence >= 0.8: findings", "–", ("real_spans_confidence_08", "findings"), "{:,}"),
    (
        "synthetic, inside documents judged spun: precision",
        ">= 0.85",
        ("synthetic_spans_in_judged_spun", "precision"),
        "{:.3f}",
    ),
    (
        "synthetic, inside documents judged spun: recall",
        ">= 0.50",
        ("synthetic_spans_in_judged_spun", "recall"),
        "{:.3f}",
    ),
)


def detection_markdown(det: dict[str, Any]) -> list[str]:
    tools = ("spinlint", "previous", "proselint")
    lines = [
        "",
        "Document first (the detector, `SPN`): spinlint now, the previous release's rules (the same run "
        "with `--ignore SPN`, verdict by density) and proselint (documents ranked by alarms per 1,000 words; "
        "it gives no verdict):",
        "",
        "| measure | target | spinlint | previous release | proselint |",
        "|---|---|---|---|---|",
    ]

    for label, target, path, spec in DETECTION_ROWS:
        cells = [cell(get_at(det[t], path), spec) for t in tools]
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")
    clean = det["clean_alarms"]
    lines.append(
        "| clean alarms / 1,000 words | <= 0.5 | "
        + " | ".join(cell(clean[t]["per_1000_words"], F3) for t in tools)
        + " |"
    )
    sp = det["speed"]
    lines.append(
        "| words/s on the clean corpus (CPU) | >= proselint | "
        + " | ".join(cell(sp[t]["words_per_second_cpu"], "{:,}") for t in tools)
        + " |"
    )
    rounds = det.get("speed_rounds")
    if rounds and rounds["rounds"]:
        spread = ", ".join(cell(r["ratio"], "{:.2f}") for r in rounds["rounds"])
        spin, prose = (cell(rounds[f"{t}_median"], "{:,}") for t in ("spinlint", "proselint"))
        lines.append(
            f"| words/s on the clean corpus (CPU), median of {len(rounds['rounds'])} interleaved rounds "
            f"(spinlint / proselint: {spread}) | >= proselint | {spin} | – | {prose} |"
        )
    lines.append(
        "| peak memory (MB) | <= 600 | "
        + " | ".join(cell(sp[t]["peak_rss_mb"], "{:.0f}") for t in tools)
        + " |"
    )
    cov = det["coverage"]
    lines += ["", detection.interval_line(det["spinlint"])]
    if det["spinlint"].get("by_length"):
        lines += ["", detection.by_length_line(det["spinlint"]["by_length"])]
    if det.get("mixed"):
        lines += ["", detection.mixed_line(det["mixed"])]
    lines += [
        "",
        f"Coverage ceiling (the share of gold originals among spinlint's candidates for a word of the span): "
        f"real dev set, strong spans {cov['real_strong']['covered']} / {cov['real_strong']['gold']} "
        f"({cell(cov['real_strong']['ceiling'], F3)}); synthetic test {cov['synthetic_test']['covered']} / "
        f"{cov['synthetic_test']['gold']} ({cell(cov['synthetic_test']['ceiling'], F3)}).",
        "",
        "Reliability of spinlint's document probability (synthetic test and real spun vs clean):",
        "",
        "| bin | documents | mean probability | share spun |",
        "|---|---|---|---|",
    ]
    for row in det["spinlint"]["reliability"]:
        lines.append(f"| {row['bin']} | {row['n']} | {row['mean_score']:.3f} | {row['share_spun']:.3f} |")
    lines.append("")
    return lines


def markdown(r: dict[str, Any]) -> str:
    s, p = r["spinlint"], r["proselint"]
    lines = [
        f"Run {r['date']} on {r['machine']}; command: `{r['command']}`; mode: {r['mode']}.",
        f"Clean prose: {s['clean']['words']:,} words; synthetic spin (test): {s['spin_test']['gold']:,} "
        f"spun spans; PPS (test): {s['pps_test']['spun']['gold']:,} phrases; real spinner dev set: "
        f"{s['real']['gold']:,} gold spans.",
        "",
        "| measure | target | spinlint | proselint |",
        "|---|---|---|---|",
    ]
    for tool, res in (("spinlint", s), ("proselint", p)):
        if res.get("failed_docs"):
            lines.insert(
                2,
                f"**{tool} raised on {res['failed_docs']} documents** (counted as finding nothing): "
                f"`{res['first_error'].splitlines()[0]}`",
            )
    for label, target, path, spec in HEADLINE:
        lines.append(
            f"| {label} | {target} | {cell(get_at(s, path), spec)} | {cell(get_at(p, path), spec)} |"
        )
    if "detection" in r:
        lines = lines[:2] + detection_markdown(r["detection"]) + lines[2:]
    lines += [
        "",
        "Alarms per 1,000 words and words per second (CPU time) on each clean corpus:",
        "",
        "| corpus | words | spinlint alarms | proselint alarms | spinlint words/s | proselint words/s |",
    ]
    lines.append("|---|---|---|---|---|---|")
    for corpus, v in s["clean_by_corpus"].items():
        pv = p["clean_by_corpus"].get(corpus, {})
        note = " (quotes spun examples on purpose; not in the headline)" if corpus == "repo-docs" else ""
        lines.append(
            f"| {corpus}{note} | {v['words']:,} | {cell(v['per_1000_words'], F3)} | "
            f"{cell(pv.get('per_1000_words'), F3)} | {cell(v.get('words_per_second_cpu'), '{:,}')} | "
            f"{cell(pv.get('words_per_second_cpu'), '{:,}')} |"
        )
    lines += [
        "",
        "Per rule (spinlint; synthetic spin and PPS on the test split, PPS with all rules):",
        "",
        "| rule | clean alarms / 1,000 words | spin findings | precision | spans found | fix accuracy | "
        "PPS phrases found | alarms on correct terms | real: confirmed / unconfirmed | ms / 1,000 words |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for code in r["rules"]:
        c = s["clean"]["per_code"].get(code, {})
        t = s["spin_test"]["per_code"].get(code, {})
        q = s["pps_test"]["spun"]["per_code"].get(code, {})
        qc = s["pps_test"]["correct"]["per_code"].get(code, {})
        rr = s["real"]["per_code"].get(code, {})
        cells = [
            code,
            cell(c.get("per_1000_words", 0.0), F3),
            str(t.get("findings", 0)),
            cell(t.get("precision"), F3),
            str(t.get("gold_hit", 0)),
            cell(t.get("fix_accuracy"), F3),
            str(q.get("gold_hit", 0)),
            str(qc.get("gold_hit", 0)),
            f"{rr.get('tp', 0)} / {rr.get('fp', 0)}",
            cell(s["speed"]["ms_per_1000_words_by_rule"].get(code), "{:.2f}"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "What `--min-confidence` would give (spinlint; the calibration check for confidences):",
        "",
        "| min confidence | clean alarms / 1,000 words | spin precision | spin recall "
        "| PPS recall, `--ignore TPF` |",
        "|---|---|---|---|---|",
    ]
    for row in s["min_confidence_sweep"]:
        cells = [
            f"{row['min_confidence']:.2f}",
            cell(row["clean_per_1000_words"], F3),
            cell(row["spin_precision"], F3),
            cell(row["spin_recall"], F3),
            cell(row.get("pps_recall_noTPF"), F3),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Recall by kind (spinlint):", ""]
    lines.append("| set | kind | found / total | recall |")
    lines.append("|---|---|---|---|")
    for label, key in (("synthetic test", "spin_test"), ("real dev set", "real")):
        for kind, v in s[key]["per_kind"].items():
            lines.append(f"| {label} | {kind} | {v['hit']} / {v['total']} | {cell(v['recall'], F3)} |")
    for strength, v in s["real"]["per_strength"].items():
        lines.append(
            f"| real dev set | strength: {strength} | {v['hit']} / {v['total']} | {cell(v['recall'], F3)} |"
        )
    d = r["density"]
    lines += [
        "",
        "Document spin density (sum of confidences per 1,000 words, `spinlint.verdict.density`):",
        "",
        f"- clean documents ({d['clean']['docs']}): "
        + ", ".join(f"{k} {v}" for k, v in d["clean"].items() if k != "docs"),
        f"- synthetic spun test documents ({d['spun_test']['docs']}): "
        + ", ".join(f"{k} {v}" for k, v in d["spun_test"].items() if k != "docs"),
        f"- real spun documents ({d['real_spun']['docs']}): "
        + ", ".join(f"{k} {v}" for k, v in d["real_spun"].items() if k != "docs"),
        f"- current thresholds: SUSPICIOUS {d['current']['SUSPICIOUS']}, "
        f"LIKELY_SPUN {d['current']['LIKELY_SPUN']}; suggested: SUSPICIOUS {d['suggested']['SUSPICIOUS']}, "
        f"LIKELY_SPUN {d['suggested']['LIKELY_SPUN']} "
        f"({d['suggested']['rule']}); at the suggested SUSPICIOUS, "
        f"{cell(d['suggested']['spun_test_caught_at_suspicious'], PCT)} of synthetic and "
        f"{cell(d['suggested']['real_spun_caught_at_suspicious'], PCT)} of real spun documents are flagged",
        f"- at the current SUSPICIOUS: {cell(d['at_current']['clean_suspicious_or_worse'], PCT)} of clean, "
        f"{cell(d['at_current']['spun_test_suspicious_or_worse'], PCT)} of synthetic and "
        f"{cell(d['at_current']['real_spun_suspicious_or_worse'], PCT)} of real spun documents are flagged",
    ]
    return "\n".join(lines) + "\n"


def write_examples(
    run: dict[str, Any],
    texts: dict[str, str],
    clean: Sequence[Doc],
    dev: Sequence[Doc],
    gold: Sequence[scorer.Gold],
) -> str:
    """False alarms on clean prose, and false positives and misses on the dev split, in context."""

    def ctx(doc: str, start: int, end: int) -> str:
        t = texts[doc]
        snippet = t[max(0, start - 60) : start] + "[[" + t[start:end] + "]]" + t[end : end + 60]
        return " ".join(snippet.split())

    out = ["# Benchmark examples (contains third-party text: do not commit)", ""]
    out += ["## False alarms on clean prose", ""]
    for f in sorted(findings(run, [d.id for d in clean]), key=lambda f: (f.code, f.doc, f.start)):
        fix = f" -> {f.edits[0][2]!r}" if f.edits else ""
        out.append(f"- {f.code} {f.doc}: {ctx(f.doc, f.start, f.end)}{fix}")
    ids = [d.id for d in dev]
    found = findings(run, ids)
    by_doc: dict[str, list[scorer.Gold]] = {}
    for g in gold:
        by_doc.setdefault(g.doc, []).append(g)
    out += ["", "## Dev split: findings on no spun span", ""]
    for f in found:
        if not any(g.start < f.end and f.start < g.end for g in by_doc.get(f.doc, ())):
            out.append(f"- {f.code} {f.doc}: {ctx(f.doc, f.start, f.end)}")
    out += ["", "## Dev split: spun spans missed (first 300)", ""]
    found_by_doc: dict[str, list[scorer.Finding]] = {}
    for f in found:
        found_by_doc.setdefault(f.doc, []).append(f)
    missed = [
        g for g in gold if not any(f.start < g.end and g.start < f.end for f in found_by_doc.get(g.doc, ()))
    ]
    for g in missed[:300]:
        out.append(f"- {g.kind} {g.doc}: {ctx(g.doc, g.start, g.end)} (original: {g.original!r})")
    path = os.path.join(DATA, "examples.md")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")
    return path


# -- main ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a deterministic subsample (a couple of minutes)")
    ap.add_argument(
        "--dev-spun", help="folder of real spinner output with *.gold.tsv (e.g. ../shared/dev/spun)"
    )
    ap.add_argument(
        "--pps",
        help="tortured-phrase pairs: a pack folder, a PPS JSON or CSV (default: rules/tortured-phrases)",
    )
    ap.add_argument(
        "--out",
        help="results JSON (default: benchmarks/results/latest.json; with --quick the git-ignored "
        "benchmarks/.data/quick.json)",
    )
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument(
        "--examples",
        action="store_true",
        help="also write the flagged and missed passages (dev split and clean prose) to "
        "benchmarks/.data/examples.md, git-ignored, for tuning rules",
    )
    args = ap.parse_args(argv)
    mode = "quick" if args.quick else "full"
    if args.out is None:
        args.out = (
            os.path.join(DATA, "quick.json") if args.quick else os.path.join(HERE, "results", "latest.json")
        )
    size = SIZES[mode]
    t_start = time.perf_counter()
    os.makedirs(DATA, exist_ok=True)

    # Clean corpora.
    wheel = corpora.gensim_wheel()
    if wheel is None:
        raise SystemExit("could not fetch gensim's wheel with pip download (needed for the clean corpora)")
    base = corpora.lee_docs(wheel) + corpora.wiki_docs(wheel)
    clean_base, spin_dev_src, spin_test_src = corpora.benchmark_splits(base, args.seed)
    pydocs = corpora.python_docs()
    if not pydocs:
        log(f"{corpora.PYDOC} not found (apt-get install python3.11-doc): Python docs left out")
    clean: list[Doc] = []
    for corpus in ("news", "wikipedia"):
        clean += take_words([d for d in clean_base if d.corpus == corpus], f"take:{corpus}", size[corpus])
    clean += take_words(pydocs, "take:pydocs", size["python-docs"])
    # The project's own docs quote spun examples on purpose, so they are reported apart and
    # kept out of the headline false-alarm rate.
    own_docs = corpora.repo_docs()

    # Labelled spun sets.
    log("spinning held-apart documents")
    spin_dev_docs, gold_dev = spin_docs(take_words(spin_dev_src, "take:spin", size["spin_dev"]), args.seed)
    spin_test_docs, gold_test = spin_docs(
        take_words(spin_test_src, "take:spin", size["spin_test"]), args.seed
    )
    pairs, pairs_source = pps.load_pairs(args.pps)
    pps_dev_pairs, pps_test_pairs = corpora.split(
        pairs, lambda p: p.tortured.lower(), f"pps:{args.seed}", 0.5
    )
    pps_dev_pairs = corpora.sample(pps_dev_pairs, lambda p: p.tortured.lower(), "take:pps", size["pps_dev"])
    pps_test_pairs = corpora.sample(
        pps_test_pairs, lambda p: p.tortured.lower(), "take:pps", size["pps_test"]
    )
    pps_sets = {tag: pps_docs(ps, tag) for tag, ps in (("dev", pps_dev_pairs), ("test", pps_test_pairs))}
    real_docs, real_gold, annotated, warnings = (
        real_spun(args.dev_spun) if args.dev_spun else ([], [], set(), [])
    )
    for w in warnings:
        log(w)

    mixed = mixed_docs(take_words(spin_test_src, "take:spin", size["spin_test"]), args.seed)

    pps_all = [d for ps in pps_sets.values() for d in (*ps.spun_docs, *ps.ok_docs)]
    everything = clean + own_docs + spin_dev_docs + spin_test_docs + pps_all + real_docs + mixed.docs
    texts = {d.id: d.text for d in everything}
    log(
        f"{len(clean)} clean documents, {len(spin_dev_docs)}+{len(spin_test_docs)} spun (dev+test), "
        f"{len(pps_dev_pairs)}+{len(pps_test_pairs)} PPS pairs from {pairs_source}, "
        f"{len(real_docs)} real spun"
    )

    # Speed: cold start on ~500-word files.  The first is the headline figure; all COLD_PAGES show
    # the spread: a page whose rules raise a candidate that needs a parse loads spaCy (about a
    # second more), a page with none does not.
    pages: list[list[str]] = []
    current: list[str] = []
    count = 0
    for d in sorted(clean_base, key=lambda d: d.id):
        if d.corpus != "news":
            continue
        words = d.text.split()[: 500 - count]  # the last story of a page is cut to fit
        current.append(corpora.wrap(" ".join(words)))
        count += len(words)
        if count >= 500:
            pages.append(current)
            current, count = [], 0
            if len(pages) == COLD_PAGES:
                break
    page_files = []
    for k, paragraphs in enumerate(pages):
        path = os.path.join(DATA, "coldstart.md" if k == 0 else f"coldstart-{k}.md")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("# Cold start\n\n" + "\n\n".join(paragraphs) + "\n")
        page_files.append(path)
    cold = page_files[0]
    spin_cmd = [
        _script("spinlint") or sys.executable,
        "--no-cache",
        "--format",
        "json",
        "--config",
        CONFIG,
        cold,
    ]
    if spin_cmd[0] == sys.executable:
        spin_cmd[1:1] = ["-m", "spinlint"]
    prose_script = _script("proselint")
    log("cold starts")
    cold_spin = cold_start(spin_cmd)
    spread = [measured([*spin_cmd[:-1], page], stderr=subprocess.DEVNULL)["wall"] for page in page_files]
    cold_spin["pages"] = {
        "files": len(spread),
        "median_seconds": round(statistics.median(spread), 3),
        "max_seconds": round(max(spread), 3),
        "at_most_target": sum(1 for t in spread if t <= TARGETS["cold_start_seconds"]),
    }
    cold_prose = cold_start([prose_script, "check", cold]) if prose_script else None

    # Lint everything, one tool at a time (the machine is shared).
    log(f"spinlint on {len(everything)} documents")
    run_s = run_worker("spinlint", everything, "spinlint", timed=[d.id for d in clean])
    log(f"spinlint --ignore TPF on the PPS sets (done in {run_s['process_wall']} s)")
    pps_docs_only = pps_all
    run_s_notpf = run_worker("spinlint", pps_docs_only, "spinlint-noTPF", ignore=["TPF"])
    # The previous release's behaviour: the same rules without the detector (SPN), whose
    # verdict is then the old density one (spinlint.verdict falls back to it without a score).
    log("spinlint without the detector (the previous release's rules) on the same documents")
    run_prev = run_worker("spinlint", everything, "previous", ignore=["SPN"])
    log("proselint on the same documents")
    run_p = run_worker("proselint", everything, "proselint")
    log(f"speed: {SPEED_ROUNDS[mode]} interleaved rounds of both tools on the clean corpus")
    speed_rounds = interleaved_speed(clean, SPEED_ROUNDS[mode])

    def accuracy(run: dict[str, Any], run_pps: dict[str, Any] | None) -> dict[str, Any]:
        clean_ids = [d.id for d in clean]
        out: dict[str, Any] = {"clean": scorer.alarms(findings(run, clean_ids), words_of(run_s, clean_ids))}
        out["clean_by_corpus"] = {}
        for corpus in sorted({d.corpus for d in (*clean, *own_docs)}):
            ids = [d.id for d in (*clean, *own_docs) if d.corpus == corpus]
            a = scorer.alarms(findings(run, ids), words_of(run_s, ids))
            out["clean_by_corpus"][corpus] = {k: a[k] for k in ("words", "alarms", "per_1000_words")}
            # the reader's cost differs by format (HTML markup is parsed, plain text is not)
            cpu = sum(run["by_id"][i]["cpu"] for i in ids)
            out["clean_by_corpus"][corpus]["words_per_second_cpu"] = round(a["words"] / cpu) if cpu else None
        for key, docs, gold in (
            ("spin_dev", spin_dev_docs, gold_dev),
            ("spin_test", spin_test_docs, gold_test),
        ):
            ids = [d.id for d in docs]
            out[key] = scorer.score(findings(run, ids), gold, texts, ids).as_dict()
        for tag, ps in pps_sets.items():
            entry = {}
            spun_ids, ok_ids = [d.id for d in ps.spun_docs], [d.id for d in ps.ok_docs]
            for label, r in (("", run), ("_noTPF", run_pps)):
                if r is None:
                    continue
                spun = scorer.score(findings(r, spun_ids), ps.spun_gold, texts, spun_ids).as_dict()
                ok = scorer.score(findings(r, ok_ids), ps.ok_gold, texts, ok_ids).as_dict()
                entry[label] = {"spun": spun, "correct": ok, "correct_alarm_rate": ok["recall"]}
            out[f"pps_{tag}"] = entry[""]
            if "_noTPF" in entry:
                out[f"pps_{tag}_noTPF"] = entry["_noTPF"]
        ids = sorted(annotated)
        out["real"] = scorer.score(findings(run, ids), real_gold, texts, ids).as_dict()
        out["real"]["note"] = "annotation is partial: 'fp' counts unconfirmed findings, not false positives"
        unannotated = [d.id for d in real_docs if d.id not in annotated]
        out["real"]["unannotated_docs_findings"] = len(findings(run, unannotated))
        out["speed"] = throughput(run, clean_ids)
        out["min_confidence_sweep"] = sweep(run, run_pps, clean_ids)
        out["failed_docs"] = run["failed_docs"] + (run_pps["failed_docs"] if run_pps else 0)
        out["first_error"] = run.get("first_error") or (run_pps or {}).get("first_error")
        return out

    def sweep(
        run: dict[str, Any], run_pps: dict[str, Any] | None, clean_ids: list[str]
    ) -> list[dict[str, Any]]:
        """What ``--min-confidence t`` would give: the calibration check for confidences."""
        test_ids = [d.id for d in spin_test_docs]
        sg = pps_sets["test"].spun_gold
        pps_ids = [d.id for d in pps_sets["test"].spun_docs]
        clean_words = words_of(run_s, clean_ids)
        spin_fs, clean_fs = findings(run, test_ids), findings(run, clean_ids)
        pps_fs = findings(run_pps, pps_ids) if run_pps is not None else []
        rows = []
        for t in (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
            spin = scorer.score([f for f in spin_fs if f.confidence >= t], gold_test, texts, test_ids)
            clean_alarms = scorer.alarms([f for f in clean_fs if f.confidence >= t], clean_words)
            row = {
                "min_confidence": t,
                "clean_per_1000_words": clean_alarms["per_1000_words"],
                "spin_precision": spin.as_dict()["precision"],
                "spin_recall": spin.as_dict()["recall"],
            }
            if run_pps is not None:
                q = scorer.score([f for f in pps_fs if f.confidence >= t], sg, texts, pps_ids)
                row["pps_recall_noTPF"] = q.as_dict()["recall"]
            rows.append(row)
        return rows

    result: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
        "shared with other jobs",
        "command": "python benchmarks/run.py"
        + (" --quick" if args.quick else "")
        + (f" --dev-spun {args.dev_spun}" if args.dev_spun else "")
        + (f" --pps {args.pps}" if args.pps else ""),
        "mode": mode,
        "seed": args.seed,
        "sources": {
            "gensim_wheel": os.path.basename(wheel),
            "news": corpora.LEE,
            "wikipedia": corpora.WIKI,
            "python_docs": corpora.PYDOC if pydocs else None,
            "pps_pairs": pairs_source,
            "dev_spun": args.dev_spun,
        },
        "targets": TARGETS,
        "rules": sorted(run_s["rules"]),
    }
    clean_ids = [d.id for d in clean]
    synth_ids = [d.id for d in spin_test_docs]
    real_ids = [d.id for d in real_docs]

    def detection_of(run: dict[str, Any]) -> dict[str, Any]:
        return detection.report(
            run, clean_ids, synth_ids, gold_test, real_ids, sorted(annotated), real_gold, findings
        )

    result["detection"] = {
        "spinlint": detection_of(run_s),
        "previous": detection_of(run_prev),
        "proselint": detection_of(run_p),
        "coverage": {
            "real_strong": detection.coverage(texts, real_gold, strong_only=True),
            "synthetic_test": detection.coverage(texts, gold_test, strong_only=False),
        },
        "speed": {
            "spinlint": throughput(run_s, clean_ids),
            "previous": throughput(run_prev, clean_ids),
            "proselint": throughput(run_p, clean_ids),
        },
        "speed_rounds": speed_rounds,
        "mixed": detection.mixed(run_s, mixed.paragraphs, mixed.kind),
        "clean_alarms": {
            "spinlint": scorer.alarms(findings(run_s, clean_ids), words_of(run_s, clean_ids)),
            "previous": scorer.alarms(findings(run_prev, clean_ids), words_of(run_s, clean_ids)),
            "proselint": scorer.alarms(findings(run_p, clean_ids), words_of(run_s, clean_ids)),
        },
    }
    result["spinlint"] = accuracy(run_s, run_s_notpf)
    result["spinlint"]["cold_start"] = cold_spin
    result["proselint"] = accuracy(run_p, None)
    result["proselint"]["pps_test_noTPF"] = result["proselint"]["pps_test"]  # proselint has no TPF
    result["proselint"]["cold_start"] = cold_prose or {"median_seconds": None, "peak_rss_mb": None}
    spin_by_id = run_s["by_id"]
    result["density"] = density_report(
        [spin_by_id[d.id]["density"] for d in clean],
        [spin_by_id[d.id]["density"] for d in spin_test_docs],
        [spin_by_id[d.id]["density"] for d in real_docs],
    )
    result["total_seconds"] = round(time.perf_counter() - t_start, 1)
    if args.examples:
        path = write_examples(run_s, texts, [*clean, *own_docs], spin_dev_docs, gold_dev)
        log(f"examples in {path} (third-party text: never commit it)")

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=1)
    md = markdown(result)
    with open(os.path.splitext(args.out)[0] + ".md", "w", encoding="utf-8") as fh:
        fh.write(md)
    print(md)
    log(f"done in {result['total_seconds']} s; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
