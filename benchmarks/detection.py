"""Detection figures of the document-first design: document ROC AUC, verdict counts,
calibration, span precision and recall on strong gold spans (overall and inside documents
judged spun), and the coverage ceiling of the candidate originals.

Every function reads the worker's per-document output (``score``, ``verdict``,
``findings``) and the gold spans, so the same figures are computed for every tool and
configuration in the run (spinlint, the previous release's rules, proselint).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from benchmarks import scorer


def wilson(k: int, n: int, z: float = 1.96) -> list[float] | None:
    """The Wilson score interval of a proportion ``k / n`` (95 % with the default ``z``): the
    sampling uncertainty of a rate measured on few items (six real passages, 75 gold spans,
    47 clean documents), which the point figure alone hides.  ``None`` when ``n`` is 0."""
    if n <= 0:
        return None
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)]


def roc_auc(pos: Sequence[float], neg: Sequence[float]) -> float | None:
    """The probability that a random positive scores above a random negative (ties half)."""
    if not pos or not neg:
        return None
    order = sorted([(s, 1) for s in pos] + [(s, 0) for s in neg])
    rank_sum = 0.0
    i = 0
    while i < len(order):
        j = i
        while j < len(order) and order[j][0] == order[i][0]:
            j += 1
        mean_rank = (i + j + 1) / 2  # 1-based ranks i+1..j
        rank_sum += mean_rank * sum(1 for k in range(i, j) if order[k][1] == 1)
        i = j
    n_pos, n_neg = len(pos), len(neg)
    return round((rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg), 4)


def doc_score(entry: dict[str, Any]) -> float:
    """The document's spin score: the detector's probability, else the old density (a tool
    without a probability is ranked by how much it flagged per 1,000 words)."""
    if entry.get("score") is not None:
        return float(entry["score"])
    if entry.get("density") is not None:
        return float(entry["density"])
    words = max(entry.get("words", 0), 1)
    return 1000.0 * len(entry.get("findings", ())) / words


def verdicts(run: dict[str, Any], ids: Sequence[str]) -> dict[str, int]:
    out = {"clean": 0, "suspicious": 0, "likely-spun": 0}
    for i in ids:
        v = run["by_id"][i].get("verdict")
        if v in out:
            out[v] += 1
    return out


def brier(run: dict[str, Any], spun_ids: Sequence[str], clean_ids: Sequence[str]) -> float | None:
    pairs = [(run["by_id"][i].get("score"), 1) for i in spun_ids] + [
        (run["by_id"][i].get("score"), 0) for i in clean_ids
    ]
    pairs = [(s, y) for s, y in pairs if s is not None]
    if not pairs:
        return None
    return round(sum((s - y) ** 2 for s, y in pairs) / len(pairs), 4)


def reliability(
    run: dict[str, Any], spun_ids: Sequence[str], clean_ids: Sequence[str]
) -> list[dict[str, Any]]:
    rows = []
    data = [(run["by_id"][i].get("score"), 1) for i in spun_ids] + [
        (run["by_id"][i].get("score"), 0) for i in clean_ids
    ]
    data = [(s, y) for s, y in data if s is not None]
    for lo in (0.0, 0.2, 0.4, 0.6, 0.8):
        hi = lo + 0.2
        sel = [(s, y) for s, y in data if lo <= s < hi or (hi >= 1.0 and s >= lo)]
        if sel:
            rows.append(
                {
                    "bin": f"{lo:.1f}-{hi:.1f}",
                    "n": len(sel),
                    "mean_score": round(sum(s for s, _ in sel) / len(sel), 3),
                    "share_spun": round(sum(y for _, y in sel) / len(sel), 3),
                }
            )
    return rows


def documents(run: dict[str, Any], spun_ids: Sequence[str], clean_ids: Sequence[str]) -> dict[str, Any]:
    pos = [doc_score(run["by_id"][i]) for i in spun_ids]
    neg = [doc_score(run["by_id"][i]) for i in clean_ids]
    clean_v = verdicts(run, clean_ids)
    flagged = clean_v["suspicious"] + clean_v["likely-spun"]
    return {
        "auc": roc_auc(pos, neg),
        "spun_verdicts": verdicts(run, spun_ids),
        "clean_verdicts": clean_v,
        "clean_flagged": flagged,
        "clean_flagged_share": round(flagged / max(len(clean_ids), 1), 4),
        "clean_flagged_ci": wilson(flagged, len(clean_ids)),
        "brier": brier(run, spun_ids, clean_ids),
    }


def short_words() -> int | None:
    """The length under which the shipped detector recalibrates a document's probabilities
    (``spinlint.detect.model.Short``, docs/detector.md "Short documents"), in words; None for
    a model without it."""
    from spinlint.detect.model import detector

    short = detector().doc.short
    return None if short is None else int(round(math.expm1(short.below)))


def by_length(run: dict[str, Any], sets: dict[str, Sequence[str]], bound: int) -> dict[str, Any]:
    """Per set of documents, those under ``bound`` words and the rest: how many, how many
    judged ``suspicious`` or worse, and how many got no score (too short to judge)."""
    out: dict[str, Any] = {"bound": bound}
    for name, ids in sets.items():
        bands: dict[str, dict[str, int]] = {}
        for band, short in (("short", True), ("long", False)):
            entries = [run["by_id"][i] for i in ids if (run["by_id"][i].get("words", 0) < bound) == short]
            bands[band] = {
                "documents": len(entries),
                "flagged": sum(e.get("verdict") in ("suspicious", "likely-spun") for e in entries),
                "unscored": sum(e.get("score") is None for e in entries),
            }
        out[name] = bands
    return out


def by_length_line(lengths: dict[str, Any], label: str = "spinlint") -> str:
    """``by_length``'s figures as one sentence of the report."""
    bound = lengths["bound"]
    parts = []
    for name, title in (("clean", "clean documents"), ("synthetic", "synthetic spun"), ("real", "real spun")):
        if name not in lengths:
            continue
        cells = []
        for band in ("short", "long"):
            b = lengths[name][band]
            cell = f"{b['flagged']} of {b['documents']}"
            if b["unscored"]:
                cell += f" ({b['unscored']} too short to score)"
            cells.append(cell)
        parts.append(f"{title} {cells[0]} / {cells[1]}")
    return (
        f"By length ({label}; documents under {bound} words, where the detector recalibrates for "
        f"length / the rest; flagged = suspicious or worse): " + "; ".join(parts) + "."
    )


