"""COL: implausible collocations — fixed phrases broken by a synonym spinner."""

from __future__ import annotations

from spinlint.plugins.collocation.implausible_collocation import ImplausibleCollocation
from spinlint.rule import Plugin

plugin = Plugin(
    prefix="COL",
    name="implausible collocations",
    rules=[ImplausibleCollocation],
    description="Unlisted pairs where a synonym swap gives an established collocation.",
)
