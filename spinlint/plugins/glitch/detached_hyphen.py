from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from spinlint.document import Document
from spinlint.model import Applicability, Diagnostic, Edit, Fix, Severity, Span
from spinlint.rule import Rule
from spinlint.textscan import anchored_finditer, run_before

# "Kremlin- backed": a word, a hyphen, one space, a lower-case word.  Suspended hyphens
# ("pre- and post-war", "low- to middle-income") are honest English: the next word is a
# conjunction or preposition, or the phrase goes on with another hyphenated word.
PATTERN = re.compile(r"(?<![\w-])(\w[\w’'-]*?[^\W\d_][\w’']*|[^\W\d_][\w’']*)-[ \t]+([a-z][a-z’']*)\b(-?)")
# The end of a suspended list: "kilo-, mega- and giga- are used" (an earlier "X-," or "X- and").
SUSPENDED_BEFORE = re.compile(r"\w-[ \t]*(?:,|\b(?:and|or|nor|to)\b)[^.!?]{0,40}$")
SUSPENDED = frozenset({"and", "or", "nor", "to", "through", "versus", "vs", "than", "as", "but", "not"})
# What follows the first part in every PATTERN match: PATTERN is tried only just before it.
HYPHEN_SPACE = re.compile(r"-[ \t]+[a-z]")


def _hyphen_window(text: str, found: re.Match[str], pos: int) -> tuple[int, int]:
    """The first part of the next match holds word characters, apostrophes and hyphens and ends
    at the first HYPHEN_SPACE from the last match on, so it starts in the run of those
    characters just before it: a match starting before the run would hold that place's blank."""
    at = found.start()
    return run_before(text, at, pos, lambda c: c.isalnum() or c in "_’'-"), at


def detached(prose: str) -> Iterator[re.Match[str]]:
    """``PATTERN.finditer(prose)``, tried only where a hyphen, blanks and a lower-case letter
    follow a word.  Trying PATTERN at every word is slow: its first part backtracks."""
    return anchored_finditer(PATTERN, HYPHEN_SPACE, prose, _hyphen_window)


class DetachedHyphen(Rule):
    """Detached hyphen inside a compound ("Kremlin- backed").

    ## What it does
    Flags a hyphenated compound whose second half was pushed away from the hyphen by a space,
    as in "a Kremlin- backed group" or "low- income families".

    ## Why it matters
    Spinners re-tokenise text, replace words and glue it back together; compounds come out
    with a space after the hyphen.  Human writers almost never produce this outside
    suspended hyphens ("pre- and post-war"), which the rule leaves alone.

    ## Example
    A Kremlin- backed group claimed the attack.

    ## Use instead
    A Kremlin-backed group claimed the attack.

    ## Fix safety
    Safe: removing the space restores the compound and changes no word.

    ## References
    Observed in spun news copy (e.g. Reuters stories re-published through spinners); the
    suspended-hyphen exception follows the Chicago Manual of Style, 7.87.
    """

    code = "GLT001"
    name = "detached-hyphen"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        prose = doc.prose
        for m in detached(prose):
            left, right, hyphen_after = m.group(1), m.group(2), m.group(3)
            if right in SUSPENDED or hyphen_after:
                continue
            tail = prose[m.end() : m.end() + 40]
            if re.match(r"\s*(?:,|and\b|or\b)", tail) and "-" in tail:
                continue  # "first- , second- and third-year": a suspended list
            if SUSPENDED_BEFORE.search(prose, max(0, m.start() - 60), m.start()):
                continue  # "kilo-, mega- and giga- are used": the last member of such a list
            gap = Span(m.start(1) + len(left) + 1, m.start(2))
            if doc.text[gap.start : gap.end].strip():
                continue  # markup was masked there ("non-`None` values"): not a detached hyphen
            span = Span(m.start(1), m.end(2))
            joined = f"{left}-{right}"
            diag = self.diagnostic(
                span,
                f"Detached hyphen in '{left}- {right}': spinners split compounds this way; write '{joined}'",
                confidence=0.9,
                suggestions=[joined],
                applicability=Applicability.SAFE,
            )
            yield replace(diag, fix=Fix(Applicability.SAFE, f"Join as '{joined}'", (Edit(gap, ""),)))
