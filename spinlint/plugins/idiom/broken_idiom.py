from __future__ import annotations

from collections.abc import Iterator

from spinlint.document import Document
from spinlint.lexicon.ngrams import bigram
from spinlint.model import Applicability, Diagnostic, Severity, Span
from spinlint.packs import match_case
from spinlint.plugins.idiom.lexicon import (
    FUNCTION_WORDS,
    Slot,
    anchors,
    inflect_like,
    regular_lemmas,
    relation,
    relatives,
)
from spinlint.rule import Rule

# A frozen idiom whose swap leaves every bigram attested is flagged only when the swapped-in
# word is at most this share as common as the original next to the same neighbours: the
# variant is then at least five times rarer than the idiom by local evidence.
RARE_RATIO = 0.2


class BrokenIdiom(Rule):
    """Idiom or fixed expression with one word swapped for a synonym ("kick the pail").

    ## What it does
    Finds a known idiom or fixed expression with all its words in place but one content word,
    which is replaced by a thesaurus relative of the original: "kick the pail", "by and
    sizable", "in the long haul", "at the end of the afternoon".  Inflections are followed
    ("kicked the pails" -> "kicked the buckets").

    ## Why it matters
    Synonym spinners replace words one at a time and do not know that idioms are frozen; the
    result reads as a stumble to a native speaker and is one of the clearest signs of spun
    text.  A swap is flagged only with evidence: the swapped-in word is a Moby thesaurus
    relative of the original, and either a bigram it forms with its neighbour is absent from
    the Google Web Trillion Word counts while the idiom's bigram is present, or (for frozen
    idioms of three words or more) the variant is at least five times rarer than the idiom
    next to the same neighbours.  Honest writers vary idioms too ("pain and grief"), so
    when the spin detector (SPN) scores the file, this rule's findings are shown only in a
    file it judges suspicious or worse; selected without SPN, it reports everywhere.

    ## Example
    By and sizable, the plan worked, and the old firm finally kicked the pail.

    ## Use instead
    By and large, the plan worked, and the old firm finally kicked the bucket.

    ## Fix safety
    Unsafe: the writer may have meant the literal phrase, so review each restoration.

    ## References
    Idiom list: write-good cliché list (Brian Ford, MIT licence, as shipped in proselint) plus a
    curated list of common English fixed expressions; Moby thesaurus (Grady Ward, public
    domain); bigram counts from the Google Web Trillion Word Corpus (Brants & Franz 2006) via
    wordsegment.
    """

    code = "IDM001"
    needs_spun_verdict = True  # honest prose varies idioms too ("pain and grief")
    name = "broken-idiom"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        by_first = anchors()
        low = doc.folded_words
        last = len(low) - 1
        seen: set[int] = set()
        for k, entry in enumerate(map(by_first.get, low)):
            if entry is None:
                continue
            cands, seconds = entry
            if seconds and k < last:
                more = seconds.get(low[k + 1])
                if more:
                    cands = [*cands, *more]
            for cand in cands:
                start = k - cand.anchor_at
                if start in seen or not cand.fits(low, start):
                    continue
                diag = self._verify(doc, low, start, cand)
                if diag is not None:
                    seen.add(start)
                    yield diag

    def _verify(self, doc: Document, low: list[str], start: int, cand: Slot) -> Diagnostic | None:
        """The evidence for a window that ``cand.fits``."""
        idiom = cand.idiom
        n = len(idiom.words)
        found, original = low[start + cand.slot], idiom.words[cand.slot]
        ws = doc.words
        if ws[start + cand.slot].text[:1].isupper() and cand.slot > 0:
            return None  # a capitalised word inside the phrase is a name, not a swap
        # the expression must be contiguous prose: only spaces between its words
        if any(doc.prose[ws[j].end : ws[j + 1].start].strip() for j in range(start, start + n - 1)):
            return None
        if relatives(original).isdisjoint(regular_lemmas(found)):
            return None  # no thesaurus link: ``relation`` below would find none
        at = start + cand.slot
        evidence: list[tuple[str, str]] = []
        broken = False
        ratio = 1.0
        for j, before in ((at - 1, True), (at + 1, False)):
            if not 0 <= j < len(low) or doc.prose[ws[min(j, at)].end : ws[max(j, at)].start].strip():
                continue
            pair_o = (low[j], original) if before else (original, low[j])
            pair_f = (low[j], found) if before else (found, low[j])
            c_o, c_f = bigram(*pair_o), bigram(*pair_f)
            if c_o:
                evidence.append(("bigrams", f"'{' '.join(pair_o)}': {c_o:,}; '{' '.join(pair_f)}': {c_f:,}"))
                ratio = min(ratio, c_f / c_o)
                broken = broken or c_f == 0
        content = [w for i, w in enumerate(idiom.words) if i != cand.slot and w not in FUNCTION_WORDS]
        if not content and not (
            at > start and bigram(low[at - 1], original) and not bigram(low[at - 1], found)
        ):
            # "by the way": one content word in a frame of function words is weak evidence;
            # the frame's own pair must break ("and sizable"), not a pair outside it
            return None
        if not broken and not (idiom.frozen and ratio <= RARE_RATIO):
            return None
        why = relation(original, found)
        if not why:
            return None
        replacement = match_case(inflect_like(original, found), ws[at].text)
        span = Span(ws[start].start, ws[start + n - 1].end)
        fixed = " ".join(replacement if i == cand.slot else ws[start + i].text for i in range(n))
        shown = doc.text[span.start : span.end]
        if broken:
            confidence = 0.85 if content else 0.7
            reason = "the swapped-in word breaks a common word pair"
        else:
            confidence = 0.55
            reason = f"the variant is {1 / max(ratio, 1e-9):.0f}x rarer than the idiom next to the same words"
        return self.diagnostic(
            span,
            f"'{shown}' looks like the fixed expression '{idiom.text}' with '{original}' swapped for "
            f"'{ws[at].text}' ({why}); {reason}",
            confidence=confidence,
            suggestions=[fixed],
            applicability=Applicability.UNSAFE,
            evidence=[("expression", f"{idiom.text} ({idiom.source})"), ("relation", why), *evidence],
        )
