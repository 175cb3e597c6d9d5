"""LEX: lexical substitution — a rare or archaic word where a common synonym fits."""

from __future__ import annotations

from spinlint.plugins.lexical.homograph import FunctionWordHomograph
from spinlint.plugins.lexical.rare_substitute import RareSubstitute
from spinlint.rule import Plugin

plugin = Plugin(
    prefix="LEX",
    name="lexical substitution",
    rules=[RareSubstitute, FunctionWordHomograph],
    description="Rare or archaic words, and nouns standing for function words, where a common word fits.",
)
