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
    variant = Variant(*restored, swapped=swapped, tags=("", ""), occurrences=1, association=1.0, gap=1.0)
    pair = PairCandidate(words[first], words[second], (variant,))
    (kept,) = same_construction(doc, [(pair, variant)])
    return kept


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


def test_same_construction_checks_many_restorations_in_one_batch_in_order() -> None:
    text = "Stock showcases fell. The boat was two miles astern."
    pipeline = nlp_mod.load(nlp_mod.components_for(["tagger", "parser"]))
    doc = Document(source=SourceFile("t.txt", text), prose=text, nlp_loader=lambda: pipeline)
    w = {x.text: x for x in doc.words}
    market = Variant(
        "stock", "markets", swapped=(False, True), tags=("", ""), occurrences=1, association=1.0, gap=1.0
    )
    away = Variant(
        "miles", "away", swapped=(False, True), tags=("", ""), occurrences=1, association=1.0, gap=1.0
    )
    pairs = [
        (PairCandidate(w["miles"], w["astern"], (away,)), away),
        (PairCandidate(w["Stock"], w["showcases"], (market,)), market),
    ]
    assert same_construction(doc, pairs) == [False, True]
    assert same_construction(doc, []) == []


def test_a_parse_shared_without_the_recogniser_gets_entities_for_a_rule_that_wants_them() -> None:
    # COL reads tags and dependencies only and leaves NER out of the shared parse; ENT rules
    # asking for the same sentence later must see the same entities as a full parse.
    text = "Barack Obama visited the United Nations in New York on Monday."
    pipeline = nlp_mod.load(nlp_mod.components_for(["tagger", "parser", "ner"]))
    doc = Document(source=SourceFile("t.txt", text), prose=text, nlp_loader=lambda: pipeline)
    sentence = doc.sentences[0]
    doc.prefetch([sentence], without=("ner",))
    partial = doc.parse(sentence, without=("ner",))
    assert partial is not None and not partial.ents
    full = pipeline(text)
    assert [(t.tag_, t.dep_, t.head.i) for t in partial] == [(t.tag_, t.dep_, t.head.i) for t in full]
    completed = doc.parse(sentence)
    assert completed is not None
    assert [(e.text, e.label_) for e in completed.ents] == [(e.text, e.label_) for e in full.ents]
    assert completed.ents  # the sentence has entities: the comparison is not vacuous
    assert [t.ent_type_ for t in doc.tokens_in(doc.words[0].span)] == ["PERSON"]
