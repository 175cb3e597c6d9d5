"""Applying fixes: non-overlapping edits, atomic writes that keep every byte we do not change.

A file is rewritten through a temporary file in the same folder and ``os.replace`` (atomic
on POSIX and Windows), with its BOM, line endings and permissions kept.  Files whose text
would not change are never touched.  Overlapping edits are never applied together: the
earlier one wins and the other waits for the next pass, so text cannot be corrupted.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence

from spinlint.model import Applicability, Diagnostic, Edit
from spinlint.sources import BOM, SourceFile


def applicable(diags: Iterable[Diagnostic], unsafe: bool) -> list[Diagnostic]:
    allowed = {Applicability.SAFE} | ({Applicability.UNSAFE} if unsafe else set())
    return [d for d in diags if d.fix is not None and d.fix.applicability in allowed]


def apply(text: str, diags: Sequence[Diagnostic]) -> tuple[str, int]:
    """Apply the fixes of ``diags`` that do not overlap; return the new text and the count."""
    chosen: list[Edit] = []
    applied = 0
    taken_until = -1
    for d in sorted(diags, key=lambda d: (min(e.span.start for e in d.fix.edits), d.code)):  # type: ignore[union-attr]
        edits = sorted(d.fix.edits, key=lambda e: e.span.start)  # type: ignore[union-attr]
        if edits[0].span.start < taken_until or _overlapping(edits):
            continue
        chosen.extend(edits)
        taken_until = max(e.span.end for e in edits)
        applied += 1
    out = []
    pos = 0
    for e in chosen:
        out.append(text[pos : e.span.start])
        out.append(e.content)
        pos = e.span.end
    out.append(text[pos:])
    return "".join(out), applied


def _overlapping(edits: Sequence[Edit]) -> bool:
    return any(a.span.end > b.span.start for a, b in zip(edits, edits[1:], strict=False))


def encode(source: SourceFile, text: str) -> bytes:
    return ((BOM if source.has_bom else "") + text).encode("utf-8")


def write_atomic(path: str, data: bytes) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".spinlint-tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if os.path.exists(path):
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )
