"""COL001's re-parse check: a restoration counts only if it forms the same construction."""

from __future__ import annotations

import pytest

from spinlint import nlp as nlp_mod
from spinlint.document import Document
from spinlint.plugins.collocation.implausible_collocation import same_construction
from spinlint.plugins.collocation.scan import PairCandidate, Variant
from spinlint.sources import SourceFile

pytestmark = pytest.mark.skipif(not nlp_mod.available(), reason="no English spaCy pipeline")


def _pair(text: str, first: str, second: str, restored: tuple[str, str], swapped: tuple[bool, bool]) -> bool:
    pipeline = nlp_mod.load(nlp_mod.components_for(["tagger", "parser"]))
    doc = Document(source=SourceFile("t.txt", text), prose=text, nlp_loader=lambda: pipeline)
    words = {w.text: w for w in doc.words}
    variant = Variant(*restored, swapped=swapped, tags=("", ""), count=1, association=1.0, gap=1.0)
    return same_construction(doc, PairCandidate(words[first], words[second], (variant,)), variant)


def test_a_restored_compound_that_stays_a_compound_is_kept() -> None:
    assert _pair(
        "Stock showcases fell sharply on Monday.", "Stock", "showcases", ("stock", "markets"), (False, True)
    )


def test_a_restoration_that_reads_as_another_construction_is_dropped() -> None:
    # "miles away" is a measure phrase, not a modifier + noun: its count cannot vouch for the pair
    assert not _pair(
        "The second boat was a further two nautical miles astern, with the third close by.",
        "miles",
        "astern",
        ("miles", "away"),
        (False, True),
    )
