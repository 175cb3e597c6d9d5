"""Inline suppression from comments, and rule selection by code prefix.

Readers hand over each format's comments (``<!-- -->`` in Markdown/HTML, ``..`` in reST,
``%`` in LaTeX, a directive-only line in plain text); this module only interprets their text:

    spinlint-disable [CODES]            off from here (all rules, or the listed codes/prefixes)
    spinlint-enable [CODES]             on again
    spinlint-disable-next-line [CODES]  off for the next line only
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spinlint.model import Diagnostic
from spinlint.sources import Comment, SourceFile

# The kind must end the word: "spinlint-disable-line" or "spinlint-enabled" are not directives.
DIRECTIVE = re.compile(r"^spinlint-(disable-next-line|disable|enable)(?=\s|--|$)(.*)$", re.S)


@dataclass(frozen=True)
class Directive:
    offset: int  # where the comment ends: it acts on what follows
    kind: str  # disable | enable | disable-next-line
    codes: tuple[str, ...] | None  # None: every code
    next_line: tuple[int, int] = (0, 0)  # for disable-next-line: the range of that line


def _codes(rest: str) -> tuple[str, ...] | None:
    """Codes after the directive; a reason may follow ``--`` (``spinlint-disable -- quoted``)."""
    rest = rest.split("--", 1)[0]
    codes = tuple(c for c in re.split(r"[\s,]+", rest.strip()) if c)
    return codes or None


def directives(source: SourceFile, comments: Iterable[Comment]) -> list[Directive]:
    out = []
    starts = source.line_starts
    for comment in comments:
        m = DIRECTIVE.match(comment.text.strip())
        if not m:
            continue
        kind, codes = m.group(1), _codes(m.group(2))
        row = source.location(comment.span.end).row  # 1-based; starts[row] is the next line
        nxt = (0, 0)
        if row < len(starts):
            nxt = (starts[row], starts[row + 1] if row + 1 < len(starts) else len(source.text))
        out.append(Directive(comment.span.end, kind, codes, nxt))
    return sorted(out, key=lambda d: d.offset)


def _matches(code: str, codes: Iterable[str]) -> bool:
    return any(code.startswith(c) for c in codes)


def suppressed(diag: Diagnostic, dirs: Sequence[Directive]) -> bool:
    """Replay the directives before the diagnostic: for its code, the last ``disable`` or
    ``enable`` that names it (by full code, by prefix, or by naming no code at all) decides,
    so ``disable GLT`` then ``enable GLT001`` turns GLT001 back on and leaves GLT002 off."""
    pos, code = diag.span.start, diag.code
    off = False
    for d in dirs:  # sorted by offset
        if d.codes is not None and not _matches(code, d.codes):
            continue
        if d.kind == "disable-next-line":
            if d.next_line[0] <= pos < d.next_line[1]:
                return True
        elif d.offset <= pos:
            off = d.kind == "disable"
    return off


def selected(code: str, select: Sequence[str], ignore: Sequence[str], default: bool) -> bool:
    """ruff's rule: the longest matching selector wins (``ALL`` is the shortest); on a tie,
    ignore wins; when nothing matches, ``default`` holds."""
    best_len, verdict = -1, default
    for sel in select:
        n = 0 if sel == "ALL" else len(sel)
        if (sel == "ALL" or code.startswith(sel)) and n > best_len:
            best_len, verdict = n, True
    for sel in ignore:
        n = 0 if sel == "ALL" else len(sel)
        if (sel == "ALL" or code.startswith(sel)) and n >= best_len:
            best_len, verdict = n, False
    return verdict
