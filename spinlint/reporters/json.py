"""``--format json``: one JSON array (the contract in docs/output.md); with ``--summary``, an
object holding that array and per-file figures."""

from __future__ import annotations

import json
from typing import Any, TextIO

from spinlint.reporters import Context
from spinlint.runner import FileResult
from spinlint.serialize import rule_url, to_json


def diagnostics(results: list[FileResult], ctx: Context) -> list[dict[str, Any]]:
    """Every diagnostic of every readable file, in file order then source order."""
    return [
        to_json(r.source, d, rule_url(d.code, ctx.owners.get(d.code)))
        for r in results
        if r.source is not None
        for d in r.diagnostics
    ]


def report(results: list[FileResult], out: TextIO, ctx: Context) -> None:
    data: Any = diagnostics(results, ctx)
    if ctx.summary:
        from spinlint.verdict import file_summary

        data = {"diagnostics": data, "files": [file_summary(r) for r in results if r.source is not None]}
    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")
