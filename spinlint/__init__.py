"""spinlint: a pluggable linter for machine-spun prose."""

from __future__ import annotations

__version__ = "0.1.0"
