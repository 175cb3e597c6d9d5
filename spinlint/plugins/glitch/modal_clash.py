from __future__ import annotations

from collections.abc import Iterator

from spinlint.document import Document
from spinlint.model import Diagnostic, Severity, Span
from spinlint.rule import Rule
from spinlint.textscan import blank_between

# A negated auxiliary (do, be, have) followed by a modal verb: "doesn't would like", "is not
# should".  English puts the modal first ("would not like") and never after a negated do, be
# or have.  Left out: "will" and "can", which are also nouns and verbs ("did not will his
# estate", "do not can the peaches"); a capitalised "May" (the month: modals are matched in
# lower case); double modals without a negation ("might could"), regional English, not a seam.
AUXILIARIES = frozenset({"do", "does", "did", "is", "are", "was", "were", "has", "have", "had"})
NEGATED = frozenset(f"{a}n't" for a in AUXILIARIES if a != "do") | {"don't"}
MODALS = frozenset({"would", "could", "shall", "should", "may", "might", "must"})


def clashes(doc: Document) -> Iterator[tuple[int, int]]:
    """``(first word, modal)`` of each negated auxiliary followed by a modal, by word index."""
    lowers = doc.folded_words
    words = doc.words
    for k in [k for k, w in enumerate(words) if k and w.text in MODALS]:
        if lowers[k - 1] in NEGATED:
            first = k - 1
        elif lowers[k - 1] == "not" and k >= 2 and lowers[k - 2] in AUXILIARIES:
            first = k - 2
        else:
            continue
        if blank_between(doc, first, k):
            yield first, k


class ModalClash(Rule):
    """A negated auxiliary followed by a modal verb ("doesn't would like").

    ## What it does
    Flags *do*, *be* or *have* with a negation followed directly by a modal verb, as in "the
    site doesn't would like its pages crawled" or "it is not should". *Will* and *can* are
    left out (also nouns and verbs: "did not will his estate"), as is the month *May*.

    ## Why it matters
    A phrase-level spinner rewrites a verb as a phrase without parsing the sentence: "does not
    wish" becomes "doesn't would like". English allows no modal after a negated auxiliary, so
    the result is a grammatical seam no writer leaves; in the benchmark's clean corpus (493k
    words of edited news, encyclopaedia and documentation prose) it occurs nowhere. Regional
    double modals without a negation ("might could") are not flagged.

    ## Example
    A site that doesn't would like its pages crawled can say so in robots.txt.

    ## Use instead
    A site that does not wish its pages crawled can say so in robots.txt.

    ## Fix safety
    No fix: the original verb cannot be read back from the seam.

    ## References
    The order of English auxiliaries (modal, then perfect *have*, then progressive *be*; *do*
    only alone): Quirk et al., *A Comprehensive Grammar of the English Language* (1985), 3.30;
    seen in SpinBot-style output of Wikipedia text.
    """

    code = "GLT005"
    name = "modal-after-negated-auxiliary"
    severity = Severity.WARNING
    fixable = False

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        words = doc.words
        for first, modal in clashes(doc):
            span = Span(words[first].start, words[modal].end)
            written = " ".join(doc.prose[span.start : span.end].split())
            yield self.diagnostic(
                span,
                f"'{written}' puts a modal verb after a negated auxiliary, which English does not "
                f"allow: a phrase-level spinner's seam (a verb expanded into a phrase, 'wish' -> "
                f"'would like')",
                confidence=0.85,
            )
