"""Diagnostics to and from plain dicts: the cache format, and the JSON contract for reporters."""

from __future__ import annotations

from typing import Any

from spinlint.model import Applicability, Diagnostic, Edit, Fix, Severity, Span
from spinlint.sources import SourceFile

DOCS_URL = "https://spinlint.readthedocs.io/en/latest/rules/{code}/"


def to_raw(d: Diagnostic) -> dict[str, Any]:
    """Offsets only: for the cache and for passing results between processes."""
    return {
        "code": d.code,
        "rule": d.rule,
        "message": d.message,
        "span": [d.span.start, d.span.end],
        "severity": d.severity.value,
        "confidence": d.confidence,
        "fix": None
        if d.fix is None
        else {
            "applicability": d.fix.applicability.value,
            "message": d.fix.message,
            "edits": [[e.span.start, e.span.end, e.content] for e in d.fix.edits],
        },
        "suggestions": list(d.suggestions),
        "evidence": [list(p) for p in d.evidence],
    }


def from_raw(r: dict[str, Any]) -> Diagnostic:
    fix = r["fix"]
    return Diagnostic(
        code=r["code"],
        rule=r["rule"],
        message=r["message"],
        span=Span(*r["span"]),
        severity=Severity(r["severity"]),
        confidence=r["confidence"],
        fix=None
        if fix is None
        else Fix(
            Applicability(fix["applicability"]),
            fix["message"],
            tuple(Edit(Span(s, e), c) for s, e, c in fix["edits"]),
        ),
        suggestions=tuple(r["suggestions"]),
        evidence=tuple((k, v) for k, v in r.get("evidence", [])),
    )


def _loc(source: SourceFile, offset: int) -> dict[str, int]:
    loc = source.location(offset)
    return {"row": loc.row, "column": loc.column}


def to_json(source: SourceFile, d: Diagnostic) -> dict[str, Any]:
    """One element of ``--format json`` (see the README's JSON contract)."""
    return {
        "filename": source.path,
        "code": d.code,
        "rule": d.rule,
        "message": d.message,
        "severity": d.severity.value,
        "confidence": d.confidence,
        "location": _loc(source, d.span.start),
        "end_location": _loc(source, d.span.end),
        "fix": None
        if d.fix is None
        else {
            "applicability": d.fix.applicability.value,
            "message": d.fix.message,
            "edits": [
                {
                    "content": e.content,
                    "location": _loc(source, e.span.start),
                    "end_location": _loc(source, e.span.end),
                }
                for e in d.fix.edits
            ],
        },
        "suggestions": list(d.suggestions),
        "url": DOCS_URL.format(code=d.code),
    }
