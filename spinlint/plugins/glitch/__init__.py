"""GLT: spinner glitches — typographic damage that synonym spinners leave behind."""

from __future__ import annotations

from spinlint.plugins.glitch.detached_hyphen import DetachedHyphen
from spinlint.plugins.glitch.glued_word import GluedWord
from spinlint.plugins.glitch.quote_space import QuoteSpace
from spinlint.rule import Plugin

plugin = Plugin(
    prefix="GLT",
    name="spinner glitches",
    rules=[DetachedHyphen, GluedWord, QuoteSpace],
    description="Detached hyphens, glued words and stray spaces inside quotes.",
)
