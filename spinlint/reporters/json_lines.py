"""``--format json-lines``: one JSON object (the same as in ``json``) per line, so a consumer
can stream results without holding the whole array."""

from __future__ import annotations

import json
from typing import TextIO

from spinlint.reporters import Context
from spinlint.reporters.json import diagnostics
from spinlint.runner import FileResult


def report(results: list[FileResult], out: TextIO, ctx: Context) -> None:
    for item in diagnostics(results, ctx):
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