def _overlap_counts(found: Sequence[scorer.Finding], gold: Sequence[scorer.Gold]) -> tuple[int, list[bool]]:
    """(findings that overlap some gold span, for each gold span whether a finding overlaps it)."""
    by_doc: dict[str, list[scorer.Finding]] = {}
    for f in found:
        by_doc.setdefault(f.doc, []).append(f)
    gold_by_doc: dict[str, list[scorer.Gold]] = {}
    for g in gold:
        gold_by_doc.setdefault(g.doc, []).append(g)
    tp = sum(1 for f in found if any(g.start < f.end and f.start < g.end for g in gold_by_doc.get(f.doc, ())))
    hits = [any(g.start < f.end and f.start < g.end for f in by_doc.get(g.doc, ())) for g in gold]
    return tp, hits


def strong_spans(
    found: Sequence[scorer.Finding], gold: Sequence[scorer.Gold], ids: Sequence[str], min_conf: float = 0.0
) -> dict[str, Any]:
    """Precision (findings overlapping any gold span: annotation is partial, so the rest are
    *unconfirmed*) and recall of the strong gold spans."""
    wanted = set(ids)
    fs = [f for f in found if f.doc in wanted and f.confidence >= min_conf]
    gs = [g for g in gold if g.doc in wanted]
    tp, hits = _overlap_counts(fs, gs)
    strong = [h for g, h in zip(gs, hits, strict=True) if g.strength == "strong"]
    return {
        "findings": len(fs),
        "confirmed": tp,
        "precision": round(tp / len(fs), 3) if fs else None,
        "strong_gold": len(strong),
        "strong_hit": sum(strong),
        "recall_strong": round(sum(strong) / len(strong), 3) if strong else None,
        "recall_all": round(sum(hits) / len(gs), 3) if gs else None,
        "precision_ci": wilson(tp, len(fs)),
        "recall_strong_ci": wilson(sum(strong), len(strong)),
    }


