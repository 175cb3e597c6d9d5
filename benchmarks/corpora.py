"""Clean corpora, extracted at run time (never committed), and the deterministic splitter.

Sources, each public and each fetched through an ordinary package client:

- gensim's wheel (``pip download --no-deps gensim``), read as a zip without installing it:
  ``gensim/test/test_data/lee_background.cor`` — the Lee corpus, 300 short Australian news
  stories (one per line, ~60k words; Lee, Pincombe & Welsh 2005) — and
  ``gensim/test/test_data/enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2``
  — a shortened English Wikipedia dump (206 articles), whose wikitext is reduced here to its
  plain paragraphs (~440k words).
- Debian's ``python3.11-doc`` (``/usr/share/doc/python3.11/html``), when installed: linted as
  HTML, which also exercises spinlint's HTML reader.  Optional.
- This repository's own README.md and docs/*.md.

Every document is a ``Doc``: an id, a virtual file name (its extension picks spinlint's
reader) and its text.
"""

from __future__ import annotations

import bz2
import glob
import hashlib
import html
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(HERE, ".data")
GENSIM_DIR = "gensim/test/test_data/"
LEE = GENSIM_DIR + "lee_background.cor"
WIKI = GENSIM_DIR + "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
PYDOC = "/usr/share/doc/python3.11/html"


@dataclass(frozen=True)
class Doc:
    id: str
    name: str  # virtual file name; its extension chooses the reader (.txt, .md, .html)
    text: str
    corpus: str


T = TypeVar("T")


# -- the splitter ------------------------------------------------------------------------


def bucket(key: str, seed: str) -> float:
    """A stable number in [0, 1) for ``key``: the same on every machine and Python run."""
    digest = hashlib.sha256(f"{seed}\0{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split(
    items: Iterable[T], key: Callable[[T], object], seed: str, fraction: float
) -> tuple[list[T], list[T]]:
    """Split ``items`` into (first, rest) with about ``fraction`` in the first part.

    Membership depends only on each item's key and the seed, never on order or on the other
    items, so adding documents to a corpus does not reshuffle the existing ones.
    """
    first: list[T] = []
    rest: list[T] = []
    for item in items:
        (first if bucket(str(key(item)), seed) < fraction else rest).append(item)
    return first, rest


def sample(items: Sequence[T], key: Callable[[T], object], seed: str, n: int) -> list[T]:
    """The ``n`` items with the smallest buckets: a deterministic subsample."""
    if n >= len(items):
        return list(items)
    keyed = sorted(items, key=lambda it: bucket(str(key(it)), seed))
    return keyed[:n]


def benchmark_splits(docs: Sequence[Doc], seed: int) -> tuple[list[Doc], list[Doc], list[Doc]]:
    """The benchmark's split of the news and Wikipedia documents: (clean, spin dev, spin
    test).  A quarter is held apart from the clean corpus and spun, half of it as a dev set
    (for tuning, and for training the detector: ``training.build``), half as the test set.
    Only clean and spin test are ever reported."""
    held, clean = split(docs, lambda d: d.id, f"holdout:{seed}", 0.25)
    dev, test = split(held, lambda d: d.id, f"dev-test:{seed}", 0.5)
    return clean, dev, test


# -- gensim's test data ------------------------------------------------------------------


def gensim_wheel(download: bool = True) -> str | None:
    """The path of a gensim wheel in benchmarks/.data, downloading it once with pip."""
    os.makedirs(DATA, exist_ok=True)
    found = sorted(glob.glob(os.path.join(DATA, "gensim-*.whl")))
    if found or not download:
        return found[-1] if found else None
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "gensim",
        "-d",
        DATA,
        "-q",
    ]
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    found = sorted(glob.glob(os.path.join(DATA, "gensim-*.whl")))
    return found[-1] if found else None


def lee_docs(wheel: str) -> list[Doc]:
    with zipfile.ZipFile(wheel) as z:
        text = z.read(LEE).decode("utf-8", "replace")
    docs = []
    for i, line in enumerate(text.splitlines()):
        line = " ".join(line.split())
        if len(line.split()) >= 30:
            docs.append(Doc(f"lee/{i:03d}", f"lee-{i:03d}.txt", wrap(line) + "\n", "news"))
    return docs


