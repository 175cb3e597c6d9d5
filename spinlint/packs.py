"""Declarative rule packs (Vale's idea, with typed schemas and ``file:line`` errors).

A pack is a folder holding ``pack.yaml`` and, optionally, TSV lexicons with explicit columns::

    schema_version: 1
    name: tortured-phrases
    prefix: TPF                  # 2-3 upper-case letters; every rule code starts with it
    description: ...
    source: ...                  # provenance: where the data comes from
    license: CC BY 4.0
    rules:
      - code: TPF001
        name: tortured-phrase
        kind: substitution       # existence | substitution | consistency
        message: "'{match}' is a known tortured phrase; the usual term is '{replacement}'"
        confidence: 0.9
        lexicon: phrases.tsv     # or inline `entries:`
        columns: [pattern, replacement, requires, excludes, note]

Kinds:
- ``existence``: the phrase is a red flag (columns: pattern, note).
- ``substitution``: pattern -> replacement (columns: pattern, replacement, requires, excludes,
  note); ``requires``/``excludes`` are ``|``-separated terms that must / must not occur in the
  same document for the entry to count.
- ``consistency``: one form per document (columns: group, form): when two forms of a group
  occur, the minority forms are flagged and the majority form is suggested.

Matching is by words (case-insensitive, hyphens and apostrophes kept inside words), through a
first-word index, so thousands of entries cost one dictionary look-up per word.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import yaml

from spinlint.document import WORD, Document
from spinlint.model import Applicability, Diagnostic, Severity, Span
from spinlint.rule import CODE_RE, NAME_RE, Rule

SCHEMA_VERSION = 1
KINDS = ("existence", "substitution", "consistency")
PACK_KEYS = {
    "schema_version",
    "name",
    "prefix",
    "description",
    "source",
    "license",
    "attribution",
    "rules",
    "version",
}
RULE_KEYS = {
    "code",
    "name",
    "kind",
    "message",
    "severity",
    "confidence",
    "lexicon",
    "columns",
    "entries",
    "description",
    "example",
    "use_instead",
    "references",
    "applicability",
}
COLUMNS = {
    "existence": ("pattern",),
    "substitution": ("pattern", "replacement"),
    "consistency": ("group", "form"),
}
OPTIONAL_COLUMNS = {"requires", "excludes", "note", "source", "weight"}


class PackError(Exception):
    pass


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records each mapping's line, for ``file:line`` errors."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = {str(k): v for k, v in loader.construct_mapping(node, deep=True).items()}
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__keylines__"] = {k.value: k.start_mark.line + 1 for k, _ in node.value}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def words(text: str) -> tuple[str, ...]:
    return tuple(m.group().lower().replace("’", "'") for m in WORD.finditer(text))


@dataclass(frozen=True)
class Entry:
    pattern: tuple[str, ...]
    text: str
    replacement: str = ""
    requires: tuple[tuple[str, ...], ...] = ()
    excludes: tuple[tuple[str, ...], ...] = ()
    note: str = ""
    group: str = ""
    line: int = 0
    where: str = ""  # "file:line" relative to the pack folder, for evidence


def _contains(doc: Document, term: tuple[str, ...]) -> bool:
    """Whether the document holds ``term`` as whole words (n-gram sets built once per document)."""
    key = "pack-word-ngrams"
    grams = doc.cache.get(key)
    if grams is None:
        lw = doc.folded_words
        grams = {}
        for n in range(1, 5):
            grams[n] = {tuple(lw[i : i + n]) for i in range(len(lw) - n + 1)}
        doc.cache[key] = grams
    n = len(term)
    if n in grams:
        return term in grams[n]
    # Longer terms: whole words only (padding keeps "the art" from matching "the artist").
    joined = " ".join(doc.folded_words)
    return f" {' '.join(term)} " in f" {joined} "


def match_case(replacement: str, found: str) -> str:
    if found.isupper() and len(found) > 1:
        return replacement.upper()
    if found[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


class PackRule(Rule):
    """A rule generated from a pack entry list (docs come from the pack's fields)."""

    fixable: ClassVar[bool] = True

    def __init__(self, spec: dict[str, Any], entries: list[Entry], pack: dict[str, Any], origin: str):
        self.code = spec["code"]  # type: ignore[misc]
        self.name = spec["name"]  # type: ignore[misc]
        self.kind: str = spec["kind"]
        self.severity = Severity(spec.get("severity", "warning"))  # type: ignore[misc]
        self.message: str = spec["message"]
        self.confidence = float(spec.get("confidence", 0.8))
        self.applicability = Applicability(spec.get("applicability", "unsafe"))
        self.entries = entries
        self.pack = pack
        self.origin = origin
        self.__doc__ = self._render_doc(spec, pack)
        self.index: dict[str, list[Entry]] = defaultdict(list)
        for e in entries:
            self.index[e.pattern[0]].append(e)

    @staticmethod
    def _render_doc(spec: dict[str, Any], pack: dict[str, Any]) -> str:
        refs = spec.get("references") or f"{pack.get('source', '')} ({pack.get('license', '')})"
        return (
            f"{spec['name']} (rule pack {pack['name']})\n\n"
            f"## What it does\n{spec.get('description') or spec['message']}\n\n"
            f"## Why it matters\nEntries come from {pack.get('source', 'the pack')}; each is a phrase "
            "that spinners or careless rewriting leave behind.\n\n"
            f"## Example\n{spec.get('example', '(see the pack lexicon)')}\n\n"
            f"## Use instead\n{spec.get('use_instead', 'The replacement listed in the lexicon.')}\n\n"
            f"## Fix safety\nFixes are {spec.get('applicability', 'unsafe')}: a replacement may change "
            "meaning, so review each one.\n\n"
            f"## References\n{refs}\n"
        )

    def docs(self) -> dict[str, str]:  # type: ignore[override]
        from spinlint.rule import parse_doc_sections

        return parse_doc_sections(self.__doc__ or "")

    def summary(self) -> str:  # type: ignore[override]
        from spinlint.rule import first_sentence

        return first_sentence(self.docs().get("What it does", ""))

    def _matches(self, doc: Document) -> Iterator[tuple[Entry, Span, str]]:
        """Leftmost-longest matches: where entries overlap ("artificial brain organization"
        and "brain organization"), only the longest one starting first is reported."""
        ws = doc.words
        lowered = doc.folded_words
        covered = 0  # index of the first word not inside an earlier match
        last = len(lowered) - 1
        for i, entries in enumerate(map(self.index.get, lowered)):
            if not entries or i < covered:
                continue
            # the first word matches by the index; the second is compared before a slice is built
            second = lowered[i + 1] if i < last else None
            hits = [
                e
                for e in entries
                if len(e.pattern) == 1
                or (e.pattern[1] == second and tuple(lowered[i : i + len(e.pattern)]) == e.pattern)
            ]
            if not hits:
                continue
            n = max(len(e.pattern) for e in hits)
            span = Span(ws[i].start, ws[i + n - 1].end)
            for e in hits:
                if len(e.pattern) == n:
                    yield e, span, doc.text[span.start : span.end]
            covered = i + n

    def _context_ok(self, doc: Document, e: Entry) -> bool:
        if e.requires and not any(_contains(doc, t) for t in e.requires):
            return False
        return not any(_contains(doc, t) for t in e.excludes)

    def check(self, doc: Document) -> Iterable[Diagnostic]:
        if self.kind == "consistency":
            yield from self._consistency(doc)
            return
        for e, span, found in self._matches(doc):
            if not self._context_ok(doc, e):
                continue
            replacement = match_case(e.replacement, found) if e.replacement else ""
            msg = self.message.format(
                match=found, replacement=e.replacement, note=e.note, pack=self.pack["name"]
            )
            yield self.diagnostic(
                span,
                msg,
                confidence=self.confidence,
                suggestions=[replacement] if replacement else [],
                applicability=self.applicability,
                evidence=[("pack", f"{self.pack['name']}/{e.where}")]
                + ([("note", e.note)] if e.note else []),
            )

    def _consistency(self, doc: Document) -> Iterator[Diagnostic]:
        found: dict[str, list[tuple[Entry, Span, str]]] = defaultdict(list)
        for e, span, text in self._matches(doc):
            found[e.group].append((e, span, text))
        for _group, hits in found.items():
            forms = Counter(e.text for e, _, _ in hits)
            if len(forms) < 2:
                continue
            major, n = forms.most_common(1)[0]
            for e, span, text in hits:
                if e.text == major:
                    continue
                msg = self.message.format(
                    match=text, replacement=major, note=f"{forms[e.text]} vs {n}", pack=self.pack["name"]
                )
                yield self.diagnostic(
                    span,
                    msg,
                    confidence=self.confidence,
                    suggestions=[match_case(major, text)],
                    applicability=self.applicability,
                    evidence=[("counts", ", ".join(f"{k}: {v}" for k, v in forms.items()))],
                )


def _err(origin: str, line: int, msg: str) -> PackError:
    return PackError(f"{origin}:{line}: {msg}")


def _cached_lexicon(path: Path, kind: str, columns: list[str], origin: str) -> list[Entry]:
    """``_read_lexicon``, cached on disk (keyed on the file's path, size and mtime, the kind,
    the columns and this module): parsing thousands of rows costs ~0.3 s at every start.
    A lexicon with an error is never cached, so its ``file:line`` message comes every run."""
    from spinlint.lexicon.cache import load_or_build

    if not path.is_file():
        return _read_lexicon(path, kind, columns, origin)  # the error message, uncached
    rows = load_or_build(
        "pack-" + hashlib.sha1(f"{path.resolve()}|{kind}|{columns}".encode()).hexdigest()[:12],
        f"{SCHEMA_VERSION}",
        (str(path), __file__),
        lambda: [astuple(e) for e in _read_lexicon(path, kind, columns, origin)],
    )
    return [Entry(*row) for row in rows]


def _read_lexicon(path: Path, kind: str, columns: list[str], origin: str) -> list[Entry]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"{path}: cannot read lexicon: {exc}") from None
    entries = []
    reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    header_seen = False
    for lineno, row in enumerate(reader, start=1):
        if not row or row[0].startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            if row != columns:
                raise PackError(f"{path}:{lineno}: header {row} does not match declared columns {columns}")
            continue
        if len(row) != len(columns):
            raise PackError(f"{path}:{lineno}: expected {len(columns)} columns, got {len(row)}")
        entries.append(_entry(dict(zip(columns, row, strict=True)), kind, f"{path}", lineno))
    return entries