def coverage(texts: dict[str, str], gold: Sequence[scorer.Gold], strong_only: bool = True) -> dict[str, Any]:
    """The coverage ceiling: the share of gold spans whose original (any of its words) is
    among the candidate originals spinlint generates for a word inside the span."""
    from spinlint.detect.evidence import compute
    from spinlint.document import Document
    from spinlint.sources import decode, extract

    by_doc: dict[str, Any] = {}
    hit = total = 0
    for g in gold:
        if strong_only and g.strength != "strong":
            continue
        total += 1
        if g.doc not in by_doc:
            src = decode(
                g.doc.rsplit("/", 1)[-1] if g.doc.endswith(".txt") else "doc.txt", texts[g.doc].encode()
            )
            prose = extract(src)
            by_doc[g.doc] = compute(Document(source=src, prose=prose.text, breaks=prose.breaks), keep=None)
        e = by_doc[g.doc]
        originals = {w.lower() for w in g.original.split()}
        if any(
            c.word in originals for w in e.words if w.start < g.end and g.start < w.end for c in w.candidates
        ):
            hit += 1
    return {"gold": total, "covered": hit, "ceiling": round(hit / total, 3) if total else None}


def report(
    run: dict[str, Any],
    clean_ids: Sequence[str],
    synthetic_ids: Sequence[str],
    synthetic_gold: Sequence[scorer.Gold],
    real_ids: Sequence[str],
    annotated_ids: Sequence[str],
    real_gold: Sequence[scorer.Gold],
    found: Any,
) -> dict[str, Any]:
    """The document-first figures for one tool's run (``found(run, ids)`` gives findings)."""
    judged = [i for i in annotated_ids if run["by_id"][i].get("verdict") in ("suspicious", "likely-spun")]
    real_found = found(run, annotated_ids)
    synth_found = found(run, synthetic_ids)
    spun_synth = [i for i in synthetic_ids if run["by_id"][i].get("verdict") in ("suspicious", "likely-spun")]
    return {
        "real_documents": documents(run, real_ids, clean_ids),
        "synthetic_documents": documents(run, synthetic_ids, clean_ids),
        "real_spans": strong_spans(real_found, real_gold, annotated_ids),
        "real_spans_in_judged_spun": strong_spans(real_found, real_gold, judged),
        "real_spans_confidence_08": strong_spans(real_found, real_gold, annotated_ids, 0.8),
        "synthetic_spans_in_judged_spun": _all_spans(synth_found, synthetic_gold, spun_synth),
        "reliability": reliability(run, [*synthetic_ids, *real_ids], clean_ids),
        "by_length": by_length(run, {"clean": clean_ids, "synthetic": synthetic_ids, "real": real_ids}, bound)
        if (bound := short_words())
        else None,
        "paragraphs": {
            "clean": paragraphs_reported(run, clean_ids),
            "synthetic": paragraphs_reported(run, synthetic_ids),
            "real": paragraphs_reported(run, real_ids),
        },
    }


def mixed(
    run: dict[str, Any], paragraphs: dict[str, Sequence[tuple[int, int, bool]]], kinds: dict[str, str]
) -> dict[str, Any] | None:
    """Localisation inside partly spun documents: per kind of page (and ``all``), documents
    flagged, the ROC AUC of P(paragraph spun) between their spun and honest paragraphs, and
    the paragraph verdicts' precision and recall (a paragraph reported spun when its verdict
    is suspicious or worse) with the share of honest paragraphs reported.  The reader's
    paragraphs are matched to the written ones by line: spun when they overlap a spun one.
    None for a tool without paragraph scores."""
    rows: list[tuple[str, bool, float, bool]] = []  # kind, spun, P(paragraph spun), reported
    flagged: dict[str, list[bool]] = {}
    for did, written in paragraphs.items():
        entry = run["by_id"][did]
        spans = entry.get("paragraph_spans")
        if spans is None:
            return None
        kind = kinds[did]
        flagged.setdefault(kind, []).append(entry.get("verdict") in ("suspicious", "likely-spun"))
        for (first, last, score), v in zip(spans, entry.get("paragraphs") or (), strict=True):
            spun = any(a <= last and first <= b and is_spun for a, b, is_spun in written)
            rows.append((kind, spun, float(score), v != "clean"))
    out: dict[str, Any] = {}
    for kind in (*sorted(flagged), "all"):
        sel = [r for r in rows if kind in ("all", r[0])]
        docs = [f for k, fs in flagged.items() if kind in ("all", k) for f in fs]
        spun = [r for r in sel if r[1]]
        honest = [r for r in sel if not r[1]]
        reported = [r for r in sel if r[3]]
        hit = sum(1 for r in reported if r[1])
        out[kind] = {
            "documents": len(docs),
            "flagged": sum(docs),
            "spun_paragraphs": len(spun),
            "honest_paragraphs": len(honest),
            "auc": roc_auc([r[2] for r in spun], [r[2] for r in honest]),
            "precision": round(hit / len(reported), 3) if reported else None,
            "recall": round(hit / len(spun), 3) if spun else None,
            "honest_reported": round(sum(1 for r in honest if r[3]) / len(honest), 3) if honest else None,
            "precision_ci": wilson(hit, len(reported)),
        }
    return out


