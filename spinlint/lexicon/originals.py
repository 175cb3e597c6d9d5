"""Candidate originals of a spun word form, precomputed once and cached: what COL and LEX need.

A synonym spinner takes an original word ``o``, looks it up in a thesaurus and writes one of
its synonyms ``w`` in the same grammatical form ("markets" -> "showcases").  To undo that we
need, for any surface form ``w`` in a text, the forms ``o`` it may stand for.  This module
precomputes exactly that map, and only the part the rules can use:

- ``o`` is a word of the bigram list (``spinlint.lexicon.ngrams``): a restoration is only
  checked against attested pairs, so other originals could never be confirmed;
- ``o`` is a content word with Zipf >= ``MIN_ORIGINAL_ZIPF`` (spinners replace ordinary words);
- ``w`` is a single-word Moby synonym of ``o``'s lemma of the same part of speech in
  lemminflect's dictionary, inflected to ``o``'s Penn tag ("market/NNS" -> "showcases"),
  and either one of the ``TOP_COMMON`` most frequent such synonyms (spinners favour common
  words) or a rarer one whose Moby entry links back to ``o`` (mutual links are the tight
  ones: "counterfeit" <-> "artificial"; one-way links are loose: "counterfeit" -> "like").

The result maps ``w`` to its originals ``o`` with their tags, most frequent ``o`` first, plus a Zipf table
for every word involved, so the rules need neither wordfreq nor lemminflect at run time
(loading those costs ~0.3 s and ~1.8 s).  Building takes a few seconds, once; the map is
cached on disk by ``spinlint.lexicon.cache`` keyed on the Moby, wordsegment and wordfreq data
files and ``VERSION``.
"""

from __future__ import annotations

from functools import cache, lru_cache

from spinlint.lexicon import ngrams, thesaurus
from spinlint.lexicon.cache import load_or_build
from spinlint.lexicon.frequency import frequency_sources

VERSION = "2"  # 2: originals and their tags as two aligned lists
MIN_ORIGINAL_ZIPF = 3.3
MIN_SUBSTITUTE_ZIPF = 1.5  # below this a "synonym" is too obscure for any spinner's list
TOP_COMMON = 10
# Penn tags whose form is the lemma itself: no inflection needed.
BASE_TAGS = {"NN", "VB", "VBP", "JJ", "RB"}
# Parts of speech a spinner substitutes (function words are left alone).
CONTENT_UPOS = {"NOUN", "VERB", "ADJ", "ADV"}

Table = dict[str, str]


def _sources() -> tuple[str, ...]:
    # this module itself too: editing the build code rebuilds the map
    return (thesaurus._path(), *ngrams._files(), *frequency_sources(), __file__)


def _build() -> tuple[Table, dict[str, float]]:
    import lemminflect
    from wordfreq import zipf_frequency

    zipf_cache: dict[str, float] = {}

    def zipf(word: str) -> float:
        z = zipf_cache.get(word)
        if z is None:
            z = zipf_cache[word] = round(float(zipf_frequency(word, "en")), 2)
        return z

    @cache
    def lemmas(word: str) -> dict[str, tuple[str, ...]]:
        return dict(lemminflect.getAllLemmas(word))

    forward = thesaurus.read_forward()  # not the cached two-way index: ~120 MB less at peak

    def mutual(lemma: str, syn: str) -> bool:
        joined = forward.get(syn)
        return joined is not None and f",{lemma}," in f",{joined},"

    @cache
    def inflect(lemma: str, tag: str) -> str:
        if tag in BASE_TAGS:
            return lemma
        # dictionary forms only: lemminflect's out-of-vocabulary model is slow and guesses
        forms = lemminflect.getInflection(lemma, tag, inflect_oov=False)
        return forms[0] if forms else ""

    @cache
    def substitutes(lemma: str, upos: str) -> tuple[str, ...]:
        """Single-word, same part of speech Moby synonyms of a lemma a spinner would pick:
        the ``TOP_COMMON`` most frequent (spinners favour common words) and any rarer one
        linked both ways (mutual links are the tight ones)."""
        same_pos = []
        for syn in forward.get(lemma, "").split(","):
            if not syn.isalpha() or syn == lemma or zipf(syn) < MIN_SUBSTITUTE_ZIPF:
                continue
            known = lemmas(syn)
            if known and upos not in known:
                continue  # another part of speech; out-of-vocabulary words may pass
            same_pos.append(syn)
        common = sorted(same_pos, key=lambda w: -zipf(w))[:TOP_COMMON]
        rare = [w for w in same_pos if w not in common and mutual(lemma, w)]
        return tuple(dict.fromkeys([*common, *rare]))

    vocab = sorted({w for pair in ngrams._bigrams() for w in pair.split(" ") if w.isalpha()})
    # "o:tag o:tag ..." per word, grown as one string: 1.4M small strings would cost ~100 MB
    edges: dict[str, str] = {}
    for o in vocab:
        zo = zipf(o)
        if zo < MIN_ORIGINAL_ZIPF:
            continue
        for upos, lems in lemmas(o).items():
            if upos not in CONTENT_UPOS:
                continue
            for lemma in lems:
                # the tags whose primary form is o ("market" is NN, not a rare NNS variant)
                tags = [t for t, forms in lemminflect.getAllInflections(lemma, upos).items() if forms[0] == o]
                for tag in tags:
                    for syn in substitutes(lemma, upos):
                        w = inflect(syn, tag)
                        if w and w != o:
                            item = f"{o}:{tag}"
                            edges[w] = f"{edges[w]} {item}" if w in edges else item

    # one string per word, the originals (commonest first) and then, after a tab, each one's
    # tags ("markets trades\tNNS NNS|VBZ"): 44k objects load in milliseconds, where 850k
    # tuples took most of a second, and a look-up is two C-level splits
    words = set(edges)
    for w, joined in edges.items():
        by_original: dict[str, list[str]] = {}
        for item in dict.fromkeys(joined.split(" ")):
            o, _, tag = item.partition(":")
            by_original.setdefault(o, []).append(tag)
        ranked = sorted(by_original, key=lambda o: -zipf(o))
        words.update(ranked)
        edges[w] = " ".join(ranked) + "\t" + " ".join("|".join(by_original[o]) for o in ranked)
    return edges, {word: zipf(word) for word in words}


