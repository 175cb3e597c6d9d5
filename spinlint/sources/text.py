"""Plain text: everything is prose, except lines that hold only a spinlint directive."""

from __future__ import annotations

import re

from spinlint.model import Span
from spinlint.sources import Comment, Prose, mask

DIRECTIVE_LINE = re.compile(r"^[ \t]*(spinlint-(?:disable|enable)[^\r\n]*?)[ \t]*\r?$", re.M)


def read(text: str) -> Prose:
    chars = list(text)
    comments = []
    for m in DIRECTIVE_LINE.finditer(text):
        comments.append(Comment(Span(m.start(1), m.end(1)), m.group(1)))
        mask(chars, m.start(), m.end())
    return Prose("".join(chars), comments)