def wiki_docs(wheel: str) -> list[Doc]:
    with zipfile.ZipFile(wheel) as z:
        xml = bz2.decompress(z.read(WIKI)).decode("utf-8", "replace")
    docs = []
    for page in re.finditer(r"<page>(.*?)</page>", xml, re.S):
        body = page.group(1)
        title = re.search(r"<title>(.*?)</title>", body)
        ns = re.search(r"<ns>(\d+)</ns>", body)
        text = re.search(r"<text[^>]*>(.*?)</text>", body, re.S)
        if not title or not text or (ns and ns.group(1) != "0") or "#REDIRECT" in text.group(1)[:20].upper():
            continue
        prose = wikitext_to_prose(html.unescape(text.group(1)))
        if len(prose.split()) < 50:
            continue
        slug = re.sub(r"[^A-Za-z0-9]+", "-", html.unescape(title.group(1))).strip("-")[:60]
        docs.append(Doc(f"wiki/{slug}", f"wiki-{slug}.txt", prose, "wikipedia"))
    return docs


def _drop_nested(text: str, open_: str, close: str) -> str:
    """Remove balanced ``open_ ... close`` blocks (templates, tables), nesting included."""
    out = []
    depth = 0
    i = 0
    n = len(text)
    while i < n:
        if text.startswith(open_, i):
            depth += 1
            i += len(open_)
        elif depth and text.startswith(close, i):
            depth -= 1
            i += len(close)
        else:
            if not depth:
                out.append(text[i])
            i += 1
    return "".join(out)


def _link(m: re.Match[str]) -> str:
    target = m.group(1)
    if ":" in target.split("|")[0]:  # File:, Image:, Category:, interlanguage links
        return ""
    return target.split("|")[-1]


def wikitext_to_prose(text: str) -> str:
    """Plain paragraphs from wikitext: templates, tables, refs, files, lists and headings go.

    Only lines that read as running prose are kept (they start with a letter or a quote and
    hold at least eight words), so stripped markup never masquerades as a spinner glitch.
    """
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"<ref[^>/]*/>", "", text)
    text = re.sub(r"<ref[^>]*>.*?</ref>", "", text, flags=re.S)
    text = re.sub(
        r"<(math|code|pre|source|syntaxhighlight|gallery|timeline|score)[^>]*>.*?</\1>", "", text, flags=re.S
    )
    text = _drop_nested(text, "{{", "}}")
    text = _drop_nested(text, "{|", "|}")
    # [[File:...]] may hold nested links: drop innermost links first, repeatedly.
    for _ in range(3):
        text = re.sub(r"\[\[([^\[\]]*)\]\]", _link, text)
    text = re.sub(r"\[https?://[^\s\]]+ ([^\]]*)\]", r"\1", text)
    text = re.sub(r"\[https?://[^\]]*\]", "", text)
    text = re.sub(r"'{2,}", "", text)
    text = re.sub(r"<[^>]+>", "", text)
    paragraphs = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line or line[0] in "=*#:;|!{}[<" or not re.match(r"[\"'“A-Za-z0-9]", line):
            continue
        if len(line.split()) < 8 or re.search(r"[{}\[\]|]", line):
            continue
        line = re.sub(r"\(\s*[,;]?\s*\)", "", line)  # "( )" left where a template was
        line = re.sub(r"\s+([,.;:])", r"\1", line)
        paragraphs.append(wrap(line))
    return "\n\n".join(paragraphs) + "\n"


def wrap(paragraph: str, width: int = 100) -> str:
    """Break a paragraph into lines (plain text readers see the same prose either way)."""
    return textwrap.fill(paragraph, width=width, break_long_words=False, break_on_hyphens=False)


# -- other clean prose -------------------------------------------------------------------


def python_docs(root: str = PYDOC) -> list[Doc]:
    docs = []
    for path in sorted(glob.glob(os.path.join(root, "**", "*.html"), recursive=True)):
        rel = os.path.relpath(path, root)
        if rel.startswith(("_", "genindex", "py-modindex", "search")):
            continue
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError):
            continue
        docs.append(Doc(f"pydoc/{rel}", "pydoc-" + rel.replace(os.sep, "-"), text, "python-docs"))
    return docs


def repo_docs(root: str = ROOT) -> list[Doc]:
    paths = [os.path.join(root, "README.md"), *sorted(glob.glob(os.path.join(root, "docs", "*.md")))]
    docs = []
    for path in paths:
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as fh:
                rel = os.path.relpath(path, root)
                docs.append(Doc(f"repo/{rel}", "repo-" + rel.replace(os.sep, "-"), fh.read(), "repo-docs"))
    return docs
