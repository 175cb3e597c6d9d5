"""``finditer`` for patterns that are slow to try everywhere but always contain a cheap anchor.

A pattern whose first part backtracks (an alternation of numbers, a word followed by a hyphen)
costs a try at every position of a document.  When every match holds a match of a simple
*anchor* pattern at a place the caller can bound, the anchor is searched first (fast) and the
slow pattern is tried only at the few positions before it where a match could start.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spinlint.document import Document

# (text, anchor match, end of the last match) -> (first, last) positions where a match could start
Window = Callable[[str, re.Match[str], int], tuple[int, int]]


def anchored_finditer(
    pattern: re.Pattern[str], anchor: re.Pattern[str], text: str, window: Window, lead: int = 0
) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)``, given that the next match always starts in
    ``window(text, a, pos)`` for ``a`` the first anchor match searched from ``pos + lead``
    (``pos``: where the last match ended).  Each caller states why its window is complete."""
    pos = 0
    while (found := anchor.search(text, pos + lead)) is not None:
        lo, hi = window(text, found, pos)
        for start in range(lo, hi + 1):
            m = pattern.match(text, start)
            if m is not None:
                yield m
                pos = m.end()
                break
        else:
            pos = hi + 1


def run_before(text: str, at: int, pos: int, chars: Callable[[str], bool]) -> int:
    """The start of the run of characters satisfying ``chars`` that ends at ``at`` (not before ``pos``)."""
    while at > pos and chars(text[at - 1]):
        at -= 1
    return at


def blank_between(doc: Document, first: int, last: int) -> bool:
    """Words ``first`` .. ``last`` of ``doc.words`` follow each other with only blanks between
    them, one line break at most (wrapped prose), never a blank line, punctuation or markup (the
    reader masks markup with blanks in the prose, so the source text is checked too: a heading
    and the paragraph after it are not one run)."""
    prose, text, words = doc.prose, doc.text, doc.words
    for k in range(first, last):
        a, b = words[k].end, words[k + 1].start
        gap = prose[a:b]
        if not gap or not gap.isspace() or gap.count("\n") > 1 or not text[a:b].isspace():
            return False
    return True
