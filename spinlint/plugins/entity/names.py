"""Shared pieces of the ENT rules: proper-name candidates and the well-known-name index.

Candidates are found without spaCy: runs of capitalised words (with "of", "the", "and", "for"
allowed inside), so NER runs only on the few sentences that hold a suspicious pair.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spinlint.document import Document, Word
from spinlint.lexicon.cache import load_or_build
from spinlint.lexicon.ngrams import bigram
from spinlint.lexicon.thesaurus import synonyms
from spinlint.plugins.idiom.lexicon import FUNCTION_WORDS, lemmas

STAND_INS_VERSION = "1"

CONNECTORS = frozenset({"of", "the", "and", "for", "on", "de"})


@dataclass(frozen=True)
class Run:
    """Consecutive capitalised words (a proper-name candidate), as word indexes [i, j)."""

    i: int
    j: int

    def words(self, doc: Document) -> list[Word]:
        return doc.words[self.i : self.j]

    def key(self, doc: Document) -> tuple[str, ...]:
        """Lower-cased words, possessive removed ("Package's" is "Package")."""
        return tuple(re.sub(r"['’]s$", "", w.lower) for w in self.words(doc))


def capitalised(w: Word) -> bool:
    return w.text[:1].isupper() and not w.text.isupper()


def contiguous(doc: Document, a: Word, b: Word) -> bool:
    return not doc.prose[a.end : b.start].strip()


def sentence_initial(doc: Document, w: Word) -> bool:
    """Whether ``w`` opens a sentence or a quotation, where every word is capitalised.

    Looks back within the sentence only, so a scan over all words stays linear."""
    sent = doc.sentence_at(w.start)
    before = doc.prose[sent.start : w.start].rstrip()
    return not before or before[-1] in '.!?:"“'


def runs(doc: Document) -> list[Run]:
    if "ent-runs" in doc.cache:
        return list(doc.cache["ent-runs"])
    ws = doc.words
    out: list[Run] = []
    i = 0
    while i < len(ws):
        if not capitalised(ws[i]):
            i += 1
            continue
        j = i + 1
        while j < len(ws) and contiguous(doc, ws[j - 1], ws[j]):
            if capitalised(ws[j]):
                j += 1
            elif (
                ws[j].lower in CONNECTORS
                and j + 1 < len(ws)
                and capitalised(ws[j + 1])
                and contiguous(doc, ws[j], ws[j + 1])
            ):
                j += 2
            else:
                break
        out.append(Run(i, j))
        i = j
    doc.cache["ent-runs"] = tuple(out)
    return out


def attested(ws: tuple[str, ...]) -> bool:
    """Every adjacent pair is in the web bigram table (>= 100,000 occurrences)."""
    return all(bigram(a, b) for a, b in zip(ws, ws[1:], strict=False))


def missing_pair(ws: tuple[str, ...]) -> str:
    for a, b in zip(ws, ws[1:], strict=False):
        if not bigram(a, b):
            return f"{a} {b}"
    return ""


@lru_cache(maxsize=1)
def known_name_keys() -> frozenset[tuple[str, ...]]:
    """The known names, lower-cased, for set look-ups."""
    return frozenset(tuple(w.lower() for w in name) for name in known_names())


@lru_cache(maxsize=1)
def known_names() -> tuple[tuple[str, ...], ...]:
    text = resources.files("spinlint.plugins.entity").joinpath("names.tsv").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return tuple(tuple(n.split()) for n in lines[1:])


def _names_path() -> str:
    return str(resources.files("spinlint.plugins.entity").joinpath("names.tsv"))


def _build_stand_ins() -> dict[str, list[str]]:
    """Each name word's accepted stand-ins: itself, its lemmas and their Moby synonyms."""
    out: dict[str, list[str]] = {}
    for name in known_names():
        for word in name:
            w = word.lower()
            if w in out:
                continue
            related = {w} | set(lemmas(w))
            if w not in FUNCTION_WORDS:
                for lemma in list(related):
                    related |= {s for s in synonyms(lemma) if s.isalpha()}
            out[w] = sorted(related)
    return out


@lru_cache(maxsize=1)
def name_index() -> tuple[dict[str, list[tuple[tuple[str, ...], int]]], dict[str, frozenset[str]]]:
    """word (a name word, an inflection or a Moby synonym of it) -> [(name, position)];
    and each name word's accepted stand-ins (cached on disk: lemminflect is slow to load)."""
    raw = load_or_build("entity-stand-ins", STAND_INS_VERSION, (_names_path(), __file__), _build_stand_ins)
    stand_ins = {w: frozenset(v) for w, v in raw.items()}
    index: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
    for name in known_names():
        for pos, word in enumerate(name):
            w = word.lower()
            if w in FUNCTION_WORDS:
                continue
            for s in stand_ins[w]:
                index[s].append((name, pos))
    return dict(index), stand_ins
