"""``path:line:col: CODE message`` — one line a diagnostic (flake8 style), for editors,
``grep`` and problem matchers.  With ``--show-fixes`` the fix title (and its safety) follows
in brackets, or the top suggestion when the rule offers no edit."""

from __future__ import annotations

from typing import TextIO

from spinlint.model import Diagnostic
from spinlint.reporters import Context
from spinlint.runner import FileResult


def one_line(text: str) -> str:
    """A message never breaks the one-line-per-diagnostic shape that parsers rely on."""
    return " ".join(text.split())


def fix_note(d: Diagnostic) -> str:
    if d.fix is not None:
        return f" [fix ({d.fix.applicability.value}): {one_line(d.fix.message)}]"
    if d.suggestions:
        return f" [suggestion: '{one_line(d.suggestions[0])}']"
    return ""


def report(results: list[FileResult], out: TextIO, ctx: Context) -> None:
    for r in results:
        if r.source is None:
            continue
        for d in r.diagnostics:
            loc = r.source.location(d.span.start)
            note = fix_note(d) if ctx.show_fixes else ""
            out.write(f"{r.path}:{loc.row}:{loc.column}: {d.code} {one_line(d.message)}{note}\n")
