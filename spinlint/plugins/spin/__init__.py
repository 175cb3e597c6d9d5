"""SPN: spun wording found by the trained detector (phrase-model evidence, one fitted model)."""

from __future__ import annotations

from spinlint.plugins.spin.swapped_word import SwappedWord
from spinlint.rule import Plugin

plugin = Plugin(
    prefix="SPN",
    name="spun wording",
    rules=[SwappedWord],
    description="Words a spinner most likely swapped, inside text the detector judges spun.",
)
