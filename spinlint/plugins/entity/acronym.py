"""ENT004: a defined acronym whose spelled-out form no longer spells it ("framework as a help (IaaS)")."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from spinlint.document import Document, Word
from spinlint.lexicon import originals, spinmap
from spinlint.model import Applicability, Diagnostic, Severity, Span
from spinlint.packs import match_case
from spinlint.plugins.idiom.lexicon import FUNCTION_WORDS
from spinlint.rule import Rule

# "long form (SF)": a short form of 2-12 characters with at least two capitals ("IaaS",
# "CRP", "SARS-CoV-2"; not "Fed", "Ltd" or a year), right after the long form.
SHORT_FORM = re.compile(r"\(([A-Za-z][A-Za-z0-9-]{1,11})\)")
MIN_CAPITALS = 2
# A restoration not among the pack's correct terms must make the long form at least this much
# more probable to the phrase model (log10, the trigrams from the two words before the long
# form to the word after the acronym): an honest description before an acronym ("the main
# opposition party (PDP)") can be forced into the letters with thesaurus words too, but only
# into improbable English ("principal difference party", 10^-5.5).
MIN_GAIN = 1.0
MAX_ALTERNATIVES = 400  # per word: Moby originals and the spinner map, in their order


def short_form_letters(short: str) -> str:
    return "".join(c for c in short.lower() if c.isalnum())


def _fits(group: str, word: str) -> bool:
    """``group`` (one or more short-form characters) is spelled by ``word``: its first
    character is the word's initial and the rest follow in order inside the word."""
    if not group or not word or word[0] != group[0]:
        return False
    at = 1
    for c in group[1:]:
        at = word.find(c, at) + 1
        if at == 0:
            return False
    return True


