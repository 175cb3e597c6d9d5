"""``--format github``: GitHub Actions workflow commands, which the runner turns into
annotations on the pull request's changed lines.

Escaping follows ``@actions/core``: in the message ``%``, CR and LF are percent-encoded; in
property values ``:`` and ``,`` are as well, since they delimit the properties.  A message
can therefore never end the command early or inject a second one.
"""

from __future__ import annotations

from typing import TextIO

from spinlint.reporters import Context
from spinlint.runner import FileResult

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def report(results: list[FileResult], out: TextIO, ctx: Context) -> None:
    for r in results:
        if r.source is None:
            continue
        for d in r.diagnostics:
            s, e = r.source.location(d.span.start), r.source.location(d.span.end)
            props = f"file={_escape_prop(r.path)},line={s.row},col={s.column}"
            props += f",endLine={e.row},endColumn={e.column}"
            props += f",title={_escape_prop(f'spinlint {d.code} ({d.rule})')}"
            msg = d.message + (f" Suggested: {', '.join(d.suggestions[:3])}" if d.suggestions else "")
            out.write(f"::{LEVEL[d.severity.value]} {props}::{_escape_data(msg)}\n")
