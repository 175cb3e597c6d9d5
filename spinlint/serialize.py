"""Diagnostics to and from plain dicts: the cache format, and the JSON contract for reporters."""

from __future__ import annotations

import functools
import re
from importlib import metadata
from typing import Any

from spinlint.model import Applicability, Diagnostic, Edit, Fix, Severity, Span
from spinlint.sources import SourceFile

# A distribution opts into per-rule links by declaring, in pyproject ``[project.urls]``, an
# entry labelled "Rules" whose value holds ``{code}``, e.g.
# ``Rules = "https://example.org/spinlint/rules/{code}"``.  Without one, ``url`` is null:
# spinlint never invents an address; ``spinlint rule CODE`` is the documentation that always
# exists.
RULES_URL_LABEL = "rules"
HOME_URL_LABELS = ("homepage", "home", "documentation", "docs", "repository", "source")
_OWNER_RE = re.compile(r"^(?P<dist>[^\[\]]+)\[[A-Z]{2,3}\]$")


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
        "pass": d.found_by,
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
        found_by=r.get("pass", "default"),
    )


def _loc(source: SourceFile, offset: int) -> dict[str, int]:
    loc = source.location(offset)
    return {"row": loc.row, "column": loc.column}


@functools.lru_cache(maxsize=16)
def project_urls(dist: str) -> dict[str, str]:
    """The ``Project-URL`` entries of an installed distribution, keyed by lower-case label."""
    try:
        entries = metadata.metadata(dist).get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return {}
    urls: dict[str, str] = {}
    for entry in entries:
        label, _, url = entry.partition(",")
        if url.strip():
            urls[label.strip().lower()] = url.strip()
    return urls


def home_url(dist: str = "spinlint") -> str | None:
    """The first home, documentation or repository address ``dist`` declares, if any."""
    urls = project_urls(dist)
    return next((urls[k] for k in HOME_URL_LABELS if k in urls), None)


def owner_distribution(owner: str | None) -> str | None:
    """The distribution behind a plugin label such as ``spinlint[GLT]``.

    Pack rules (``pack:NAME``) have no distribution of their own: a pack may be a local file,
    so they get no link.
    """
    m = _OWNER_RE.match(owner or "")
    return m.group("dist") if m else None


def rule_url(code: str, owner: str | None) -> str | None:
    """The documentation page of rule ``code``, when its distribution declares a "Rules" URL
    template (see ``RULES_URL_LABEL``); otherwise ``None``."""
    dist = owner_distribution(owner)
    template = project_urls(dist).get(RULES_URL_LABEL) if dist else None
    if not template or "{code}" not in template:
        return None
    return template.replace("{code}", code)


def to_json(source: SourceFile, d: Diagnostic, url: str | None = None) -> dict[str, Any]:
    """One element of ``--format json`` (the contract in docs/output.md).  ``url`` comes from
    :func:`rule_url`; the caller knows which plugin owns the code."""
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
        "pass": d.found_by,
        "url": url,
    }