def _three(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def mixed_line(figures: dict[str, Any], label: str = "spinlint") -> str:
    """``mixed``'s figures as one sentence of the report."""
    titles = {
        "article": "articles with some paragraphs spun",
        "stories": "pages of short stories, some spun",
        "all": "all",
    }
    parts = []
    for kind in ("article", "stories", "all"):
        f = figures.get(kind)
        if not f:
            continue
        parts.append(
            f"{titles[kind]}: {f['flagged']} of {f['documents']} documents flagged, "
            f"{f['spun_paragraphs']} spun and {f['honest_paragraphs']} honest paragraphs, paragraph ROC AUC "
            f"{_three(f['auc'])}, reported paragraphs precision {_three(f['precision'])} / recall "
            f"{_three(f['recall'])}, honest paragraphs reported {_three(f['honest_reported'])}"
        )
    return (
        f"Partly spun documents ({label}; the paragraph verdicts, matched by line): " + "; ".join(parts) + "."
    )


def paragraphs_reported(run: dict[str, Any], ids: Sequence[str]) -> float | None:
    """The share of the documents' scored paragraphs whose verdict is suspicious or worse
    (None for a tool without paragraph verdicts)."""
    verdicts = [v for i in ids for v in (run["by_id"][i].get("paragraphs") or ())]
    if not verdicts:
        return None
    return round(sum(v != "clean" for v in verdicts) / len(verdicts), 4)


def _all_spans(
    found: Sequence[scorer.Finding], gold: Sequence[scorer.Gold], ids: Sequence[str]
) -> dict[str, Any]:
    """Precision and recall over all gold spans (the synthetic set is fully annotated)."""
    wanted = set(ids)
    fs = [f for f in found if f.doc in wanted]
    gs = [g for g in gold if g.doc in wanted]
    tp, hits = _overlap_counts(fs, gs)
    return {
        "docs": len(wanted),
        "findings": len(fs),
        "precision": round(tp / len(fs), 3) if fs else None,
        "gold": len(gs),
        "recall": round(sum(hits) / len(gs), 3) if gs else None,
        "precision_ci": wilson(tp, len(fs)),
        "recall_ci": wilson(sum(hits), len(gs)),
    }


def interval_line(det: dict[str, Any], label: str = "spinlint") -> str:
    """One line of 95 % Wilson intervals for a tool's proportions that rest on few items
    (``report``'s output): how far each could move by the luck of the sample."""

    def fmt(label: str, k: int | None, n: int | None, ci: list[float] | None) -> str | None:
        if ci is None or not n:
            return None
        size = f"{k} of {n}" if k is not None else f"n = {n}"
        return f"{label} {size}: {ci[0]:.3f}-{ci[1]:.3f}"

    inside = det["real_spans_in_judged_spun"]
    high = det["real_spans_confidence_08"]
    synth = det["synthetic_spans_in_judged_spun"]
    docs = det["real_documents"]
    parts = [
        fmt(
            "real inside judged spun, strong recall",
            inside["strong_hit"],
            inside["strong_gold"],
            inside.get("recall_strong_ci"),
        ),
        fmt("precision", inside["confirmed"], inside["findings"], inside.get("precision_ci")),
        fmt("real marks >= 0.8, precision", high["confirmed"], high["findings"], high.get("precision_ci")),
        fmt(
            "clean documents flagged",
            docs["clean_flagged"],
            sum(docs["clean_verdicts"].values()),
            docs.get("clean_flagged_ci"),
        ),
        fmt("synthetic inside judged spun, recall", None, synth["gold"], synth.get("recall_ci")),
        fmt("precision", None, synth["findings"], synth.get("precision_ci")),
    ]
    shown = [p for p in parts if p]
    return f"95 % Wilson intervals ({label}): " + "; ".join(shown) + "." if shown else ""
