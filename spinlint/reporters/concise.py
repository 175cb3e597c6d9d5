"""``path:line:col: CODE message`` — one line a diagnostic (flake8 style)."""

from __future__ import annotations

from typing import TextIO

from spinlint.reporters import Context
from spinlint.runner import FileResult


def report(results: list[FileResult], out: TextIO, ctx: Context) -> None:
    for r in results:
        if r.source is None:
            continue
        for d in r.diagnostics:
            loc = r.source.location(d.span.start)
            fix = f" [fix: {d.suggestions[0]}]" if ctx.show_fixes and d.suggestions else ""
            out.write(f"{r.path}:{loc.row}:{loc.column}: {d.code} {d.message}{fix}\n")
