"""LEX: lexical substitution — a rare or archaic word where a common synonym fits."""

from __future__ import annotations

from spinlint.plugins.lexical.rare_substitute import RareSubstitute
from spinlint.rule import Plugin

plugin = Plugin(
    prefix="LEX",
    name="lexical substitution",
    rules=[RareSubstitute],
    description="Rare or archaic words standing where a common synonym fits the context.",
)
