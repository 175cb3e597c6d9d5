from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from spinlint.document import Document
from spinlint.lexicon import thesaurus
from spinlint.lexicon.cache import load_or_build
from spinlint.lexicon.ngrams import bigram
from spinlint.lexicon.thesaurus import synonyms
from spinlint.model import Applicability, Diagnostic, Severity, Span
from spinlint.packs import match_case
from spinlint.rule import Rule
from spinlint.textscan import anchored_finditer, run_before

NUMBER = (
    r"\d+(?:[.,]\d+)?|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|hundred|hundreds|thousand|thousands|several|dozens"
)
# Paraphrases of a plural time unit: "ten years ago" -> "ten a long time back".  After a
# cardinal number only a unit noun is grammatical, so any of these after a number is damage.
DURATION = r"a\s+long\s+time|a\s+long\s+while|quite\s+a\s+while|a\s+while|a\s+long\s+period|some\s+time|ages"
AGO = r"ago|back|prior|previously|before|earlier|since|in\s+the\s+past"
# "ago" words a spinner substitutes that carry no other meaning here: restored to "ago".
AGO_SWAPS = frozenset({"back", "prior", "previously"})
SPUN_AGO = re.compile(rf"\b({NUMBER})\s+({DURATION})(?:\s+({AGO}))?\b", re.IGNORECASE)
AGE = re.compile(rf"\b({NUMBER})-(year|month|week|day)(s?)-([a-z]+)\b", re.IGNORECASE)
# Both patterns open with a number, which cannot hold white space or a hyphen.  Trying the
# NUMBER alternation at every word boundary is slow, so matches are looked for only just before
# what must follow the number (see ``after_number``): a duration, or "-year" and the like.  The
# look-ahead holds the first letters of DURATION's alternatives: it only lets the engine skip
# words fast.
_FIRST = "".join(sorted({alternative[0] for alternative in DURATION.split("|")}))
DURATION_AT = re.compile(rf"\b(?=[{_FIRST}])(?:{DURATION})\b", re.IGNORECASE)
UNIT_AT = re.compile(r"-(?:year|month|week|day)", re.IGNORECASE)
# A cheap test without which AGE cannot match.
AGE_HINTS = ("-year", "-month", "-week", "-day")


def _number_window(text: str, found: re.Match[str], pos: int) -> tuple[int, int]:
    """Where a match of SPUN_AGO or AGE can start, given the first duration / unit anchor from
    ``pos`` on: every match is a number (word characters, "." and ","), white space or none,
    then the anchor.  The next match has its anchor at or after this one and starts in the run
    of number characters and white space just before it: a match starting before the run would
    hold the anchor's first character inside its number, and that character is a hyphen or
    opens a word."""
    at = found.start()
    lo = run_before(text, at, pos, str.isspace)
    return run_before(text, lo, pos, lambda c: c.isalnum() or c in "_.,"), at


def after_number(pattern: re.Pattern[str], anchor: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for SPUN_AGO (anchor DURATION_AT) or AGE (anchor UNIT_AT)."""
    return anchored_finditer(pattern, anchor, text, _number_window)


def _build_old_synonyms() -> tuple[str, ...]:
    return tuple(w for w in synonyms("old") if w.isalpha() and w != "old")


@lru_cache(maxsize=1)
def old_synonyms() -> frozenset[str]:
    """Single-word Moby synonyms of 'old': what a spinner puts in '10-year-old' (cached on
    disk: linting never loads the whole thesaurus index for one entry, ~0.1 s)."""
    sources = (thesaurus._path(), __file__)
    return frozenset(load_or_build("old-synonyms", "1", sources, _build_old_synonyms, isolate=True))


class NumberUnitPhrase(Rule):
    """Number-unit expression with the unit spun away ("ten a long time back", "5-year-elderly").

    ## What it does
    Flags a cardinal number followed by a paraphrase of a time unit instead of the unit
    ("ten a long time back", "two a while prior" for "ten years ago", "two years ago"), and
    age compounds whose last part is a thesaurus synonym of "old" ("a 45-year-elderly man").

    ## Why it matters
    Spinners rewrite "years" as "a long time" and "ago" as "back" or "prior", and "old" as
    "elderly" or "aged", word by word.  After a cardinal number English needs a unit noun, so
    these forms are ungrammatical and never come from an honest writer.

    ## Example
    The plant closed ten a long time back, and a 45-year-elderly worker was hurt.

    ## Use instead
    The plant closed ten years ago, and a 45-year-old worker was hurt.

    ## Fix safety
    Unsafe: the original unit may have been months or decades rather than years; check the
    source.

    ## References
    English cardinal + unit-noun syntax (Huddleston & Pullum, The Cambridge Grammar of the
    English Language, 2002, ch. 5); synonyms of "old" from the Moby thesaurus (Grady Ward,
    public domain).
    """

    code = "IDM002"
    name = "number-unit-phrase"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        prose = doc.prose
        lower = doc.lower_prose
        for m in after_number(SPUN_AGO, DURATION_AT, prose):
            number, duration, ago = m.group(1), m.group(2), m.group(3)
            before = prose[max(0, m.start() - 12) : m.start()].lower()
            if number.lower() in {"hundreds", "thousands", "dozens", "several"} and not ago:
                continue  # "thousands a while ago" is odd, but "several ... some time" can be honest
            if re.search(r"\b(?:the|of|one)\s*$", before) and not ago:
                continue
            unit = "years"
            tail = "ago" if ago and ago.lower() in AGO_SWAPS else (ago or "")
            fixed = " ".join(x for x in (number, unit, tail) if x)
            yield self.diagnostic(
                Span(m.start(), m.end()),
                f"'{m.group()}': a number followed by '{' '.join(duration.split())}' instead of a time unit; "
                f"spinners write this for '{number} years ago'",
                confidence=0.85 if ago else 0.7,
                suggestions=[fixed],
                applicability=Applicability.UNSAFE,
                evidence=[("pattern", "NUMBER + duration paraphrase" + (" + ago-word" if ago else ""))],
            )
        ages = after_number(AGE, UNIT_AT, prose) if any(h in lower for h in AGE_HINTS) else ()
        for m in ages:
            number, unit, plural, word = m.groups()
            if word.lower() not in old_synonyms() or bigram(unit, word):
                continue  # a common pair ("year long") is an honest compound
            fixed = f"{number}-{unit}{plural}-{match_case('old', word)}"
            yield self.diagnostic(
                Span(m.start(), m.end()),
                f"'{m.group()}': '{word}' is a thesaurus synonym of 'old' in an age compound; "
                f"the fixed form is '{fixed}'",
                confidence=0.85,
                suggestions=[fixed],
                applicability=Applicability.UNSAFE,
                evidence=[("relation", "Moby synonym of 'old'")],
            )
