"""The anchored scans give exactly what ``finditer`` gives: they are only faster."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from spinlint.plugins.glitch import detached_hyphen, glued_word
from spinlint.plugins.idiom import number_unit

SEPARATORS = [
    " ",
    "  ",
    "\n",
    "\t",
    "\xa0",
    "",
    "",
    ",",
    ".",
    "-",
    "- ",
    "-\t",
    "_",
    "(",
    "\n\n",
    "’",
    "'",
    "/",
    "—",
]
NUMBERS = [
    "ten",
    "Ten",
    "TWO",
    "hundreds",
    "1",
    "1,000",
    "3.5",
    "45",
    "٣",
    "several",
    "a",
    "A",
    "long",
    "time",
    "while",
    "quite",
    "period",
    "some",
    "ages",
    "ago",
    "back",
]
NUMBERS += [
    "prior",
    "in",
    "the",
    "past",
    "since",
    "twenty-five",
    "5-year",
    "-year",
    "-Years",
    "year",
    "days",
    "-day",
    "-week-old",
    "old",
    "elderly",
    "s",
]
HYPHENS = [
    "Kremlin",
    "low",
    "pre",
    "backed",
    "income",
    "44-year",
    "old",
    "kilo",
    "mega",
    "and",
    "or",
    "to",
    "A",
    "b",
    "x2",
    "3D",
    "_",
    "é",
    "Über",
    "ß",
    "’",
    "'",
    "-",
    "--",
]
HYPHENS += ["ŉ", "ǅ", "well", "self", "don’t", "it's"]
GLUES = [
    "the",
    "an",
    "a",
    "of",
    "in",
    "into",
    "with",
    "from",
    "as",
    "to",
    "UN",
    "EU",
    "NATO",
    "USs",
    "s",
    "x",
    "theUN",
    "anEU",
    "ofNATO",
    "A",
    "B",
    "É",
    "_",
    "’s",
    "-wide",
    "'s",
]
GLUES += ["CD", "thewith", "intoUS"]


def texts(tokens: list[str]) -> st.SearchStrategy[str]:
    piece = st.tuples(st.sampled_from(tokens), st.sampled_from(SEPARATORS)).map("".join)
    return st.lists(piece, min_size=1, max_size=14).map("".join)


def same(pattern: re.Pattern[str], scan: Callable[[str], Iterator[re.Match[str]]], text: str) -> None:
    expected = [(m.span(), m.groups()) for m in pattern.finditer(text)]
    assert [(m.span(), m.groups()) for m in scan(text)] == expected


@settings(max_examples=400, deadline=None)
@given(texts(NUMBERS))
def test_number_scans_match_finditer(text: str) -> None:
    for pattern, anchor in (
        (number_unit.SPUN_AGO, number_unit.DURATION_AT),
        (number_unit.AGE, number_unit.UNIT_AT),
    ):
        same(pattern, lambda t, p=pattern, a=anchor: number_unit.after_number(p, a, t), text)


@settings(max_examples=400, deadline=None)
@given(texts(HYPHENS))
def test_detached_hyphen_scan_matches_finditer(text: str) -> None:
    same(detached_hyphen.PATTERN, detached_hyphen.detached, text)


@settings(max_examples=400, deadline=None)
@given(texts(GLUES))
def test_glued_word_scan_matches_finditer(text: str) -> None:
    same(glued_word.PATTERN, glued_word.glued, text)


# The sentence splitter matches the stop itself; the plain statement of the rule is "an end
# right after . ! ? (and closing quotes) before whitespace and a capital or digit".
SENTENCE_SPEC = re.compile(r"(?<=[.!?])[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n[ \t\r]*\n")
SENTENCE_TOKENS = [
    "Yes",
    "no",
    "A1",
    "9",
    ".",
    "!",
    "?",
    "?!",
    "...",
    '"',
    "”",
    "’",
    ")",
    "]",
    "(",
    "“",
    "e.g.",
    "\n",
]


@settings(max_examples=400, deadline=None)
@given(texts(SENTENCE_TOKENS))
def test_sentence_ends_match_the_lookbehind_statement(text: str) -> None:
    from spinlint.document import SENTENCE_END

    assert [m.end() for m in SENTENCE_END.finditer(text)] == [m.end() for m in SENTENCE_SPEC.finditer(text)]


def test_blank_between_allows_one_line_break_but_no_punctuation_blank_line_or_markup() -> None:
    from spinlint.document import Document
    from spinlint.sources import decode, extract
    from spinlint.textscan import blank_between

    def doc(text: str, name: str = "t.txt") -> Document:
        src = decode(name, text.encode("utf-8"))
        prose = extract(src)
        return Document(source=src, prose=prose.text, breaks=prose.breaks)

    assert blank_between(doc("or not or not"), 0, 3)
    assert blank_between(doc("or not\nor not"), 0, 3)  # wrapped prose
    assert not blank_between(doc("or not\n\nor not"), 0, 3)  # a blank line
    assert not blank_between(doc("or not, or not"), 0, 3)  # punctuation
    html = doc("<p>or not</p><p>or not</p>", "t.html")  # masked markup: blanks in the prose only
    assert [w.text for w in html.words] == ["or", "not", "or", "not"]
    assert not blank_between(html, 0, 3)
