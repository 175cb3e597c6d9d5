"""GLT: spinner glitches — typographic and grammatical damage that spinners leave behind."""

from __future__ import annotations

from spinlint.plugins.glitch.detached_hyphen import DetachedHyphen
from spinlint.plugins.glitch.glued_word import GluedWord
from spinlint.plugins.glitch.modal_clash import ModalClash
from spinlint.plugins.glitch.quote_space import QuoteSpace
from spinlint.plugins.glitch.repeated_phrase import RepeatedPhrase
from spinlint.rule import Plugin

plugin = Plugin(
    prefix="GLT",
    name="spinner glitches",
    rules=[DetachedHyphen, GluedWord, QuoteSpace, RepeatedPhrase, ModalClash],
    description="Detached hyphens, glued words, stray spaces inside quotes, phrases written twice and "
    "modal verbs after a negated auxiliary.",
)
