"""ENT003: a rare synonym of a news role word standing as a title before a person's name."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from spinlint.document import Document
from spinlint.lexicon.cache import load_or_build
from spinlint.lexicon.frequency import frequency_sources
from spinlint.model import Applicability, Diagnostic, Severity, Span
from spinlint.packs import match_case
from spinlint.plugins.entity.names import capitalised, contiguous
from spinlint.rule import Rule

# The title must be rare (Zipf < 3.0: under one per million words: "middleman",
# "talker") and at least 0.5 Zipf (about three times) rarer than the role it stands for.
MAX_TITLE_ZIPF = 3.0
MIN_ZIPF_GAP = 0.5
TABLE_VERSION = "1"


@lru_cache(maxsize=1)
def roles() -> tuple[str, ...]:
    text = resources.files("spinlint.plugins.entity").joinpath("roles.tsv").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return tuple(lines[1:])


def _roles_path() -> str:
    return str(resources.files("spinlint.plugins.entity").joinpath("roles.tsv"))


def _build_table() -> tuple[dict[str, tuple[str, ...]], dict[str, float]]:
    """The stand-in map and the Zipf frequency of every word in it (module level: built in a
    child process, so the thesaurus and wordfreq never load in the linting process)."""
    from spinlint.lexicon.frequency import zipf
    from spinlint.lexicon.thesaurus import synonyms

    role_set = set(roles())
    out: dict[str, list[str]] = {}
    for role in roles():
        for syn in synonyms(role):
            if syn.isalpha() and syn not in role_set and role in synonyms(syn):
                out.setdefault(syn, []).append(role)
    words = set(out) | role_set
    return {w: tuple(rs) for w, rs in out.items()}, {w: zipf(w) for w in sorted(words)}


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, tuple[str, ...]], dict[str, float]]:
    from spinlint.lexicon import thesaurus

    sources = (_roles_path(), thesaurus._path(), *frequency_sources(), __file__)
    return load_or_build("entity-roles", TABLE_VERSION, sources, _build_table, isolate=True)


def stand_ins() -> dict[str, tuple[str, ...]]:
    """A single-word Moby synonym of a role word -> the roles it may stand for.

    Only mutual links count (the role lists the word and the word lists the role:
    "middleman" <-> "spokesman"); role words themselves are never stand-ins."""
    return _table()[0]


def zipf(word: str) -> float:
    """Zipf frequency of a stand-in or role word (from the cached table)."""
    return _table()[1].get(word, 0.0)


class SpunRoleTitle(Rule):
    """Rare synonym of a news role standing as a title before a person's name ("middleman John Kirby").

    ## What it does
    Flags a word directly before a person's name (two capitalised words that spaCy's NER
    tags PERSON) when the word is a rare Moby thesaurus synonym of a common news role
    (spokesman, president, minister, lawyer, ...) linked both ways, and suggests the role
    words it may stand for, commonest first.

    ## Why it matters
    News names people by role ("spokesman John Kirby", "minister Penny Wong").  A spinner
    swaps the role for a thesaurus neighbour and leaves an odd title: "middleman John
    Kirby", "prolocutor Ned Price".  The rule needs the title to be rare (Zipf below 3.0,
    under one in a million words) and at least three times (0.5 Zipf) rarer than the role, and role words
    themselves are never flagged.

    ## Example
    The talks will go on, middleman John Kirby told reporters.

    ## Use instead
    The talks will go on, spokesman John Kirby told reporters.

    ## Fix safety
    Unsafe: a rare title can be honest ("headmaster John Smith"); check before replacing.

    ## References
    Role list curated from news attribution style (spinlint/plugins/entity/roles.tsv); Moby
    thesaurus (Grady Ward, public domain); word frequencies from wordfreq (Speer et al.);
    spaCy en_core_web_sm NER.
    """

    code = "ENT003"
    name = "spun-role-title"
    severity = Severity.WARNING
    needs = frozenset({"ner"})

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        table = stand_ins()
        ws = doc.words
        candidates = []
        for k in range(len(ws) - 2):
            w = ws[k].lower
            if w not in table:
                continue  # cheap first: one dictionary look-up per word
            a, b = ws[k + 1], ws[k + 2]
            if not (
                capitalised(a) and capitalised(b) and contiguous(doc, ws[k], a) and contiguous(doc, a, b)
            ):
                continue
            if ws[k].text.isupper():
                continue
            if zipf(w) >= MAX_TITLE_ZIPF:
                continue
            candidates.append(k)
        if not candidates:
            return
        doc.prefetch(doc.sentence_at(ws[k].start) for k in candidates)
        for k in candidates:
            yield from self._verify(doc, k, table[ws[k].lower])

    def _verify(self, doc: Document, k: int, options: tuple[str, ...]) -> Iterator[Diagnostic]:
        ws = doc.words
        word, a, b = ws[k], ws[k + 1], ws[k + 2]
        person = Span(a.start, b.end)
        toks = list(doc.tokens_in(person))
        if not toks or any(t.ent_type_ != "PERSON" for t in toks):
            return
        zw = zipf(word.lower)
        ranked = sorted(((zipf(r), r) for r in options), reverse=True)
        ranked = [(z, r) for z, r in ranked if z - zw >= MIN_ZIPF_GAP]
        if not ranked:
            return
        suggestions = [match_case(r, word.text) for _, r in ranked]
        top_z, top = ranked[0]
        yield self.diagnostic(
            word.span,
            f"'{word.text}' before the name '{doc.text[person.start : person.end]}' is an odd title: "
            f"a rare word (Zipf {zw:.1f}) that the Moby thesaurus links to the common role "
            f"'{top}' (Zipf {top_z:.1f})",
            confidence=0.6,
            suggestions=suggestions,
            applicability=Applicability.UNSAFE,
            evidence=[
                ("zipf", f"{word.lower}: {zw:.2f}; {top}: {top_z:.2f}"),
                ("name", doc.text[person.start : person.end]),
            ],
        )
