from __future__ import annotations

from collections.abc import Iterator

from spinlint.document import Document
from spinlint.model import Applicability, Diagnostic, Severity, Span
from spinlint.packs import match_case
from spinlint.plugins.entity.names import (
    attested,
    capitalised,
    contiguous,
    known_names,
    missing_pair,
    name_index,
)
from spinlint.plugins.idiom.lexicon import FUNCTION_WORDS, regular_lemmas, same_lemma
from spinlint.rule import Rule


def _keys(word: str) -> tuple[str, ...]:
    """The word and naive singulars, for the index look-up (no lemmatiser per word)."""
    if word.endswith("ies"):
        return (word, word[:-3] + "y")
    if word.endswith("s"):
        return (word, word[:-1])
    return (word,)


class SpunName(Rule):
    """Well-known proper name with its words swapped for synonyms ("the Joined Countries").

    ## What it does
    Flags a word sequence that matches a well-known multiword name (an organisation, country,
    agency or disease) word by word, where at least one word is replaced by a Moby thesaurus
    synonym: "the Joined Countries" (United Nations), "Related Press" (Associated Press),
    "serious intense respiratory disorder" (severe acute respiratory syndrome).

    ## Why it matters
    Spinners do not know that names are fixed and translate them word by word.  The rule
    needs strong evidence: every word pair of the real name is common in web text, while the
    variant contains a pair that is not; a two-word variant must also be capitalised like a
    name, so honest descriptions ("joined countries") are left alone.

    ## Example
    The Joined Countries called for a truce, Related Press reported.

    ## Use instead
    The United Nations called for a truce, Associated Press reported.

    ## Fix safety
    Unsafe: a rare real name can look like a spun one; check before replacing.

    ## References
    Name list curated from general knowledge (spinlint/plugins/entity/names.tsv); Moby
    thesaurus (Grady Ward, public domain); bigram counts from the Google Web Trillion Word
    Corpus (Brants & Franz 2006) via wordsegment.
    """

    code = "ENT002"
    name = "spun-proper-name"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        index, stand_ins = name_index()
        ws = doc.words
        low = [w.lower for w in ws]
        done: set[int] = set()
        for k, word in enumerate(low):
            for key in _keys(word):
                for name, pos in index.get(key, ()):
                    start = k - pos
                    if start in done or start < 0 or start + len(name) > len(ws):
                        continue
                    diag = self._verify(doc, low, start, name, stand_ins)
                    if diag is not None:
                        done.add(start)
                        yield diag

    def _verify(
        self,
        doc: Document,
        low: list[str],
        start: int,
        name: tuple[str, ...],
        stand_ins: dict[str, frozenset[str]],
    ) -> Diagnostic | None:
        ws = doc.words
        n = len(name)
        window = tuple(low[start : start + n])
        canon = tuple(w.lower() for w in name)
        if not any(window[i] == canon[i] for i in range(n) if canon[i] not in FUNCTION_WORDS):
            return None  # cheap first: a content word of the name must stay in place
        if window in {tuple(w.lower() for w in other) for other in known_names()}:
            return None  # another well-known name ("United Nations" beside "United States")
        swapped = [i for i in range(n) if not same_lemma(window[i], canon[i])]
        if not swapped or len(swapped) == n:
            return None  # a name with no word left in place ("System Library") is no evidence
        for i in range(n):
            if i not in swapped:
                continue
            if not (regular_lemmas(window[i]) & stand_ins[canon[i]]) or not window[i].isalpha():
                return None
        if any(not contiguous(doc, ws[j], ws[j + 1]) for j in range(start, start + n - 1)):
            return None
        if not attested(canon):
            return None
        gap = missing_pair(window)
        if not gap:
            return None
        is_capitalised = all(capitalised(ws[start + i]) for i in swapped)
        if n == 2 and not is_capitalised:
            return None
        span = Span(ws[start].start, ws[start + n - 1].end)
        fixed = " ".join(
            match_case(name[i], ws[start + i].text)
            if i in swapped and ws[start + i].text[:1].isupper()
            else (canon[i] if i in swapped else ws[start + i].text)
            for i in range(n)
        )
        shown = doc.text[span.start : span.end]
        return self.diagnostic(
            span,
            f"'{shown}' looks like the name '{' '.join(name)}' translated word by word "
            f"({', '.join(repr(ws[start + i].text) + ' for ' + repr(name[i]) for i in swapped)}); "
            f"'{gap}' is not a common pair, while the name's pairs all are",
            confidence=0.85 if is_capitalised else 0.75,
            suggestions=[fixed],
            applicability=Applicability.UNSAFE,
            evidence=[("name", " ".join(name)), ("missing pair", gap)],
        )
