from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from spinlint.document import Document
from spinlint.model import Applicability, Diagnostic, Edit, Fix, Severity, Span
from spinlint.rule import Rule

# Curly quotes have a direction, so a space right inside them is unambiguous; straight
# quotes are left alone (a closing " followed by a space looks the same).
OPEN_SPACE = re.compile(r"([“‘])[ \t]+(?=\w)")
CLOSE_SPACE = re.compile(r"(?<=[\w.,!?;:])[ \t]+([”])")
CURRENCY_SPACE = re.compile(r"(?<![\w$€£])([$€£])[ \t]+(?=\d)")


class QuoteSpace(Rule):
    """Stray space inside curly quotes or after a currency sign ("“ We will", "$ 81.13").

    ## What it does
    Flags a space right after an opening curly quote, right before a closing one, or between
    a currency sign and its amount.

    ## Why it matters
    Spinners split punctuation from words and rejoin with spaces; edited copy never puts a
    space inside curly quotes or after "$".

    ## Example
    “ We will not back down ,” he said, as prices rose to $ 81.13.

    ## Use instead
    “We will not back down,” he said, as prices rose to $81.13.

    ## Fix safety
    Safe: only white space is removed.

    ## References
    Observed in spun news copy (dev set: a re-published Reuters oil report).
    """

    code = "GLT003"
    name = "stray-space-in-quotes"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Diagnostic]:
        prose = doc.prose
        for pattern, what, signs in (
            (OPEN_SPACE, "after an opening quote", "“‘"),
            (CLOSE_SPACE, "before a closing quote", "”"),
            (CURRENCY_SPACE, "after a currency sign", "$€£"),
        ):
            if not any(sign in prose for sign in signs):
                continue  # every match holds one of these: skip the slow scan
            for m in pattern.finditer(prose):
                ws = Span(m.start(), m.start(1)) if pattern is CLOSE_SPACE else Span(m.end(1), m.end())
                if doc.text[ws.start : ws.end].strip():
                    continue
                span = Span(min(m.start(), m.start(1)), max(m.end(), m.end(1)))
                fixed = doc.text[span.start : ws.start] + doc.text[ws.end : span.end]
                diag = self.diagnostic(
                    span, f"Stray space {what}: a spinner artefact", confidence=0.7, suggestions=[fixed]
                )
                yield replace(diag, fix=Fix(Applicability.SAFE, "Remove the space", (Edit(ws, ""),)))
