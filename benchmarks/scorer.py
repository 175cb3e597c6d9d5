"""Scoring findings against gold spans: precision, recall, fix accuracy — for any linter.

A *finding* is one diagnostic reduced to what scoring needs (document, span, code, the edits
of its top suggestion), so spinlint's and proselint's output are counted the same way.

- A finding is a true positive when it overlaps a gold span of its document, otherwise a
  false positive — or, where the annotation is partial (the real spinner dev set), an
  *unconfirmed* finding, reported apart.
- A gold span is recalled when at least one finding overlaps it.
- Fix accuracy: of the true-positive findings that offer a fix, the share whose top fix,
  applied to the spun text, gives back the original wording over the whole region the finding
  and the gold spans it touches cover (compared case-insensitively, whitespace collapsed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Gold:
    doc: str
    start: int
    end: int
    original: str
    kind: str = ""
    strength: str = ""


@dataclass(frozen=True)
class Finding:
    doc: str
    start: int
    end: int
    code: str
    edits: tuple[tuple[int, int, str], ...] = ()  # the top fix: (start, end, replacement)
    confidence: float = 0.5


@dataclass
class Tally:
    findings: int = 0
    tp: int = 0
    fp: int = 0  # or "unconfirmed" where the annotation is partial
    fixable_tp: int = 0
    fix_correct: int = 0
    gold_hit: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / self.findings if self.findings else None

    @property
    def fix_accuracy(self) -> float | None:
        return self.fix_correct / self.fixable_tp if self.fixable_tp else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "findings": self.findings,
            "tp": self.tp,
            "fp": self.fp,
            "precision": _round(self.precision),
            "fixable_tp": self.fixable_tp,
            "fix_correct": self.fix_correct,
            "fix_accuracy": _round(self.fix_accuracy),
            "gold_hit": self.gold_hit,
        }


@dataclass
class Score:
    gold: int = 0
    overall: Tally = field(default_factory=Tally)
    per_code: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    per_kind: dict[str, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )  # [hit, total]
    per_strength: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    @property
    def recall(self) -> float | None:
        return self.overall.gold_hit / self.gold if self.gold else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "recall": _round(self.recall),
            **self.overall.as_dict(),
            "per_code": {
                c: {**t.as_dict(), "recall": _round(t.gold_hit / self.gold if self.gold else None)}
                for c, t in sorted(self.per_code.items())
            },
            "per_kind": {
                k: {"hit": h, "total": n, "recall": _round(h / n if n else None)}
                for k, (h, n) in sorted(self.per_kind.items())
            },
            "per_strength": {
                k: {"hit": h, "total": n, "recall": _round(h / n if n else None)}
                for k, (h, n) in sorted(self.per_strength.items())
            },
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _apply(text: str, lo: int, hi: int, edits: Iterable[tuple[int, int, str]]) -> str:
    """``text[lo:hi]`` with ``edits`` (absolute, non-overlapping, inside [lo, hi]) applied."""
    out = []
    pos = lo
    for s, e, new in sorted(edits):
        out.append(text[pos:s])
        out.append(new)
        pos = e
    out.append(text[pos:hi])
    return "".join(out)


def fix_restores(text: str, finding: Finding, golds: Sequence[Gold]) -> bool:
    """Does the finding's fix give back the originals of the gold spans around it?"""
    if not finding.edits:
        return False
    lo = min(finding.start, *(s for s, _, _ in finding.edits))
    hi = max(finding.end, *(e for _, e, _ in finding.edits))
    touched: list[Gold] = []
    changed = True
    while changed:  # grow the region until it holds every gold span it touches, whole
        changed = False
        for g in golds:
            if g not in touched and g.start < hi and lo < g.end:
                touched.append(g)
                lo, hi = min(lo, g.start), max(hi, g.end)
                changed = True
    if not touched:
        return False
    restored = _apply(text, lo, hi, finding.edits)
    expected = _apply(text, lo, hi, ((g.start, g.end, g.original) for g in touched))
    return _norm(restored) == _norm(expected)


def score(
    findings: Iterable[Finding],
    golds: Iterable[Gold],
    texts: dict[str, str],
    docs: Iterable[str] | None = None,
) -> Score:
    """Score ``findings`` on the documents ``docs`` (default: every document in ``texts``).

    ``texts`` maps a document id to its (spun) text, needed to judge fixes.
    """
    scope = set(texts if docs is None else docs)
    by_doc: dict[str, list[Gold]] = defaultdict(list)
    for g in golds:
        if g.doc in scope:
            by_doc[g.doc].append(g)
    result = Score()
    hit: set[Gold] = set()
    hit_by_code: dict[str, set[Gold]] = defaultdict(set)
    for f in findings:
        if f.doc not in scope:
            continue
        tallies = (result.overall, result.per_code[f.code])
        over = [g for g in by_doc.get(f.doc, ()) if g.start < f.end and f.start < g.end]
        for t in tallies:
            t.findings += 1
        if not over:
            for t in tallies:
                t.fp += 1
            continue
        hit.update(over)
        hit_by_code[f.code].update(over)
        ok = fix_restores(texts[f.doc], f, by_doc[f.doc])
        for t in tallies:
            t.tp += 1
            if f.edits:
                t.fixable_tp += 1
                t.fix_correct += ok
    for gs in by_doc.values():
        for g in gs:
            result.gold += 1
            for table, key in ((result.per_kind, g.kind), (result.per_strength, g.strength)):
                if key:
                    table[key][1] += 1
                    table[key][0] += g in hit
    result.overall.gold_hit = len(hit)
    for code, hits in hit_by_code.items():
        result.per_code[code].gold_hit = len(hits)
    return result


def alarms(findings: Iterable[Finding], words: int) -> dict[str, Any]:
    """False alarms on clean prose: count and rate per 1,000 words, overall and per code."""
    per: dict[str, int] = defaultdict(int)
    total = 0
    for f in findings:
        per[f.code] += 1
        total += 1

    def rate(n: int) -> float | None:
        return round(1000.0 * n / words, 4) if words else None

    return {
        "words": words,
        "alarms": total,
        "per_1000_words": rate(total),
        "per_code": {c: {"alarms": n, "per_1000_words": rate(n)} for c, n in sorted(per.items())},
    }
