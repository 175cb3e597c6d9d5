"""Markdown / MDX via markdown-it-py.

The block structure comes from the parser: only lines inside an ``inline`` token (paragraphs,
headings, list items, table cells) are prose; fenced and indented code, math blocks, HTML
blocks and front matter stay blank.  Inside prose lines, constructs that are not prose (code
spans, HTML tags and comments, link targets, URLs, inline math, container markers) are
blanked again, so columns stay those of the file.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from spinlint.model import Span
from spinlint.sources import Comment, Prose, mask, masked_except

HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
INLINE_NOT_PROSE = re.compile(
    r"""
      (?P<ticks>`+).+?(?P=ticks)                  # code span
    | <[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*>          # autolink
    | </?[A-Za-z][^<>]*>                          # HTML tag
    | \]\([^)\n]*\)                               # link / image target
    | \]\[[^\]\n]*\]                              # reference link label
    | (?:https?|ftp)://[^\s<>()\]]+|www\.[^\s<>()\]]+   # bare URL
    | (?<![\w$\\])\$(?!\s)[^$\n]+?(?<!\s)\$(?![\w$])   # inline math $...$
    | \{[^{}\n]*\}                                # MDX expression / attribute braces
    """,
    re.X | re.S,
)
LINE_PREFIX = re.compile(r"^[ \t]*(?:(?:>|[-*+]|\d{1,9}[.)])(?=[ \t]|$)[ \t]*|#{1,6}(?=[ \t]|$)[ \t]*)*", re.M)
HEADING_TAIL = re.compile(r"[ \t]+#+[ \t]*$", re.M)
MARKUP_CHARS = re.compile(r"(?<![\w])[*_~]+(?=\S)|(?<=\S)[*_~]+(?![\w])|\|")
SETEXT_OR_RULE = re.compile(r"^[ \t]*(?:=+|-+|[-:| ]*-[-:| ]*)[ \t]*\r?$", re.M)
MDX_STATEMENT = re.compile(r"^(?:import|export)\s[^\n]*", re.M)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").use(front_matter_plugin).use(dollarmath_plugin).enable("table")


def _line_offsets(text: str) -> list[int]:
    starts = [0]
    for i, c in enumerate(text):
        if c == "\n":
            starts.append(i + 1)
    starts.append(len(text) + 1)
    return starts


def read(text: str) -> Prose:
    tokens = _parser().parse(text)
    starts = _line_offsets(text)
    n = len(text)

    def line_range(first: int, last: int) -> tuple[int, int]:
        return starts[first], min(starts[min(last, len(starts) - 1)], n)

    prose_ranges: list[tuple[int, int]] = []
    html_ranges: list[tuple[int, int]] = []
    for tok in tokens:
        if tok.map is None:
            continue
        if tok.type == "inline":
            prose_ranges.append(line_range(*tok.map))
        elif tok.type == "html_block":
            html_ranges.append(line_range(*tok.map))

    chars = masked_except(text, prose_ranges)
    comments: list[Comment] = []
    for start, end in html_ranges + prose_ranges:
        for m in HTML_COMMENT.finditer(text, start, end):
            comments.append(Comment(Span(m.start(), m.end()), m.group(1).strip()))
            mask(chars, m.start(), m.end())

    for start, end in prose_ranges:
        block = "".join(chars[start:end])
        for pattern in (LINE_PREFIX, HEADING_TAIL, SETEXT_OR_RULE, MDX_STATEMENT):
            for m in pattern.finditer(block):
                mask(chars, start + m.start(), start + m.end())
        block = "".join(chars[start:end])
        for m in INLINE_NOT_PROSE.finditer(block):
            mask(chars, start + m.start(), start + m.end())
        block = "".join(chars[start:end])
        for m in MARKUP_CHARS.finditer(block):
            mask(chars, start + m.start(), start + m.end())
        # opening brackets of links / images
        for i in range(start, end):
            if chars[i] == "[" or (chars[i] == "!" and i + 1 < end and chars[i + 1] == "["):
                chars[i] = " "
    return Prose("".join(chars), sorted(comments, key=lambda c: c.span.start))
