"""Plain text: everything is prose, except lines that hold only a spinlint directive.

Also home of the lexical patterns the markup readers share (URLs, e-mail addresses), so
Markdown and reStructuredText blank the same things the same way.
"""

from __future__ import annotations

import re

from spinlint.model import Span
from spinlint.sources import Comment, Prose, mask

DIRECTIVE_LINE = re.compile(r"^[ \t]*(spinlint-(?:disable|enable)[^\r\n]*?)[ \t]*\r?$", re.M)

# A bare URL: a scheme or "www.", then anything up to whitespace or a closing bracket; a
# final sentence punctuation mark belongs to the sentence, not to the URL.
URL = re.compile(r"(?:\b(?:https?|ftp|file|mailto):|\bwww\.)[^\s<>()\[\]`\"']*[^\s<>()\[\]`\"'.,;:!?]")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")


def read(text: str) -> Prose:
    chars = list(text)
    comments = []
    for m in DIRECTIVE_LINE.finditer(text):
        comments.append(Comment(Span(m.start(1), m.end(1)), m.group(1)))
        mask(chars, m.start(), m.end())
    return Prose("".join(chars), comments)
