"""The fixed-expression index behind IDM001: idioms, their slots, anchors and word relations.

An idiom broken by a spinner keeps all its words but one.  So every idiom is indexed, once
per content-word slot, under an *anchor* that does not cover the slot: the adjacent pair of
other words (or, for a two-word idiom, the other word).  Scanning a document then costs two
dictionary look-ups per word, and only anchored windows are compared word by word.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spinlint.lexicon import thesaurus
from spinlint.lexicon.cache import load_or_build
from spinlint.lexicon.thesaurus import heads, synonyms

FORMS_VERSION = "1"

# Closed-class words: a spinner swaps content words, and so a slot is never one of these.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "of",
        "in",
        "on",
        "at",
        "by",
        "for",
        "to",
        "from",
        "with",
        "without",
        "into",
        "onto",
        "upon",
        "over",
        "under",
        "up",
        "down",
        "out",
        "off",
        "as",
        "than",
        "then",
        "so",
        "if",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "each",
        "every",
        "no",
        "not",
        "some",
        "such",
        "one",
        "ones",
        "i",
        "you",
        "he",
        "she",
        "we",
        "they",
        "me",
        "him",
        "her",
        "us",
        "them",
        "my",
        "your",
        "his",
        "our",
        "their",
        "own",
        "same",
        "other",
        "another",
        "very",
        "too",
        "just",
        "only",
        "also",
        "again",
        "once",
        "more",
        "most",
        "less",
        "least",
        "much",
        "many",
        "few",
        "both",
        "either",
        "neither",
    ]
)


@dataclass(frozen=True)
class Idiom:
    words: tuple[str, ...]
    frozen: bool  # non-compositional: a literal variant is rare
    source: str

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class Slot:
    idiom: Idiom
    slot: int  # index of the word a spinner may have swapped
    anchor_at: int  # index in the idiom of the anchor's first word
    # (index, forms) of every word that is neither the slot nor the anchor, and the forms of
    # the slot's own word: what ``fits`` compares once the anchor has matched
    rest: tuple[tuple[int, frozenset[str]], ...] = field(compare=False)
    slot_forms: frozenset[str] = field(compare=False)

    def fits(self, low: list[str], start: int) -> bool:
        """Whether the words at ``start`` (lower case) hold the idiom with only the slot's word
        changed, to a word of letters; the anchor is known to match."""
        if start < 0 or start + len(self.idiom.words) > len(low):
            return False
        for i, fs in self.rest:
            if low[start + i] not in fs:
                return False
        found = low[start + self.slot]
        return found not in self.slot_forms and found.isalpha()


def forms(word: str) -> frozenset[str]:
    """A word and its inflections (verbs: kick/kicks/kicked/kicking; nouns: plural)."""
    from lemminflect import getAllInflections

    out = {word}
    if word not in FUNCTION_WORDS and "'" not in word:
        for upos in ("VERB", "NOUN"):
            for fs in getAllInflections(word, upos=upos).values():
                out.update(f.lower() for f in fs)
    return frozenset(out)


@lru_cache(maxsize=1)
def idioms() -> tuple[Idiom, ...]:
    text = resources.files("spinlint.plugins.idiom").joinpath("idioms.tsv").read_text(encoding="utf-8")
    rows = csv.reader((ln for ln in text.splitlines() if ln and not ln.startswith("#")), delimiter="\t")
    next(rows)  # header
    return tuple(Idiom(tuple(p.split()), frozen == "yes", src) for p, frozen, src in rows)


def _idioms_path() -> str:
    return str(resources.files("spinlint.plugins.idiom").joinpath("idioms.tsv"))


def _build_forms() -> dict[str, list[str]]:
    return {w: sorted(forms(w)) for idiom in idioms() for w in idiom.words}


@lru_cache(maxsize=1)
def cached_forms() -> dict[str, frozenset[str]]:
    """``forms`` of every idiom word, cached on disk: lemminflect costs ~0.8 s to load."""
    raw = load_or_build("idiom-forms", FORMS_VERSION, (_idioms_path(), __file__), _build_forms)
    return {w: frozenset(fs) for w, fs in raw.items()}


@lru_cache(maxsize=1)
def index() -> tuple[dict[tuple[str, str], list[Slot]], dict[str, list[Slot]]]:
    """(pair anchors, single-word anchors)."""
    pairs: dict[tuple[str, str], list[Slot]] = defaultdict(list)
    singles: dict[str, list[Slot]] = defaultdict(list)
    word_forms = cached_forms()

    def slot_at(idiom: Idiom, slot: int, anchor: tuple[int, ...]) -> Slot:
        ws = idiom.words
        rest = tuple((i, word_forms[w]) for i, w in enumerate(ws) if i != slot and i not in anchor)
        return Slot(idiom, slot, anchor[0], rest, word_forms[ws[slot]])

    for idiom in idioms():
        ws = idiom.words
        for slot, w in enumerate(ws):
            if w in FUNCTION_WORDS or not w.isalpha() or len(ws) < 3:
                continue  # two-word pairs are collocations: too many honest variants
            # anchor on a pair of other words (the most contentful), else on one other word
            starts = [i for i in range(len(ws) - 1) if slot not in (i, i + 1)]
            if not starts:
                other = max(
                    (i for i in range(len(ws)) if i != slot), key=lambda i: ws[i] not in FUNCTION_WORDS
                )
                single = slot_at(idiom, slot, (other,))
                for f in word_forms[ws[other]]:
                    singles[f].append(single)
                continue
            at = max(starts, key=lambda i: (ws[i] not in FUNCTION_WORDS) + (ws[i + 1] not in FUNCTION_WORDS))
            pair = slot_at(idiom, slot, (at, at + 1))
            for a in word_forms[ws[at]]:
                for b in word_forms[ws[at + 1]]:
                    pairs[(a, b)].append(pair)
    return dict(pairs), dict(singles)


@lru_cache(maxsize=1)
def anchors() -> dict[str, tuple[list[Slot], dict[str, list[Slot]]]]:
    """``index`` by a window's first word: (its single-word anchors, its pair anchors by the
    second word), so a scan costs one look-up for most words and builds no tuples."""
    pairs, singles = index()
    out: dict[str, tuple[list[Slot], dict[str, list[Slot]]]] = {}
    for a, slots in singles.items():
        out[a] = (slots, {})
    for (a, b), slots in pairs.items():
        out.setdefault(a, ([], {}))[1][b] = slots
    return out


@lru_cache(maxsize=50_000)
def lemmas(word: str) -> frozenset[str]:
    """The word and its lemmas in lemminflect's dictionary (index builds only: lemminflect is
    slow to load)."""
    from lemminflect import getAllLemmas

    out = {word}
    for ls in getAllLemmas(word).values():
        out.update(x.lower() for x in ls)
    return frozenset(out)


# (suffix, what replaces it) of regular English inflection
REGULAR = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ied", "y"),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
)


@lru_cache(maxsize=16384)
def regular_lemmas(word: str) -> frozenset[str]:
    """The word and the stems regular English inflection would give (countries -> country,
    joined -> join, making -> make): a look-up that needs no lemminflect data."""
    out = {word}
    for suffix, repl in REGULAR:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.add(word[: -len(suffix)] + repl)
    return frozenset(out)


def regular_forms(lemma: str) -> set[str]:
    """Every word whose ``regular_lemmas`` hold ``lemma`` (its inverse): the lemma itself and
    each regular suffix on it ("pail" -> "pails", "pailed", "pailing", ...)."""
    out = {lemma}
    for suffix, repl in REGULAR:
        if lemma.endswith(repl):
            stem = lemma[: len(lemma) - len(repl)]
            if len(stem) >= 3:
                out.add(stem + suffix)
    return out


def same_lemma(a: str, b: str) -> bool:
    """Whether two words are forms of one lemma by regular English inflection (countries /
    country, joined / join).  No lemminflect here: its data take ~0.5 s to load, and this is
    asked of every name-like window; irregular forms do not occur in the names it compares."""
    return a == b or bool(regular_lemmas(a) & regular_lemmas(b))


@lru_cache(maxsize=50_000)
def relation(original: str, found: str) -> str:
    """How ``found`` relates to ``original`` in the Moby thesaurus ('' when it does not).
    Regular inflection only (``regular_lemmas``): asked for every near-idiom in a document,
    it must not load lemminflect (~0.5 s); lemminflect runs only to inflect a suggestion.
    For an idiom word the links come from a small precomputed table (``_links``), so linting
    does not load the whole thesaurus (~0.1 s of every cold start)."""
    links = _links(original)
    if links is not None:
        syns, listing = links
        for lemma in regular_lemmas(found):
            if lemma == original:
                return ""
            if lemma in syns or lemma.lower() in listing:
                return "Moby synonym"
        return ""
    for lemma in regular_lemmas(found):
        if lemma == original:
            return ""
        if lemma in synonyms(original) or original in synonyms(lemma):
            return "Moby synonym"
    return ""  # co-synonyms (a shared head word) proved far too loose on honest text


@lru_cache(maxsize=4096)
def relatives(original: str) -> frozenset[str]:
    """The words ``relation`` can link to ``original``: its Moby synonyms and the head words
    that list it.  ``relation(original, found)`` is '' unless a regular lemma of ``found`` is
    among them, so this set is a cheap test to ask first."""
    entry = _relatives_table().get(original)
    if entry is not None:
        return frozenset(entry[0].split(",")) - {""}
    return frozenset(synonyms(original)) | frozenset(heads(original))


RELATIVES_VERSION = "1"


def _build_relatives() -> dict[str, tuple[str, str, str]]:
    """For each idiom word, comma-joined: its relatives (Moby synonyms and every head word
    whose entry lists it), its synonyms, and the head words whose *kept* entry lists it (a
    head with two entries keeps the last, as ``synonyms`` does): what ``relatives`` and
    ``relation`` read, so that the thesaurus index is only loaded to build this."""
    words = sorted({w for idiom in idioms() for w in idiom.words})
    listing = thesaurus.listing_heads(words)
    return {
        w: (
            ",".join(sorted(frozenset(synonyms(w)) | frozenset(heads(w)))),
            ",".join(synonyms(w)),
            ",".join(listing.get(w, ())),
        )
        for w in words
    }


@lru_cache(maxsize=1)
def _relatives_table() -> dict[str, tuple[str, str, str]]:
    sources = (_idioms_path(), thesaurus._path(), __file__)
    return load_or_build("idiom-relatives", RELATIVES_VERSION, sources, _build_relatives, isolate=True)


@lru_cache(maxsize=4096)
def _links(original: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """``(synonyms, heads whose kept entry lists it)`` of an idiom word; None for other words."""
    entry = _relatives_table().get(original)
    if entry is None:
        return None
    return frozenset(entry[1].split(",")) - {""}, frozenset(entry[2].split(",")) - {""}


VERB_TAGS = ("VBD", "VBG", "VBN", "VBZ")


def _verb_tags(found: str) -> list[str]:
    """The verb tags ``found`` carries as a form of one of its lemmas, in the order
    ``inflect_like`` tries them (lemminflect; build time only)."""
    from lemminflect import getAllInflections

    out: list[str] = []
    for lemma in sorted(lemmas(found) - {found}):
        for tag, fs in getAllInflections(lemma, upos="VERB").items():
            if found in fs and tag in VERB_TAGS and tag not in out:
                out.append(tag)
    return out


def _build_inflections() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """What ``inflect_like`` needs, computed once with lemminflect (in a child process): the
    verb tags of every word ``relation`` can accept for an idiom word (the regular forms of
    its Moby relatives), and each idiom word's forms for those tags."""
    from lemminflect import getInflection

    words = sorted({w for idiom in idioms() for w in idiom.words})
    tags: dict[str, str] = {}
    seen: set[str] = set()
    for w in words:
        for relative in relatives(w):
            for found in regular_forms(relative) - seen:
                seen.add(found)
                if found_tags := _verb_tags(found):
                    tags[found] = " ".join(found_tags)
    inflected = {w: {t: str(got[0]) for t in VERB_TAGS if (got := getInflection(w, tag=t))} for w in words}
    return tags, inflected


@lru_cache(maxsize=1)
def _inflections() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    sources = (_idioms_path(), thesaurus._path(), __file__)
    return load_or_build("idiom-inflections", FORMS_VERSION, sources, _build_inflections, isolate=True)


def inflect_like(original: str, found: str) -> str:
    """``original`` (an idiom word) in the inflection ``found`` carries ("kicked the pail" ->
    "kicked the bucket"), for a ``found`` that ``relation`` links to it.  Only verb
    inflections follow the text: the nouns of an idiom are fixed ("on the money", never "on
    the moneys").  From a table built once (lemminflect takes about two seconds to load)."""
    tags, inflected = _inflections()
    forms = inflected.get(original, {})
    for tag in tags.get(found, "").split():
        if tag in forms:
            return forms[tag]
    return original