@lru_cache(maxsize=1)
def _index() -> tuple[Table, dict[str, float]]:
    # built in a child process: lemminflect, wordfreq and the scratch tables (~400 MB at
    # peak) never enter the linting process
    return load_or_build("originals", VERSION, _sources(), _build, isolate=True)


@lru_cache(maxsize=8192)
def originals(word: str) -> tuple[tuple[str, str], ...]:
    """``((original, penn_tag), ...)`` a spinner may have replaced with ``word``, commonest first.

    ``word`` is a lower-case surface form; the originals have the same inflection.
    """
    return tuple((o, tag) for o, tags in original_tags(word).items() for tag in tags.split("|"))


# 1k entries: a common word's dict holds hundreds of originals (~5 KB); at 8k they were the
# largest thing a long run kept (~40 MB) for 8 points of hit rate; 2k -> 1k kept ~5 MB less
# on the benchmark's pairs at no measurable cost in time (512 cost ~0.4 s more)
@lru_cache(maxsize=1024)
def original_tags(word: str) -> dict[str, str]:
    """``{original: "TAG|TAG"}`` for ``word``, commonest first (for set operations)."""
    joined = _index()[0].get(word)
    if not joined:
        return {}
    names, _, tags = joined.partition("\t")
    return dict(zip(names.split(" "), tags.split(" "), strict=True))


def _build_forward() -> dict[str, bytes]:
    """The map read the other way, compactly: an original -> the Zipf frequencies (x100, as
    big-endian uint16, most frequent first) of the forms a spinner may write for it, the words
    whose originals include it.  Bytes, not the forms themselves: ~30k short byte strings
    (~5 MB in memory) where the forms' strings took twice that."""
    table, zipf = _index()
    forms: dict[str, list[int]] = {}
    for word, joined in table.items():
        z = round(zipf.get(word, 0.0) * 100)
        for o in joined.partition("\t")[0].split(" "):
            forms.setdefault(o, []).append(z)
    return {o: b"".join(z.to_bytes(2, "big") for z in sorted(zs, reverse=True)) for o, zs in forms.items()}


@lru_cache(maxsize=1)
def _forward() -> dict[str, bytes]:
    # read only when SPN001 ranks originals (a document with marks), never at start-up
    return load_or_build("originals-forward", VERSION, _sources(), _build_forward)


def forms_above(original: str, form: str) -> tuple[int, int]:
    """How many of the forms a spinner may write for ``original`` are more frequent than
    ``form`` (0: ``form`` is as common as its commonest), and how many forms it has.  Whether
    ``form`` is one of them is ``original in original_tags(form)``, which the caller has.

    A noisy channel's view of a restoration: a spinner that picks a common synonym of the
    original (as the training spinner and SpinBot-style tools do) leaves a written word near
    the top of the original's list, and one with few synonyms has few ways to write it."""
    packed = _forward().get(original, b"")
    n = len(packed) // 2
    z = round(zipf(form) * 100)
    # the frequencies run from the largest down: count those above z by bisection
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi) // 2
        if int.from_bytes(packed[2 * mid : 2 * mid + 2], "big") > z:
            lo = mid + 1
        else:
            hi = mid
    return lo, n


def spun_forms() -> Table:
    """The raw ``word -> originals`` map: ``word in spun_forms()`` tells whether a word has
    candidate originals (a membership test for scanning every word of a document)."""
    return _index()[0]


def zipf_table() -> dict[str, float]:
    """The raw ``word -> Zipf`` map behind ``zipf``, for hot loops."""
    return _index()[1]


def zipf(word: str) -> float:
    """Zipf frequency of a word of the index (0.0 for others; use ``frequency.zipf`` then)."""
    return _index()[1].get(word, 0.0)
