#!/usr/bin/env python3
"""Build ``spinlint/plugins/lexical/homographs.tsv`` (LEX002) from WordNet 3.0.

A WordNet-driven spinner looks every word up without knowing its part of speech, so a
function word can come back as a *noun or verb that shares its spelling*: "an" -> "Associate
in Nursing" (the degree abbreviated AN), "are" -> "area unit" (the unit of area), "who" ->
"World Health Organization", "must" -> "moldiness", "it" -> "information technology".  This
script lists, for every such function word, the words WordNet would offer:

- function words: spaCy's English stop list (MIT), of two letters or more (the counts of "a"
  and "i" mix in letters, initials and typos), whose content senses are rare: SemCor (the
  sense-tagged corpus behind WordNet's ``cntlist.rev``) tags WordNet senses of the word in
  under ``MAX_CONTENT_SHARE`` of the uses its frequency predicts (wordsegment unigram counts
  over SemCor's ~360k words).  "in" (33 tagged of ~3,000 expected) and "can" (12 of ~440)
  qualify; "behind" (18 of 19) and "someone" (17 of 27) are content words, and a synonym of
  them is honest English;
- senses: noun and verb synsets of the word only (adjective and adverb senses of "in",
  "moreover" ... are honest synonyms); number words ("eight" -> "octet") are left out;
- expansions: the synset's other lemmas or, when none is usable, the multiword lemmas of its
  direct hypernyms ("are" -> "ar", too short, so "area unit"); not a stop word, at least three
  characters, no digits or dots, and not a single capitalised word (a place or person name:
  "Indiana" for "in", "Maine" for "me" -- honest text is full of them).

Usage::

    python scripts/build_homographs.py [--wordnet /usr/share/wordnet] [--out PATH]

WordNet comes from Debian's ``wordnet-base`` package (``apt-get install wordnet-base``); it is
needed only to rebuild the table, never at lint time.  The output is sorted and
deterministic.  WordNet 3.0 licence: ``spinlint/plugins/lexical/LICENSE-WordNet``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spinlint.lexicon import ngrams  # noqa: E402
from spinlint.plugins.collocation.scan import _spacy_stop_words  # noqa: E402

MAX_CONTENT_SHARE = 0.15  # SemCor-tagged content uses / uses expected from the word's frequency
SEMCOR_WORDS = 360_000  # running words of SemCor (Brown corpus texts), approximately
POS_FILES = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
USED_POS = {"n", "v"}


def read_data(wordnet: Path) -> dict[tuple[str, str], tuple[list[str], list[tuple[str, str, str]], str]]:
    """(pos, offset) -> (lemmas, pointers (symbol, offset, pos), gloss)."""
    out = {}
    for name, pos in POS_FILES.items():
        with open(wordnet / f"data.{name}", encoding="latin-1") as fh:
            for line in fh:
                if line.startswith("  "):  # the licence header
                    continue
                head, _, gloss = line.partition(" | ")
                p = head.split(" ")
                offset, count = p[0], int(p[3], 16)
                lemmas = [re.sub(r"\(.*\)$", "", p[4 + 2 * i]).replace("_", " ") for i in range(count)]
                k = 4 + 2 * count
                pointers = [(p[k + 1 + 4 * j], p[k + 2 + 4 * j], p[k + 3 + 4 * j]) for j in range(int(p[k]))]
                out[(pos, offset)] = (lemmas, pointers, gloss.strip())
    return out


def read_index(wordnet: Path) -> dict[str, list[tuple[str, str]]]:
    """lemma -> [(pos, offset), ...] in WordNet's sense order."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, pos in POS_FILES.items():
        with open(wordnet / f"index.{name}", encoding="latin-1") as fh:
            for line in fh:
                if line.startswith("  "):
                    continue
                p = line.split()
                senses = int(p[2])
                out[p[0]].extend((pos, off) for off in p[-senses:])
    return out


def semcor_counts(wordnet: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    with open(wordnet / "cntlist.rev", encoding="latin-1") as fh:
        for line in fh:
            key, _, n = line.split()
            counts[key.split("%")[0]] += int(n)
    return counts


def usable(expansion: str, stop: frozenset[str]) -> bool:
    return (
        len(expansion) >= 3
        and expansion.lower() not in stop
        and not re.search(r"[\d.]", expansion)
        and not (" " not in expansion and expansion[0].isupper())
        and all(part.isalpha() or "-" in part or "'" in part for part in expansion.split(" "))
    )


def build(wordnet: Path) -> list[tuple[str, str, str, str, str]]:
    stop = _spacy_stop_words()
    data, index, semcor = read_data(wordnet), read_index(wordnet), semcor_counts(wordnet)
    rows: dict[tuple[str, str], tuple[str, str, str]] = {}
    for word in sorted(stop):
        if len(word) < 2 or word not in index:
            continue  # one letter ("a", "i"): web counts mix it with letters, initials and typos
        expected = ngrams.unigram(word) / ngrams.TOTAL * SEMCOR_WORDS
        if semcor[word] >= MAX_CONTENT_SHARE * expected:
            continue
        if any(data[sense][2].startswith("the cardinal number") for sense in index[word]):
            continue  # a number word ("eight" -> "octet", "nine" -> "baseball team")
        for pos, offset in index[word]:
            if pos not in USED_POS:
                continue
            lemmas, pointers, gloss = data[(pos, offset)]
            found = [(lemma, "synonym") for lemma in lemmas if lemma.lower() != word and usable(lemma, stop)]
            if not found:  # no synonym to write ("are" -> "ar"): a spinner falls back on the broader term
                for symbol, hyper, hpos in pointers:
                    if symbol in ("@", "@i"):
                        found += [(lemma, "hypernym") for lemma in data[(hpos, hyper)][0] if " " in lemma]
            for expansion, relation in found:
                key = (expansion, word)
                if usable(expansion, stop) and key not in rows:
                    rows[key] = (relation, f"{pos}.{offset}", gloss.split(";")[0])
    return sorted((e, w, *rest) for (e, w), rest in rows.items())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    ap.add_argument("--out", type=Path, default=ROOT / "spinlint/plugins/lexical/homographs.tsv")
    args = ap.parse_args(argv)
    if not (args.wordnet / "data.noun").exists():
        print(f"{args.wordnet}: no WordNet 3.0 database (apt-get install wordnet-base)", file=sys.stderr)
        return 2
    rows = build(args.wordnet)
    with open(args.out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(
            "# Generated by scripts/build_homographs.py from WordNet 3.0"
            " (Princeton University; see LICENSE-WordNet).\n"
        )
        fh.write("expansion\tfunction_word\trelation\tsense\tgloss\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")
    print(f"{len(rows)} expansions of {len({r[1] for r in rows})} function words -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
