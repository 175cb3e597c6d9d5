"""Source readers: turn a file's text into prose that rules can read.

Every reader returns a :class:`Prose` whose ``text`` has exactly the same length as the
decoded source, with everything that is not prose (code, markup, URLs, math, comments)
replaced by spaces and every line end kept in place.  Offsets in the prose are therefore
offsets in the file: the "offset map" back to the original is the identity, which makes
line/column mapping exact after CRLF, tabs, combining characters and emoji by construction.
Readers also hand back the comments they saw, so inline suppression works per format.
"""

from __future__ import annotations

import bisect
import codecs
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spinlint.model import Location, Span

BOM = "\ufeff"
LINE_END = re.compile(r"\r\n?|\n")


class SourceError(Exception):
    """A file could not be read or decoded; the message names the file."""


@dataclass(frozen=True)
class Comment:
    """A comment in the source: where it is and its text (without the comment markers)."""

    span: Span
    text: str


@dataclass
class Prose:
    text: str
    comments: list[Comment] = field(default_factory=list)
    # Offsets where a block (paragraph, heading, list item, cell) starts: a sentence never
    # runs across one, even when masking leaves no punctuation or blank line between blocks.
    breaks: list[int] = field(default_factory=list)
    # (offset, message) for parts the reader could not parse and read another way (as plain
    # text): said on stderr with the file and line, so no prose is ever dropped silently.
    warnings: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class SourceFile:
    """A decoded file. ``text`` has no BOM; ``has_bom`` remembers it for writing back."""

    path: str
    text: str
    has_bom: bool = False
    format: str = "text"
    _line_starts: list[int] | None = field(default=None, repr=False)

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            if "\r" in self.text:
                self._line_starts = [0, *(m.end() for m in LINE_END.finditer(self.text))]
            else:  # the common case, in C: no regex match objects
                starts = [0]
                find = self.text.find
                i = find("\n")
                while i != -1:
                    starts.append(i + 1)
                    i = find("\n", i + 1)
                self._line_starts = starts
        return self._line_starts

    def location(self, offset: int) -> Location:
        """1-based row and code-point column of ``offset``.  A line ends at ``\\n``, ``\\r\\n``
        or a lone ``\\r`` (old Mac files), as editors count them; a ``\\r`` before ``\\n`` is part
        of the line end, so a column never counts it."""
        starts = self.line_starts
        row = bisect.bisect_right(starts, offset) - 1
        return Location(row + 1, offset - starts[row] + 1)

    def offset(self, loc: Location) -> int:
        return self.line_starts[loc.row - 1] + loc.column - 1


# Extension -> format name.  Kept in one table so `include` defaults and readers agree.
EXTENSIONS: dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdx": "markdown",
    ".rst": "rst",
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".tex": "latex",
}

MAX_BYTES = 10 * 1024 * 1024  # a larger file is reported and skipped, not parsed for minutes


def format_for(path: str) -> str:
    """The reader for ``path``, by its extension.  A markup source with ``.txt`` appended
    (``page.rst.txt``, ``page.md.txt``: the copies of the sources Sphinx publishes beside its
    HTML, in ``_sources/``) is read as the markup it holds, not as plain text, so that its
    directives, roles and code are not linted as prose."""
    stem, ext = os.path.splitext(path)
    ext = ext.lower()
    if ext == ".txt":
        inner = EXTENSIONS.get(os.path.splitext(stem)[1].lower())
        if inner is not None:
            return inner
    return EXTENSIONS.get(ext, "text")


def decode(path: str, data: bytes) -> SourceFile:
    if b"\x00" in data[:8192]:
        raise SourceError(f"{path}: binary file (contains NUL bytes), not linted")
    has_bom = data.startswith(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8-sig" if has_bom else "utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"{path}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start}); re-encode the file as UTF-8"
        ) from None
    return SourceFile(path=path, text=text, has_bom=has_bom, format=format_for(path))


def read_source(path: str, max_bytes: int = MAX_BYTES) -> SourceFile:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise SourceError(
                f"{path}: file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit; "
                "split it or lint its parts"
            )
        data = p.read_bytes()
    except PermissionError:
        raise SourceError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory") from None
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode(path, data)


Reader = Callable[[str], Prose]


def _readers() -> dict[str, Reader]:
    from spinlint.sources import html, latex, markdown, rst, text

    return {
        "text": text.read,
        "markdown": markdown.read,
        "rst": rst.read,
        "html": html.read,
        "latex": latex.read,
    }


def extract(source: SourceFile) -> Prose:
    """The prose of ``source``, read by its format's reader.  A reader that fails on input it
    does not expect raises ``SourceError`` naming the file, the format and the reader's
    error (the run reports it and lints the other files), never a traceback."""
    try:
        prose = _readers()[source.format](source.text)
    except (AssertionError, ValueError, IndexError, KeyError, TypeError) as exc:
        raise SourceError(f"{source.path}: cannot read as {source.format}: {exc}") from exc
    assert len(prose.text) == len(source.text), "reader must keep offsets"
    return prose


# Helpers shared by the readers -------------------------------------------------------


_NOT_LINE_END = re.compile(r"[^\r\n]+")


def _blank_run(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


def mask(chars: list[str], start: int, end: int) -> None:
    """Blank ``chars[start:end]`` in place, keeping line ends so rows never shift."""
    if end > start:
        chars[start:end] = _NOT_LINE_END.sub(_blank_run, "".join(chars[start:end]))


def masked_except(text: str, keep: Iterable[tuple[int, int]]) -> list[str]:
    """All of ``text`` blanked except the given ranges (line ends always kept).  The blank
    copy is made a line at a time in C: a character-by-character comprehension took a third
    of the HTML reader's time on documentation pages."""
    chars = list(_NOT_LINE_END.sub(_blank_run, text))
    for start, end in keep:
        chars[start:end] = text[start:end]
    return chars
