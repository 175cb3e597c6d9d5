"""IDM: idioms and fixed expressions broken by a one-word synonym swap."""

from __future__ import annotations

from spinlint.plugins.idiom.broken_idiom import BrokenIdiom
from spinlint.plugins.idiom.number_unit import NumberUnitPhrase
from spinlint.rule import Plugin

plugin = Plugin(
    prefix="IDM",
    name="idiom breakage",
    rules=[BrokenIdiom, NumberUnitPhrase],
    description="Idioms with one word swapped ('kick the pail') and spun number-unit phrases.",
)
