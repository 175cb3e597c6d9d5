from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from spinlint.document import Document
from spinlint.lexicon.frequency import zipf
from spinlint.model import Applicability, Diagnostic, Severity, Span
from spinlint.plugins.entity.names import Run, attested, known_name_keys, missing_pair, runs, sentence_initial
from spinlint.plugins.idiom.lexicon import relation
from spinlint.rule import Rule

ENTITY_TYPES = frozenset(
    {"ORG", "PERSON", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"}
)
# A 1-2 letter variant must be rare (Zipf < 2.5: under ~3 per million words) and the other
# form far more common (>= 1.5 Zipf, about 30 times) before it counts as a misspelt name.
RARE_ZIPF = 2.5
ZIPF_GAP = 1.5


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@lru_cache(maxsize=1)
def _speller() -> Any:
    from spellchecker import SpellChecker

    return SpellChecker()


def _known_word(word: str) -> bool:
    """An English dictionary word (pyspellchecker) is a word, not a misspelt name."""
    return bool(_speller().known([word]))


class EntityVariant(Rule):
    """One name written in two forms in the same document ("Associated Press" / "Related Press").

    ## What it does
    Compares the capitalised names of a document with each other.  Two forms of the same
    length that differ in one word are flagged when the words are Moby thesaurus synonyms
    ("Associated Press" / "Related Press") or differ by one or two letters ("Bloomberg" /
    "Bloomburg"), and one form is far better attested than the other.  The rarer form is
    flagged, and the common one suggested.

    ## Why it matters
    A spinner rewrites each occurrence of a name independently, so the same entity comes out
    in several forms in one text; honest writers keep names fixed.  Evidence is required on
    both sides: for a synonym swap the rare form has a word pair absent from the web bigram
    table, while the other form's pairs are all present or it is the document's first mention;
    for a spelling variant the rare form is under 2.5 on the Zipf scale and at least 1.5
    below the common one.  spaCy's NER must tag the common form as an entity.

    ## Example
    Associated Press reported the talks. Later, Related Press said they had failed.

    ## Use instead
    Associated Press reported the talks. Later, Associated Press said they had failed.

    ## Fix safety
    Unsafe: two similar names may be two entities; check before replacing.

    ## References
    Moby thesaurus (Grady Ward, public domain); word frequencies from wordfreq (Speer et al.);
    bigram counts from the Google Web Trillion Word Corpus via wordsegment; spaCy
    en_core_web_sm NER.
    """

    code = "ENT001"
    # Off by default (enable with --extend-select ENT001): on the benchmark (2026-11-25) it
    # raised 0.128 alarms per 1,000 clean words, mostly pairs of distinct real names that a
    # thesaurus links ("Southwest Alaska" / "Southeast Alaska", "Kingdom of Albania" /
    # "Republic of Albania"), and its precision on synthetic spin was 0.33.
    default_enabled = False
    name = "entity-variant"
    severity = Severity.WARNING
    needs = frozenset({"ner"})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        forms: dict[tuple[str, ...], list[Run]] = defaultdict(list)
        for run in runs(doc):
            key = run.key(doc)
            if run.j - run.i == 1 and (
                len(key[0]) < 5 or run.i == 0 or sentence_initial(doc, doc.words[run.i])
            ):
                continue  # short or sentence-initial single words are not names
            forms[key].append(run)
        # forms that differ in exactly one word share a bucket: the key with that word blanked
        buckets: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
        for key in forms:
            if len(key) >= 2:
                for i in range(len(key)):
                    buckets[key[:i] + ("",) + key[i + 1 :]].append(key)
        pairs: list[tuple[tuple[str, ...], tuple[str, ...], str, list[tuple[str, str]]]] = []
        known = known_name_keys()
        for keys in buckets.values():
            if len(keys) < 2:
                continue
            for r in keys:
                for c in keys:
                    if c == r:
                        continue
                    if r in known:
                        continue  # a well-known name is never the spun form
                    # which form is the name: a well-known one, else the one used more often;
                    # the first mention proves nothing (a spinner may spin it first)
                    preferred = c in known or len(forms[c]) > len(forms[r])
                    found = self._compare(r, c, preferred)
                    if found is not None:
                        pairs.append((r, c, *found))
        for r, c, why, evidence in pairs:
            if not self._is_entity(doc, forms[c]):
                continue
            for run in forms[r]:
                ws = run.words(doc)
                span = Span(ws[0].start, ws[-1].end)
                common = " ".join(w.text for w in forms[c][0].words(doc))
                shown = doc.text[span.start : span.end]
                yield self.diagnostic(
                    span,
                    f"'{shown}' and '{common}' look like one name in two forms ({why}); "
                    f"'{common}' is the established form",
                    confidence=0.8,
                    suggestions=[common],
                    applicability=Applicability.UNSAFE,
                    evidence=[("other form", f"{common} ({len(forms[c])}x in this document)"), *evidence],
                )

    @staticmethod
    def _compare(
        rare: tuple[str, ...], common: tuple[str, ...], common_preferred: bool
    ) -> tuple[str, list[tuple[str, str]]] | None:
        diff = [i for i in range(len(rare)) if rare[i] != common[i]]
        if len(diff) != 1:
            return None
        i = diff[0]
        a, b = rare[i], common[i]
        za, zb = zipf(a), zipf(b)
        if (
            len(rare) >= 2  # single words ("Cython" / "Python") are too often two real names
            and len(a) >= 5
            and len(a) == len(b)  # letters replaced, not suffixes added ("Licensor" / "License")
            and edit_distance(a, b) <= 2
            and za < RARE_ZIPF
            and zb - za >= ZIPF_GAP
            and not _known_word(a)
        ):
            return f"'{a}' is a {edit_distance(a, b)}-letter variant of '{b}'", [
                ("zipf", f"{a}: {za:.2f}; {b}: {zb:.2f}")
            ]
        if len(rare) >= 2 and (attested(common) or common_preferred):
            gap = missing_pair(rare)
            why = relation(b, a)
            if gap and why:
                return f"'{a}' for '{b}', {why}", [("missing pair", gap)]
        return None

    @staticmethod
    def _is_entity(doc: Document, occurrences: list[Run]) -> bool:
        for run in occurrences[:3]:
            ws = run.words(doc)
            if any(tok.ent_type_ in ENTITY_TYPES for tok in doc.tokens_in(Span(ws[0].start, ws[-1].end))):
                return True
        return False