def schwartz_hearst(short: str, long: str) -> bool:
    """Whether ``long`` spells ``short`` as Schwartz & Hearst (2003) match a definition: the
    short form's characters found right to left in the long form, the first at a word start."""
    s, lf = short_form_letters(short), long.lower()
    if not s:
        return False
    li = len(lf) - 1
    for si in range(len(s) - 1, -1, -1):
        c = s[si]
        while li >= 0 and (lf[li] != c or (si == 0 and li > 0 and lf[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return False
        li -= 1
    return True


@dataclass(frozen=True)
class Restoration:
    words: tuple[str, ...]  # the long form restored, lower case
    replaced: tuple[int, ...]  # positions (in the long form) whose word was replaced


def restorations(
    written: Sequence[str],
    letters: str,
    alternatives: Sequence[Sequence[str]],
    skippable: Sequence[bool],
    slack: int = 1,
    limit: int = 2000,
) -> list[Restoration]:
    """The ways of spelling ``letters`` with a run of ``written`` that ends at its last word,
    with some words replaced by one of their ``alternatives``: each word of the run spells
    letters as written (one or more: ``_fits``), or replaced, the one letter its replacement
    starts with, or, if ``skippable`` (a function word inside the run), none; the run starts
    with a word that spells.  Restorations with at most ``slack`` replacements more than the
    fewest possible are returned, at most ``limit``, without repeats; none when the written
    words spell the letters themselves, or when nothing does."""
    n, k = len(written), len(letters)
    inf = n + 1

    @cache
    def cost(i: int, j: int) -> int:
        """The fewest replacements to spell letters[:j] with a run ending at word i - 1."""
        if j == 0:
            return 0
        if i == 0:
            return inf
        best = inf
        for g in range(1, j + 1):
            if _fits(letters[j - g : j], written[i - 1]):
                best = min(best, cost(i - 1, j - g))
        if any(a[0] == letters[j - 1] for a in alternatives[i - 1]):
            best = min(best, 1 + cost(i - 1, j - 1))
        if skippable[i - 1] and j < k:
            best = min(best, cost(i - 1, j))
        return best

    least = cost(n, k)
    if least == 0 or least >= inf:
        return []
    most = least + slack
    out: dict[tuple[str, ...], Restoration] = {}

    def paths(i: int, j: int, spent: int, words: tuple[str, ...], replaced: tuple[int, ...]) -> None:
        # words[...] after i are decided (``replaced``: their positions, 0 = word i)
        if len(out) >= limit or spent + cost(i, j) > most:
            return
        if j == 0:
            out.setdefault(words, Restoration(words, replaced))
            return
        w = i - 1
        shift = tuple(r + 1 for r in replaced)
        for g in range(1, j + 1):
            if _fits(letters[j - g : j], written[w]):
                paths(w, j - g, spent, (written[w], *words), shift)
        for a in alternatives[w]:
            if a[0] == letters[j - 1]:
                paths(w, j - 1, spent + 1, (a, *words), (0, *shift))
        if skippable[w] and j < k:
            paths(w, j, spent, (written[w], *words), shift)

    paths(n, k, 0, (), ())
    return [_articles(r) for r in out.values()]


def _start(w: Word) -> int:
    return w.start


def _holds_term(r: Restoration, terms: frozenset[str]) -> str:
    """The longest run of the restored words that is one of ``terms`` and holds every
    replaced word ("severe acute respiratory syndrome" in "... syndrome coronavirus 2"), or ""."""
    if not r.replaced:
        return ""
    lo, hi = min(r.replaced), max(r.replaced) + 1
    for a in range(0, lo + 1):
        for b in range(len(r.words), hi - 1, -1):
            if b - a >= 2 and (t := " ".join(r.words[a:b])) in terms:
                return t
    return ""


ARTICLES = ("a", "an")


def _article(word: str) -> str:
    """The indefinite article before ``word`` (by its first letter)."""
    return "an" if word[0] in "aeiou" else "a"


def _article_before(lower: Sequence[str], r: Restoration) -> Restoration:
    """``r`` with the article before the long form when its first word was replaced and the
    article no longer agrees ("an irregular woodland" is "a random forest")."""
    first = len(lower) - len(r.words)
    if first == 0 or 0 not in r.replaced or lower[first - 1] not in ARTICLES:
        return r
    article = _article(r.words[0])
    if article == lower[first - 1]:
        return r
    return Restoration((article, *r.words), tuple(i + 1 for i in r.replaced))


def _articles(r: Restoration) -> Restoration:
    """ "a"/"an" before a replaced word agreeing with it, as the spinner made it agree with its
    own word ("stage as an assistance" is "platform as a service")."""
    words = list(r.words)
    for i in r.replaced:
        if i > 0 and words[i - 1] in ARTICLES:
            words[i - 1] = _article(words[i])
    return Restoration(tuple(words), r.replaced)


@lru_cache(maxsize=4096)
def alternatives(word: str, initials: str) -> tuple[str, ...]:
    """The content words a spinner may have replaced by ``word`` (the mined spinner map, then
    the Moby originals), only those starting with one of ``initials``."""
    pool = [*spinmap.spinner_map().get(word, ()), *originals.original_tags(word)]
    fits = (o for o in dict.fromkeys(pool) if o and o[0] in initials and o != word and o.isalpha())
    out = [o for o in fits if o not in FUNCTION_WORDS]  # a spinner swaps content words
    return tuple(out[:MAX_ALTERNATIVES])


class AcronymMismatch(Rule):
    """Acronym after a long form that no longer spells it ("framework as a help (IaaS)").

    ## What it does
    Flags the words before an acronym in parentheses when they do not spell it but do once
    one or more of them are replaced by a word a spinner swaps, and the restored words hold a
    correct term of the tortured-phrase pack (or use only swaps mined from real spinner output
    and read ten times better), with the phrase model preferring them: "framework as a help
    (IaaS)" is "infrastructure as a service", "profound learning (DL)" is "deep learning".

    ## Why it matters
    A spinner rewrites the words and leaves the acronym beside them, so the definition and
    its acronym stop agreeing. The Problematic Paper Screener's authors note the same trace
    in spun papers ("counterfeit consciousness (AI)"); it finds tortured phrases that no list
    holds yet, and the acronym says what the original words were.

    ## Example
    The main types of cloud computing are framework as a help (IaaS) and stage as an
    assistance (PaaS).

    ## Use instead
    The main types of cloud computing are infrastructure as a service (IaaS) and platform as
    a service (PaaS).

    ## Fix safety
    Unsafe: the restored words spell the acronym and read better, but the author's own
    expansion may differ; check it.

    ## References
    Schwartz & Hearst (2003), A simple algorithm for identifying abbreviation definitions in
    biomedical text (PSB 2003); Cabanac, Labbé & Magazinov (2021), Tortured phrases
    (arXiv:2107.06751). Moby thesaurus (Grady Ward, public domain); the spinner map mined from
    the Problematic Paper Screener's pairs (CC BY 4.0); the pocketsphinx US English trigram
    model (BSD).
    """

    code = "ENT004"
    name = "acronym-mismatch"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        from spinlint.lexicon import phrase

        if not phrase.available():
            return
        words = doc.words
        for m in SHORT_FORM.finditer(doc.prose):
            short = m.group(1)
            letters = short_form_letters(short)
            if sum(c.isupper() for c in short) < MIN_CAPITALS or len(letters) < 2 or letters.isdigit():
                continue
            sentence = doc.sentence_at(m.start())
            lo = bisect.bisect_left(words, sentence.start, key=_start)
            hi = bisect.bisect_left(words, m.start(), key=_start)
            window = len(letters) + min(5, len(letters))  # Schwartz & Hearst's window
            run = words[max(lo, hi - window) : hi]
            if not run or doc.prose[run[-1].end : m.start()].strip():
                continue  # the acronym does not follow the words directly
            nxt = bisect.bisect_left(words, m.end(), key=_start)
            after = (
                words[nxt].lower
                if nxt < len(words) and words[nxt].start < sentence.end and words[nxt].text.isalpha()
                else None
            )
            found = self._judge(doc, short, letters, run, after)
            if found is not None:
                yield found

    def _judge(
        self,
        doc: Document,
        short: str,
        letters: str,
        run: list[Word],
        after: str | None,
    ) -> Diagnostic | None:
        # Written words that spell the acronym by Schwartz & Hearst's rule (its letters in
        # order, the first at a word start) are an honest definition, unless a correct term
        # of the pack spells it word by word ("serious intense respiratory disorder
        # coronavirus 2 (SARS-CoV-2)" holds the letters, but not as the initials of words)
        honest = schwartz_hearst(short, doc.prose[run[0].start : run[-1].end])
        # the long form is restored within the stretch of words no punctuation interrupts
        gaps = (k for k in range(1, len(run)) if doc.prose[run[k - 1].end : run[k].start].strip())
        cut = max(gaps, default=0)
        run = run[cut:]
        lower = [w.lower for w in run]
        initials = "".join(sorted(set(letters)))
        closed = [w in FUNCTION_WORDS for w in lower]
        alts = [
            () if c or not w.isalpha() else alternatives(w, initials)
            for w, c in zip(lower, closed, strict=True)
        ]
        options = [_article_before(lower, o) for o in restorations(lower, letters, alts, closed)]
        if not options:
            return None
        # A restoration is believed when it is a correct term of the tortured-phrase pack
        # (4,352 terms: "infrastructure as a service", "random forest") and the phrase model
        # prefers it, or when each replacement is a swap real spinners made (the map mined
        # from the pack's pairs) and the phrase model prefers it ``MIN_GAIN`` over the written
        # words.  Moby alone is too loose: "medium wave (AM)" can be forced into "average
        # mean", which the trigram model likes better.
        terms = spinmap.correct_terms()
        smap = spinmap.spinner_map()
        written: dict[int, float] = {}  # the written long form's log-probability, by its first word
        scored = []
        for o in options:
            first = len(run) - len(o.words)
            term = _holds_term(o, terms)
            mapped = all(o.words[i] in smap.get(lower[first + i], ()) for i in o.replaced)
            if not term and (honest or not mapped):
                continue
            if first not in written:
                written[first] = self._logprob(lower, first, lower[first:], after)
            gain = self._logprob(lower, first, o.words, after) - written[first]
            if gain > 0 if term else gain >= MIN_GAIN:  # a term: the phrase model need only prefer it
                scored.append((gain, term, o))
        if not scored:
            return None
        scored.sort(key=lambda x: (not x[1], -x[0]))
        gain, term, best = scored[0]
        first = len(run) - len(best.words)
        span = Span(run[first].start, run[-1].end)
        shown = doc.text[span.start : span.end]
        same = [o for _, _, o in scored if len(o.words) == len(best.words)]
        suggestions = [self._cased(run[first:], o.words) for o in same[:5]]
        swaps = ", ".join(f"'{run[first + i].text}' for '{best.words[i]}'" for i in best.replaced)
        restored = " ".join(best.words)
        listed = (
            ""
            if not term
            else " (a term the Problematic Paper Screener lists)"
            if term == restored
            else f" (its '{term}' is a term the Problematic Paper Screener lists)"
        )
        return self.diagnostic(
            span,
            f"'{shown}' does not spell its acronym '{short}', while '{restored}'{listed} does "
            f"({swaps}: thesaurus synonyms a spinner swaps) and is 10^{gain:.1f} times more "
            "probable to the phrase model: the acronym kept the original words",
            confidence=round(min(0.6 + 0.05 * gain, 0.9), 2),
            suggestions=suggestions,
            applicability=Applicability.UNSAFE,
            evidence=(
                ("acronym", short),
                ("restored", restored),
                ("pps_term", term or "none"),
                ("log10_gain", f"{gain:.2f}"),
                ("source", "Moby thesaurus and the PPS spinner map; pocketsphinx trigram model"),
            ),
        )

    @staticmethod
    def _logprob(lower: Sequence[str], first: int, words: Sequence[str], after: str | None) -> float:
        """log10 P of ``words`` standing for the long form ``lower[first:]``: the trigrams from
        its first word to the word after the acronym (``after``, when the sentence goes on),
        with the two words before the long form as history.  A restoration's gain is its
        log-probability minus the written words'."""
        from spinlint.lexicon.phrase import START, load

        lm = load()
        v = lm.vocab.get
        ids = [v(t, -1) for t in (*[START, START, *lower[:first]][-2:], *words, *([after] if after else []))]
        lp, _ = lm.score(np.asarray(ids[:-2]), np.asarray(ids[1:-1]), np.asarray(ids[2:]))
        return float(lp.sum())

    @staticmethod
    def _cased(run: Sequence[Word], restored: Sequence[str]) -> str:
        return " ".join(
            w.text if w.lower == r else match_case(r, w.text) for w, r in zip(run, restored, strict=True)
        )
