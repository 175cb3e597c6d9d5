from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from spinlint.document import Document
from spinlint.model import Applicability, Diagnostic, Edit, Fix, Severity, Span
from spinlint.rule import Rule
from spinlint.textscan import blank_between

LENGTHS = (2, 3, 4)  # words in the repeated run
# "side to side to", "more and more and more", "step by step by": a reduplicated idiom ("side
# to side") next to its own link word repeats two words honestly (``_reduplication``).
LINKS = frozenset({"to", "by", "in", "after", "upon", "on", "and", "for", "against"})


def _reduplication(run: list[str], before: str) -> bool:
    """A two-word run inside a reduplicated idiom: "side to | side to" (the run ends in the
    link word) or "more | and more and more" (it starts with the link, after the same word)."""
    return run[1] in LINKS or (run[0] in LINKS and before == run[1])


def repeats(doc: Document) -> Iterator[tuple[int, int]]:
    """``(first word, length)`` of each run of two to four words written twice in a row, the
    copies parted by blanks only (``blank_between``): "whether or not or not", "seem to be to
    be".  One word doubled ("very very", "had had", "that that") is honest English or an
    ordinary typo, so a run of one word repeated is left alone, as are runs that hold a number
    and runs in title case, where names and titles repeat on purpose (the book "Why Do You
    Think You Think?"), and two-word runs inside a reduplicated idiom ("from side to side to
    force", "more and more and more").  Leftmost first, the longest run at a place, never
    overlapping."""
    lowers = doc.folded_words
    words = doc.words
    found = []
    for n in LENGTHS:
        # a repeated run's first word equals the word n places on: a cheap scan for that first
        for i in [i for i, (a, b) in enumerate(zip(lowers, lowers[n:], strict=False)) if a == b]:
            run = lowers[i : i + n]
            if (
                lowers[i + n : i + 2 * n] == run
                and len(set(run)) > 1
                and not (n == 2 and _reduplication(run, lowers[i - 1] if i else ""))
                and all(t[0].isalpha() for t in run)
                and not all(w.text[0].isupper() for w in words[i : i + 2 * n])
                and blank_between(doc, i, i + 2 * n - 1)
            ):
                found.append((i, n))
    end = -1
    for i, n in sorted(found, key=lambda f: (f[0], -f[1])):
        if i > end:
            yield i, n
            end = i + 2 * n - 1


class RepeatedPhrase(Rule):
    """A run of two to four words written twice in a row ("whether or not or not").

    ## What it does
    Flags two to four words repeated immediately, such as "whether or not or not" or "do not
    seem to be to be crawled". A single word doubled ("very very", "had had") is left alone.

    ## Why it matters
    Phrase-level spinners expand a word into a phrase without reading what follows: "whether"
    becomes "whether or not" in front of the writer's own "or not", "are not" becomes "don't
    seem to be" in front of "to be". The seam is a phrase written twice, which careful writers
    and editors do not leave; in the benchmark's clean corpus (493k words of edited news,
    encyclopaedia and documentation prose) it occurs nowhere.

    ## Example
    Webmasters can choose whether or not or not to let the crawler in.

    ## Use instead
    Webmasters can choose whether or not to let the crawler in.

    ## Fix safety
    Safe: the fix removes the second copy, word for word the same as the first, and changes
    nothing else.

    ## References
    The same family as proselint's "lexical illusion" check (a doubled word), extended to
    phrases; seen in SpinBot-style output of Wikipedia text.
    """

    code = "GLT004"
    name = "repeated-phrase"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        words = doc.words
        for i, n in repeats(doc):
            first = doc.prose[words[i].start : words[i + n - 1].end]
            span = Span(words[i].start, words[i + 2 * n - 1].end)
            single = " ".join(first.split())
            written = " ".join(doc.prose[span.start : span.end].split())
            diag = self.diagnostic(
                span,
                f"'{written}' writes '{single}' twice: a phrase-level spinner's seam (a word "
                f"expanded into a phrase in front of the same words); write it once",
                confidence=0.9,
                suggestions=[first],
                applicability=Applicability.SAFE,
            )
            cut = Edit(Span(words[i + n - 1].end, span.end), "")
            yield replace(diag, fix=Fix(Applicability.SAFE, f"Write '{single}' once", (cut,)))
