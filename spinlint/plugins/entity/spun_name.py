from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from spinlint.document import Document
from spinlint.lexicon import thesaurus
from spinlint.lexicon.cache import load_or_build
from spinlint.lexicon.ngrams import bigram
from spinlint.lexicon.thesaurus import synonyms
from spinlint.model import Applicability, Diagnostic, Severity, Span
from spinlint.packs import match_case
from spinlint.plugins.entity.names import (
    _names_path,
    attested,
    capitalised,
    contiguous,
    known_name_keys,
    known_names,
    missing_pair,
    name_index,
    sentence_initial,
)
from spinlint.plugins.idiom.lexicon import FUNCTION_WORDS, regular_lemmas, same_lemma
from spinlint.rule import Rule


def plural(word: str) -> bool:
    """A regular plural ("nations", "countries"), not a word ending in -ss ("press")."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def closeness(name: str, found: str) -> float:
    """How close the found words are to the name's words in the Moby thesaurus: the summed
    Jaccard overlap of their synonym sets ("realm" shares far more with "kingdom" than with
    "state").  Ranks the names one spun phrase may stand for."""
    total = 0.0
    for a, b in zip(name.lower().split(), found.lower().split(), strict=False):
        best = 0.0
        for la in regular_lemmas(a):
            sa = set(synonyms(la)) | {la}
            for lb in regular_lemmas(b):
                sb = set(synonyms(lb)) | {lb}
                best = max(best, len(sa & sb) / len(sa | sb))
        total += best
    return total


def whole_name(doc: Document, start: int, n: int) -> bool:
    """Whether words [start, start + n) are a capitalised name of their own, not part of a
    longer one ("United States Space Shuttle", "Joined Countries Ltd", "International
    Committee for Weights and Measures").  A capitalised function word before it is fine
    ("The Joined Countries" opening a sentence)."""
    ws = doc.words
    first, last = ws[start], ws[start + n - 1]
    if start > 0:
        before = ws[start - 1]
        if capitalised(before) and before.lower not in FUNCTION_WORDS and contiguous(doc, before, first):
            return False
    if start + n < len(ws):
        after = ws[start + n]
        if contiguous(doc, last, after) and (capitalised(after) or after.lower in NAME_GOES_ON):
            return False
    return True


def linked_back(found: str, word: str) -> bool:
    """Whether a lemma of ``found`` lists a lemma of ``word`` among its Moby synonyms."""
    targets = regular_lemmas(word)
    listing = _listing()
    if all(t in listing for t in targets):  # a name word: the small table answers
        return any(f.lower() in listing[t] for f in regular_lemmas(found) for t in targets)
    return any(t in synonyms(f) for f in regular_lemmas(found) for t in targets)


LISTING_VERSION = "1"


def _build_listing() -> dict[str, str]:
    """For every regular lemma of a name word, the Moby head words whose entry (the kept one,
    as ``synonyms`` reads it) lists it, comma-joined: what ``linked_back`` asks, so linting
    does not load the whole thesaurus index (~0.1 s of a cold start)."""
    targets = {t for name in known_names() for w in name for t in regular_lemmas(w.lower())}
    listing = thesaurus.listing_heads(targets)
    return {t: ",".join(listing.get(t, ())) for t in sorted(targets)}


@lru_cache(maxsize=1)
def _listing() -> dict[str, frozenset[str]]:
    sources = (_names_path(), thesaurus._path(), __file__)
    raw = load_or_build("entity-name-listing", LISTING_VERSION, sources, _build_listing, isolate=True)
    return {t: frozenset(joined.split(",")) - {""} for t, joined in raw.items()}


# A fully spun name ("the Joined Countries") keeps no word of the name, so it must look like a
# name in running prose: capitalised mid-sentence inside a sentence that is not itself set in
# title case (headings capitalise every word).  At least this share of the sentence's other
# words (four letters or more) must be lower case.
LOWER_SHARE = 0.5
# Words after which a capitalised name continues ("International Committee for Weights").
NAME_GOES_ON = frozenset({"of", "for", "and", "de"})


@dataclass(frozen=True)
class NameSlot:
    """A name word a document word may stand for, with what the rest of the window needs:
    each other function word as it is (``exact``), each other word through one of its
    regular lemmas (``loose``: the name word's own lemmas and its stand-ins).  Offsets are
    relative to the window start."""

    name: tuple[str, ...]
    pos: int
    exact: tuple[tuple[int, str], ...]
    loose: tuple[tuple[int, frozenset[str]], ...]

    def fits(self, low: list[str], start: int) -> bool:
        """Whether every word of the window at ``start`` can stand for its name word: a
        test ``_verify`` implies, at a fraction of its cost."""
        for i, accepted in self.loose:
            if accepted.isdisjoint(regular_lemmas(low[start + i])):
                return False
        return all(low[start + i] == want for i, want in self.exact)


@lru_cache(maxsize=1)
def name_slots() -> dict[tuple[tuple[str, ...], int], NameSlot]:
    """A ``NameSlot`` for every (name, position) of the name index."""
    _, stand_ins = name_index()
    out: dict[tuple[tuple[str, ...], int], NameSlot] = {}
    for name in known_names():
        canon = [w.lower() for w in name]
        for pos in range(len(name)):
            others = [(i, c) for i, c in enumerate(canon) if i != pos]
            exact = tuple((i, c) for i, c in others if c in FUNCTION_WORDS)
            loose = tuple((i, regular_lemmas(c) | stand_ins[c]) for i, c in others if c not in FUNCTION_WORDS)
            out[name, pos] = NameSlot(name, pos, exact, loose)
    return out


@lru_cache(maxsize=16384)
def candidates(word: str) -> tuple[tuple[NameSlot, ...], tuple[NameSlot, ...]]:
    """The name words a word may stand for, in ``name_index`` order: as written in lower
    case, and capitalised.  A word not capitalised only stands for a name word it is a form
    of: a window spun in lower case keeps a word of the name (see ``_verify``), and is tried
    from that kept word instead."""
    index, _ = name_index()
    slots = name_slots()
    forms = regular_lemmas(word)
    found = [slots[name, pos] for key in forms for name, pos in index.get(key, ())]
    return tuple(c for c in found if c.name[c.pos].lower() in forms), tuple(found)


class SpunName(Rule):
    """Well-known proper name with its words swapped for synonyms ("the Joined Countries").

    ## What it does
    Flags a word sequence that matches a well-known multiword name (an organisation, country,
    agency or disease) word by word, where at least one word is replaced by a Moby thesaurus
    synonym: "the Joined Countries" (United Nations), "Related Press" (Associated Press),
    "serious intense respiratory disorder" (severe acute respiratory syndrome).

    ## Why it matters
    Spinners do not know that names are fixed and translate them word by word.  The rule
    needs strong evidence: every word pair of the real name is common in web text, while the
    variant contains a pair that is not; a two-word variant must also be capitalised like a
    name, so honest descriptions ("joined countries") are left alone.

    ## Example
    The Joined Countries called for a truce, Related Press reported.

    ## Use instead
    The United Nations called for a truce, Associated Press reported.

    ## Fix safety
    Unsafe: a rare real name can look like a spun one; check before replacing.

    ## References
    Name list curated from general knowledge (spinlint/plugins/entity/names.tsv); Moby
    thesaurus (Grady Ward, public domain); bigram counts from the Google Web Trillion Word
    Corpus (Brants & Franz 2006) via wordsegment.
    """

    code = "ENT002"
    name = "spun-proper-name"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        _, stand_ins = name_index()
        ws = doc.words
        low = [w.lower for w in ws]
        tried: set[tuple[int, tuple[str, ...]]] = set()
        found: dict[int, list[Diagnostic]] = {}
        end = len(ws)
        for k, (as_lower, as_upper) in enumerate(map(candidates, low)):
            if not as_upper:
                continue
            for slot in as_upper if ws[k].text[:1].isupper() else as_lower:
                name = slot.name
                start = k - slot.pos
                if (
                    start < 0
                    or start + len(name) > end
                    or not slot.fits(low, start)
                    or (start, name) in tried
                ):
                    continue
                tried.add((start, name))
                diag = self._verify(doc, low, start, name, stand_ins)
                if diag is not None:
                    found.setdefault(start, []).append(diag)
        for diags in found.values():
            yield self._best(diags)

    @staticmethod
    def _best(diags: list[Diagnostic]) -> Diagnostic:
        """One diagnostic per place: a spun word may stand for words of several names
        ("Combined Realm": United Kingdom or United Nations).  The longest match wins; names
        of equal length are all suggested, the one with the commonest words (wordfreq) first."""
        if len(diags) == 1:
            return diags[0]
        longest = max(d.span.end for d in diags)
        diags = [d for d in diags if d.span.end == longest]
        diags.sort(key=lambda d: closeness(d.evidence[0][1], d.evidence[-1][1]), reverse=True)
        best = diags[0]
        return replace(best, suggestions=tuple(dict.fromkeys(s for d in diags for s in d.suggestions)))

    def _verify(
        self,
        doc: Document,
        low: list[str],
        start: int,
        name: tuple[str, ...],
        stand_ins: dict[str, frozenset[str]],
    ) -> Diagnostic | None:
        ws = doc.words
        n = len(name)
        window = tuple(low[start : start + n])
        canon = tuple(w.lower() for w in name)
        content = [i for i in range(n) if canon[i] not in FUNCTION_WORDS]
        kept = [i for i in content if window[i] == canon[i]]
        if not kept and not all(capitalised(ws[start + i]) for i in content):
            return None  # cheap first: a content word kept in place, or a capitalised name
        if window in known_name_keys():
            return None  # another well-known name ("United Nations" beside "United States")
        if any(window[i] != canon[i] for i in range(n) if canon[i] in FUNCTION_WORDS):
            return None  # "of", "and", "the" inside a name are never swapped
        swapped = [i for i in range(n) if not same_lemma(window[i], canon[i])]
        if not swapped:
            return None
        full = len(swapped) == len(content)
        for i in swapped:
            if not (regular_lemmas(window[i]) & stand_ins[canon[i]]) or not window[i].isalpha():
                return None
            if plural(window[i]) != plural(canon[i]):
                return None  # a spinner inflects the synonym like the word it replaces
            if not linked_back(window[i], canon[i]):
                return None  # one-way Moby links are loose ("national" -> "general")
        if any(not contiguous(doc, ws[j], ws[j + 1]) for j in range(start, start + n - 1)):
            return None
        if full:
            gap = self._fully_spun(doc, start, n, window, canon, content)
            if not gap:
                return None
        else:
            if not attested(canon):
                return None
            gap = missing_pair(window)
            if not gap:
                return None
        is_capitalised = all(capitalised(ws[start + i]) for i in swapped)
        if is_capitalised and not whole_name(doc, start, n):
            return None
        if n == 2 and not full:
            return None  # "North Africa", "National Assembly": honest names; ENT001 compares forms
        span = Span(ws[start].start, ws[start + n - 1].end)
        fixed = " ".join(
            match_case(name[i], ws[start + i].text)
            if i in swapped and ws[start + i].text[:1].isupper()
            else (canon[i] if i in swapped else ws[start + i].text)
            for i in range(n)
        )
        shown = doc.text[span.start : span.end]
        return self.diagnostic(
            span,
            f"'{shown}' looks like the name '{' '.join(name)}' translated word by word "
            f"({', '.join(repr(ws[start + i].text) + ' for ' + repr(name[i]) for i in swapped)}); "
            + (
                f"no word of the name is left, and '{gap}' is not a common pair"
                if full
                else f"'{gap}' is not a common pair, while the name's pairs all are"
            ),
            confidence=0.7 if full else 0.85 if is_capitalised else 0.75,
            suggestions=[fixed],
            applicability=Applicability.UNSAFE,
            evidence=[("name", " ".join(name)), ("missing pair", gap), ("found", shown)],
        )

    @staticmethod
    def _fully_spun(
        doc: Document, start: int, n: int, window: tuple[str, ...], canon: tuple[str, ...], content: list[int]
    ) -> str:
        """The guards for a name with every word swapped; the first missing pair, or ''.

        The window must be a whole capitalised run of its own (not part of a longer name such
        as "Joined Countries Ltd"), start mid-sentence in a sentence that is mostly lower case,
        every swapped word must list the name's word among its own Moby synonyms (a mutual
        link: "joined" <-> "united"; one-way links such as "parliament" -> "house" are loose),
        and no adjacent pair of its content words may be in the web bigram table: a spun
        name is an unheard-of phrase, while honest names made of synonyms ("Global Fund")
        are common phrases.
        """
        ws = doc.words
        if not all(capitalised(ws[start + i]) for i in content):
            return ""
        first = ws[start]
        if sentence_initial(doc, first):
            return ""
        if not whole_name(doc, start, n):
            return ""
        sent = doc.sentence_at(first.start)
        lo = bisect.bisect_left(ws, sent.start, key=lambda w: w.start)
        hi = bisect.bisect_left(ws, sent.end, key=lambda w: w.start)
        others = ws[lo:start] + ws[start + n : hi]
        long_words = [w for w in others if len(w.text) >= 4 and w.text.isalpha()]
        if not long_words or sum(w.text.islower() for w in long_words) < LOWER_SHARE * len(long_words):
            return ""
        pairs = [(window[a], window[b]) for a, b in zip(content, content[1:], strict=False) if b == a + 1]
        if not pairs or any(bigram(a, b) for a, b in pairs):
            return ""
        return f"{pairs[0][0]} {pairs[0][1]}"
