"""The data model every part of spinlint shares: spans, edits, fixes and diagnostics.

All classes are frozen dataclasses so a diagnostic can be hashed, cached and passed between
processes without anyone mutating it on the way.  Offsets are code-point offsets into the
*decoded source text* of a file (BOM removed, line ends kept as written), so a diagnostic
always points into the file as the user sees it, never into rendered Markdown.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Applicability(enum.StrEnum):
    """How safe a fix is to apply (the ruff convention)."""

    SAFE = "safe"  # meaning is kept for sure (e.g. re-joining a detached hyphen)
    UNSAFE = "unsafe"  # likely right, may change meaning (most restorations of an original)
    DISPLAY_ONLY = "display-only"  # a hint; never applied


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of code points in the decoded source text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Edit:
    """Replace the text covered by ``span`` with ``content``."""

    span: Span
    content: str


@dataclass(frozen=True)
class Fix:
    applicability: Applicability
    message: str  # the fix title: what would change ("Replace with 'stock markets'")
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Diagnostic:
    code: str
    rule: str  # kebab-case rule name
    message: str  # what is odd and why, with evidence
    span: Span
    severity: Severity = Severity.WARNING
    confidence: float = 0.5
    fix: Fix | None = None
    suggestions: tuple[str, ...] = ()
    # Structured evidence for reporters (HTML, JSON consumers); plain strings only.
    evidence: tuple[tuple[str, str], ...] = field(default=())
    # Which pass found it: "default", or "deep" for a finding only the neural pass (--deep) made
    found_by: str = "default"

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"{self.code}: confidence {self.confidence} outside [0, 1]")


@dataclass(frozen=True)
class Location:
    """A 1-based row and a 1-based column counted in code points of the original line."""

    row: int
    column: int