def _terms(value: str) -> tuple[tuple[str, ...], ...]:
    return tuple(w for w in (words(t) for t in value.split("|")) if w)


def _entry(values: dict[str, str], kind: str, origin: str, line: int) -> Entry:
    key = "form" if kind == "consistency" else "pattern"
    text = (values.get(key) or "").strip()
    pattern = words(text)
    if not pattern:
        raise PackError(f"{origin}:{line}: empty {key}")
    if kind == "substitution" and not (values.get("replacement") or "").strip():
        raise PackError(f"{origin}:{line}: substitution entry without a replacement")
    return Entry(
        pattern=pattern,
        text=text,
        replacement=(values.get("replacement") or "").strip(),
        requires=_terms(values.get("requires", "")),
        excludes=_terms(values.get("excludes", "")),
        note=(values.get("note") or "").strip(),
        group=(values.get("group") or "").strip(),
        line=line,
        where=f"{Path(origin).name}:{line}",
    )


def load_pack(folder: Path) -> list[PackRule]:
    manifest = folder / "pack.yaml"
    origin = str(manifest)
    try:
        data = yaml.load(manifest.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except FileNotFoundError:
        raise PackError(f"{folder}: not a rule pack (no pack.yaml)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise PackError(f"{origin}:{line}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise _err(origin, 1, "a pack must be a mapping")
    keylines = data.get("__keylines__", {})
    for key in data:
        if not key.startswith("__") and key not in PACK_KEYS:
            raise _err(origin, keylines.get(key, 1), f"unknown pack key {key!r}")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise _err(origin, keylines.get("schema_version", 1), f"schema_version must be {SCHEMA_VERSION}")
    for key in ("name", "prefix", "rules"):
        if key not in data:
            raise _err(origin, 1, f"missing required key {key!r}")
    prefix = data["prefix"]
    if not isinstance(prefix, str) or not re.fullmatch(r"[A-Z]{2,3}", prefix):
        raise _err(origin, keylines.get("prefix", 1), "prefix must be 2-3 upper-case letters")
    if not isinstance(data["rules"], list) or not data["rules"]:
        raise _err(origin, keylines.get("rules", 1), "rules must be a non-empty list")
    rules = []
    for spec in data["rules"]:
        line = spec.get("__line__", 1) if isinstance(spec, dict) else 1
        if not isinstance(spec, dict):
            raise _err(origin, line, "each rule must be a mapping")
        kl = spec.get("__keylines__", {})
        for key in spec:
            if not key.startswith("__") and key not in RULE_KEYS:
                raise _err(origin, kl.get(key, line), f"unknown rule key {key!r}")
        for key in ("code", "name", "kind", "message"):
            if key not in spec:
                raise _err(origin, line, f"rule lacks required key {key!r}")
        code, kind = spec["code"], spec["kind"]
        if not CODE_RE.match(str(code)) or not str(code).startswith(prefix):
            raise _err(origin, kl.get("code", line), f"code {code!r} must be {prefix} + 3 digits")
        if not NAME_RE.match(str(spec["name"])):
            raise _err(origin, kl.get("name", line), f"name {spec['name']!r} is not kebab-case")
        if kind not in KINDS:
            raise _err(origin, kl.get("kind", line), f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
        if "severity" in spec and spec["severity"] not in {s.value for s in Severity}:
            raise _err(origin, kl.get("severity", line), f"bad severity {spec['severity']!r}")
        if "applicability" in spec and spec["applicability"] not in {a.value for a in Applicability}:
            raise _err(origin, kl.get("applicability", line), f"bad applicability {spec['applicability']!r}")
        conf = spec.get("confidence", 0.8)
        if not isinstance(conf, (int, float)) or not 0 <= conf <= 1:
            raise _err(origin, kl.get("confidence", line), "confidence must be a number in [0, 1]")
        try:
            spec["message"].format(match="", replacement="", note="", pack="")
        except (KeyError, IndexError, ValueError) as exc:
            raise _err(origin, kl.get("message", line), f"message has a bad placeholder: {exc}") from None
        if "lexicon" in spec:
            columns = spec.get("columns")
            if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
                raise _err(origin, kl.get("columns", line), "a lexicon needs `columns: [...]`")
            need = set(COLUMNS[kind])
            bad = set(columns) - need - OPTIONAL_COLUMNS
            if bad or not need <= set(columns):
                raise _err(
                    origin,
                    kl.get("columns", line),
                    f"columns for {kind} must include {sorted(need)} (optional: {sorted(OPTIONAL_COLUMNS)}); "
                    f"got {columns}",
                )
            entries = _cached_lexicon(folder / spec["lexicon"], kind, columns, origin)
        elif "entries" in spec:
            if not isinstance(spec["entries"], list):
                raise _err(origin, kl.get("entries", line), "entries must be a list")
            entries = []
            for item in spec["entries"]:
                if isinstance(item, str):
                    item = {"pattern": item}
                if not isinstance(item, dict):
                    raise _err(origin, kl.get("entries", line), "each entry must be a string or a mapping")
                item_line = item.get("__line__", kl.get("entries", line))
                unknown = {k for k in item if not k.startswith("__")} - set(COLUMNS[kind]) - OPTIONAL_COLUMNS
                if unknown:
                    raise _err(origin, item_line, f"unknown entry key(s) {sorted(unknown)}")
                entries.append(
                    _entry(
                        {k: str(v) for k, v in item.items() if not k.startswith("__")},
                        kind,
                        origin,
                        item_line,
                    )
                )
        else:
            raise _err(origin, line, "rule needs `lexicon:` or `entries:`")
        rules.append(PackRule(spec, entries, data, origin))
    return rules


def builtin_pack_dirs() -> list[Path]:
    root = resources.files("spinlint_rules")
    return sorted(
        Path(str(p)) for p in root.iterdir() if p.is_dir() and (Path(str(p)) / "pack.yaml").is_file()
    )


@dataclass
class PackSet:
    rules: list[PackRule] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    fingerprint: str = ""  # of the loaded packs' file contents: part of the result-cache key


def _content_digest(folders: Iterable[Path]) -> str:
    """A digest of every file in the pack folders, so an edited lexicon (same row count, same
    mtime or not) never serves stale cached results."""
    h = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            h.update(f"{path.name}\0".encode())
            try:
                with open(path, "rb") as fh:
                    h.update(fh.read())
            except OSError as exc:  # a stray unreadable file: key on the error, never crash
                h.update(str(exc).encode())
    return h.hexdigest()[:16]


def load_packs(extra: Iterable[str] = (), taken_prefixes: Iterable[str] = ()) -> PackSet:
    out = PackSet()
    taken = set(taken_prefixes)
    codes: set[str] = set()
    loaded: list[Path] = []
    for folder in [*builtin_pack_dirs(), *(Path(p) for p in extra)]:
        try:
            rules = load_pack(folder)
        except PackError as exc:
            out.errors.append(str(exc))
            continue
        prefix = rules[0].code[:-3] if rules else ""
        if prefix in taken:
            out.errors.append(
                f"{folder / 'pack.yaml'}:1: prefix {prefix} is already used by a plugin or pack"
            )
            continue
        taken.add(prefix)
        loaded.append(folder)
        for r in rules:
            if r.code in codes:
                out.errors.append(f"{r.origin}:1: duplicate code {r.code}")
                continue
            codes.add(r.code)
            out.rules.append(r)
    out.fingerprint = _content_digest(loaded)
    return out
