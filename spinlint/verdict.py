"""Document-level spin density and verdict.

density = sum of diagnostic confidences per 1,000 words.  Thresholds are provisional until
calibrated on the benchmark (see benchmarks/README.md).
"""

from __future__ import annotations

from typing import Any

from spinlint.runner import FileResult

SUSPICIOUS = 2.0
LIKELY_SPUN = 8.0
VERDICTS = ("clean", "suspicious", "likely-spun")


def density(result: FileResult) -> float:
    if not result.words:
        return 0.0
    return 1000.0 * sum(d.confidence for d in result.diagnostics) / result.words


def verdict(result: FileResult) -> str:
    dens = density(result)
    if dens >= LIKELY_SPUN:
        return "likely-spun"
    if dens >= SUSPICIOUS:
        return "suspicious"
    return "clean"


def file_summary(result: FileResult) -> dict[str, Any]:
    return {
        "filename": result.path,
        "words": result.words,
        "diagnostics": len(result.diagnostics),
        "density": round(density(result), 3),
        "verdict": verdict(result),
    }
