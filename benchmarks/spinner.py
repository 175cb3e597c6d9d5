"""A labelled thesaurus spinner that mimics SpinBot-style article spinners.

Like the spinners that produce "counterfeit consciousness" for "artificial intelligence", it
swaps a share (20-40 %) of content words for a thesaurus synonym chosen *without looking at
the context*, keeps the inflection (lemminflect) and the capitalisation, and sometimes
damages the typography the way spinners do: a detached hyphen ("Kremlin- backed") and a
function word glued to an acronym ("theUN").  Every change is recorded with its span in the
spun text and the original it replaced, so a linter's findings can be scored against it.

Synonyms come from the Moby thesaurus (Grady Ward, public domain) through
``spinlint.lexicon.thesaurus``; the function words that are never swapped are spaCy's English
stop-word list.  WordNet is not used (not installed).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache

from spinlint.document import WORD
from spinlint.packs import match_case

# Swap candidates: plain lower-case or capitalised alphabetic words (no digits, hyphens or
# apostrophes: compounds are left to the glitch damage below).
PLAIN = re.compile(r"[A-Za-z]+")
HYPHENATED = re.compile(r"\b([A-Za-z][a-z]+)-([a-z]{2,})\b")
GLUE_LEAD = re.compile(r"\b(the|an|of|in|to|by|for|with|from)\s([A-Z]{2,}s?)\b")
POS_ORDER = ("NOUN", "VERB", "ADJ", "ADV")
MIN_ZIPF = 2.5  # spinners pick dictionary words a reader would recognise


@dataclass(frozen=True)
class Change:
    """One spun span: ``spun`` sits at ``[start, end)`` of the spun text and replaced ``original``."""

    start: int
    end: int
    spun: str
    original: str
    kind: str  # lexical | glitch


@dataclass(frozen=True)
class Spun:
    source: str
    text: str
    changes: tuple[Change, ...]

    def restore(self) -> str:
        """Put every recorded original back: gives the source text exactly."""
        out = []
        pos = 0
        for c in sorted(self.changes, key=lambda c: c.start):
            out.append(self.text[pos : c.start])
            out.append(c.original)
            pos = c.end
        out.append(self.text[pos:])
        return "".join(out)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@lru_cache(maxsize=50_000)
def _analyses(word: str) -> tuple[tuple[str, str, str], ...]:
    """(upos, lemma, Penn tag) readings of ``word``, in POS_ORDER."""
    from lemminflect import getAllInflections, getAllLemmas

    out = []
    lemmas = getAllLemmas(word)
    for upos in POS_ORDER:
        for lemma in lemmas.get(upos, ()):
            table = getAllInflections(lemma, upos=upos)
            # Prefer the tag whose first (regular) form is the word: lemminflect also lists
            # "market" under NNS as an uncountable variant.
            tags = [t for t, forms in table.items() if forms[:1] == (word,)]
            tags = tags or [t for t, forms in table.items() if word in forms]
            if tags:
                out.append((upos, lemma, tags[0]))
    return tuple(out)


@lru_cache(maxsize=50_000)
def candidates(word: str) -> tuple[str, ...]:
    """Inflected one-word synonyms of a lower-case ``word`` (first reading found, like a
    context-blind spinner that takes the first entry of its dictionary)."""
    from lemminflect import getAllLemmas, getInflection

    from spinlint.lexicon.frequency import zipf
    from spinlint.lexicon.thesaurus import synonyms

    for upos, lemma, tag in _analyses(word):
        out = []
        for syn in synonyms(lemma):
            if not syn.isalpha() or syn in (lemma, word) or zipf(syn) < MIN_ZIPF:
                continue
            if tag in ("NN", "VB", "VBP", "JJ", "RB"):
                form = syn
            else:
                # Only inflect synonyms lemminflect knows under the same part of speech;
                # its rule-based guesses for other words give "annoyeds".
                known = getAllLemmas(syn).get(upos)
                forms = getInflection(syn, tag=tag) if known else ()
                if not forms:
                    continue
                form = forms[0]
            if form.isalpha() and form != word and zipf(form) >= MIN_ZIPF:
                out.append(form)
        if out:
            # Most frequent first: spinners favour common synonyms, not Moby's alphabetical order.
            return tuple(sorted(dict.fromkeys(out), key=lambda f: -zipf(f)))
    return ()


def _sentence_initial(text: str, start: int) -> bool:
    """Is the word at ``start`` the first of a sentence (or of the text)?  Looks back a few
    characters only, so spinning stays linear in the length of the text."""
    window = text[max(0, start - 40) : start]
    before = window.rstrip(" \t\"'“‘(")
    return before[-1:] in (".", "!", "?", "\n") if before else start <= 40


def spin(
    text: str,
    rng: random.Random,
    rate: float | None = None,
    hyphen_rate: float = 0.5,
    glue_rate: float = 0.5,
    top: int = 8,
) -> Spun:
    """Spin ``text``: swap ``rate`` (default: drawn from 20-40 %) of its content words.

    A capitalised word is swapped only at the start of a sentence (elsewhere it is likely a
    name, which spinners mostly leave alone).  The synonym is drawn from the ``top`` most
    frequent Moby entries, as spinners favour common words.
    """
    if rate is None:
        rate = rng.uniform(0.2, 0.4)
    stop = _stop_words()
    edits: list[tuple[int, int, str, str, str]] = []  # start, end, new, original, kind
    taken: list[tuple[int, int]] = []

    for m in HYPHENATED.finditer(text):
        # "head- and-neck" reads as an honest suspended hyphen ("pre- and post-war"): no
        # linter could tell, so the spinner does not detach before a function word.
        if m.group(2).lower() in stop:
            continue
        if rng.random() < hyphen_rate:
            edits.append((m.start(), m.end(), f"{m.group(1)}- {m.group(2)}", m.group(), "glitch"))
            taken.append((m.start(), m.end()))
    for m in GLUE_LEAD.finditer(text):
        if rng.random() < glue_rate and not any(s < m.end() and m.start() < e for s, e in taken):
            edits.append((m.start(), m.end(), m.group(1) + m.group(2), m.group(), "glitch"))
            taken.append((m.start(), m.end()))

    for m in WORD.finditer(text):
        word = m.group()
        if any(s < m.end() and m.start() < e for s, e in taken) or not swappable(text, m, stop):
            continue
        if rng.random() >= rate:
            continue
        options = candidates(word.lower())[:top]
        if not options:
            continue
        new = match_case(rng.choice(options), word)
        edits.append((m.start(), m.end(), new, word, "lexical"))
    return apply_edits(text, edits)


def swappable(text: str, m: re.Match[str], stop: frozenset[str]) -> bool:
    """Is the word matched by ``m`` one a spinner swaps: plain letters, three or more, not a
    stop word, and capitalised only at the start of a sentence (elsewhere it is likely a
    name, which spinners mostly leave alone)?"""
    word = m.group()
    if not PLAIN.fullmatch(word):
        return False
    low = word.lower()
    if low in stop or len(low) < 3:
        return False
    return not (word[0].isupper() and (not _sentence_initial(text, m.start()) or word.isupper()))


def apply_edits(text: str, edits: list[tuple[int, int, str, str, str]]) -> Spun:
    """Apply non-overlapping ``(start, end, new, original, kind)`` edits to ``text`` and
    record each change at its place in the spun text."""
    out: list[str] = []
    changes: list[Change] = []
    pos = 0
    shift = 0
    for start, end, new, original, kind in sorted(edits):
        out.append(text[pos:start])
        changes.append(Change(start + shift, start + shift + len(new), new, original, kind))
        out.append(new)
        shift += len(new) - (end - start)
        pos = end
    out.append(text[pos:])
    return Spun(text, "".join(out), tuple(changes))
