from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from spinlint.document import Document
from spinlint.model import Applicability, Diagnostic, Edit, Fix, Severity, Span
from spinlint.rule import Rule
from spinlint.textscan import anchored_finditer

# A lower-case function word glued to an acronym: "theUN", "anEU-wide", "ofNATO's".
# Brand names with a lower-case lead ("iPhone", "eBay") have a one-letter lead that is not
# a function word, and camelCase identifiers continue in lower case after one capital
# ("toString"), so both are outside the pattern.
FUNCTION_WORDS = (
    "the",
    "an",
    "a",
    "of",
    "in",
    "on",
    "to",
    "and",
    "for",
    "with",
    "by",
    "at",
    "from",
    "as",
    "into",
)
PATTERN = re.compile(
    r"(?<![\w@#./\\])("
    + "|".join(sorted(FUNCTION_WORDS, key=len, reverse=True))
    + r")([A-Z]{2,}s?(?:[-’'][\w]+)?)\b"
)
# A lower-case letter and two capitals, as where the function word meets the acronym: PATTERN
# is tried only just before this.  Written from the first capital (the lower-case letter in a
# look-behind) so the engine skips ahead to capitals.
GLUE = re.compile(r"[A-Z](?<=[a-z][A-Z])[A-Z]")
LONGEST = max(len(w) for w in FUNCTION_WORDS)


def _glue_window(text: str, found: re.Match[str], pos: int) -> tuple[int, int]:
    """The next match ends its function word at the first GLUE from the last match on (an
    earlier start would hold GLUE's capitals in the word), so it starts at most
    ``LONGEST - 1`` characters before GLUE's lower-case letter."""
    at = found.start() - 1  # the lower-case letter
    return max(pos, at - LONGEST + 1), at


def glued(prose: str) -> Iterator[re.Match[str]]:
    """``PATTERN.finditer(prose)``, tried only just before a GLUE."""
    return anchored_finditer(PATTERN, GLUE, prose, _glue_window, lead=1)


class GluedWord(Rule):
    """Function word glued to an acronym ("theUN", "anEU-wide").

    ## What it does
    Flags a lower-case article, preposition or conjunction written with no space before an
    acronym, such as "theUN" or "anEU-wide ban".

    ## Why it matters
    Spinners rebuild sentences from tokens and sometimes drop the space between a short
    function word and the following entity.  Edited prose never contains these forms, and
    they break search, spell checking and screen readers.

    ## Example
    The move was criticised by theUN and by anEU-wide coalition.

    ## Use instead
    The move was criticised by the UN and by an EU-wide coalition.

    ## Fix safety
    Safe: the fix inserts one space and changes no word.

    ## References
    Observed in spun news copy; the acronym-only pattern keeps brand names such as "iPhone"
    and camelCase identifiers out of scope.
    """

    code = "GLT002"
    name = "glued-word"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        for m in glued(doc.prose):
            lead, rest = m.group(1), m.group(2)
            split = f"{lead} {rest}"
            span = Span(m.start(), m.end())
            diag = self.diagnostic(
                span,
                f"'{m.group()}' glues '{lead}' to '{rest}': a spinner artefact; write '{split}'",
                confidence=0.85,
                suggestions=[split],
                applicability=Applicability.SAFE,
            )
            at = Span(m.start(2), m.start(2))
            yield replace(diag, fix=Fix(Applicability.SAFE, f"Insert a space: '{split}'", (Edit(at, " "),)))
