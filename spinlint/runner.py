"""Files -> documents -> diagnostics: discovery, the engine, the cache and parallel runs.

Data flows one way: read source -> prose with offsets -> one document -> every enabled rule
-> suppression / selection / accept / confidence -> results for a reporter.
"""

from __future__ import annotations

import bisect
import fnmatch
import functools
import glob
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

from spinlint import __version__
from spinlint import nlp as nlp_mod
from spinlint.config import Config, ConfigError, config_for
from spinlint.document import WORD, Document
from spinlint.lexicon import MissingResource
from spinlint.model import Diagnostic, Span
from spinlint.packs import load_packs
from spinlint.registry import load_all
from spinlint.rule import Rule
from spinlint.serialize import from_raw, to_raw
from spinlint.sources import SourceError, SourceFile, decode, extract, read_source
from spinlint.suppress import directives, selected, suppressed

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass
class Options:
    """Command-line choices that override or extend the configuration file."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()
    min_confidence: float | None = None
    config_path: str | None = None
    use_cache: bool = True
    cache_dir: str | None = None
    jobs: int = 1
    stdin_filename: str | None = None
    deep: bool = False  # --deep: also the neural pass (spinlint.deep), where installed


@dataclass
class FileResult:
    path: str
    source: SourceFile | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    words: int = 0
    error: str | None = None
    notice: str | None = None  # said on stderr, does not change the exit code
    # P(document spun) from the trained detector (spinlint.detect), when a rule asked for it
    score: float | None = None
    deep: bool = False  # the score is the deep stages' (--deep), with their own thresholds
    incomplete: bool = False  # a rule was skipped (resource not installed) or failed: not cached
    # P(paragraph spun) of each paragraph with content words, from the same stages as
    # ``score``: (start offset, end offset, prose words, probability)
    paragraphs: list[tuple[int, int, int, float]] = field(default_factory=list)


class Engine:
    """Everything that is loaded once per process: plugins, packs, rules, the spaCy pipeline."""

    def __init__(self, extra_packs: Sequence[str] = ()) -> None:
        registry = load_all()
        self.errors: list[str] = list(registry.errors)
        prefixes = {r.code[:-3] for r in registry.rules}
        packs = load_packs(extra_packs, prefixes)
        self.errors.extend(packs.errors)
        self.rules: list[Rule] = [*registry.rules, *packs.rules]
        self.owners = dict(registry.owners)
        for r in packs.rules:
            self.owners[r.code] = f"pack:{r.pack['name']}"
        self.pack_fingerprint = packs.fingerprint
        self._warned_nlp = False
        self._warned_missing: set[str] = set()

    def enabled(self, config: Config, options: Options) -> list[Rule]:
        select = options.select if options.select is not None else config.select
        extend = (*config.extend_select, *options.extend_select)
        ignore = (*config.ignore, *config.extend_ignore, *options.ignore, *options.extend_ignore)
        chosen = (*(select or ()), *extend)
        return [
            rule
            for rule in self.rules
            if selected(rule.code, chosen, ignore, rule.default_enabled if select is None else False)
        ]

    def pipeline(self, rules: Sequence[Rule]) -> tuple[Callable[[], Language | None] | None, list[Rule]]:
        """A loader for the smallest spaCy pipeline serving ``rules`` (called on the first
        parse only); rules it cannot serve are dropped, with one message per process."""
        needs = sorted({n for r in rules for n in r.needs})
        components = nlp_mod.components_for(needs)
        if not components:
            return None, list(rules)
        skipped = [r.code for r in rules if r.needs]
        if nlp_mod.available():

            def load() -> Language | None:
                nlp = nlp_mod.load(components)
                if nlp is None:  # installed but broken: rules see no parse, say it once
                    self._warn_no_pipeline(skipped)
                return nlp

            return load, list(rules)
        self._warn_no_pipeline(skipped)
        return None, [r for r in rules if not r.needs]

    def _check(self, rule: Rule, doc: Document) -> list[Diagnostic]:
        """The rule's diagnostics; a rule whose language resource is not installed is
        skipped, said once per rule and process on stderr (the other rules still run)."""
        try:
            return list(rule.check(doc))
        except MissingResource as exc:
            doc.cache["skipped-rules"] = (*doc.cache.get("skipped-rules", ()), rule.code)
            if rule.code not in self._warned_missing:
                self._warned_missing.add(rule.code)
                print(f"spinlint: skipped {rule.code}: {exc}", file=sys.stderr)
            return []
        except Exception as exc:  # noqa: BLE001 - a rule's bug must not lose the other rules' findings
            # (as flake8 reports a plugin that raised, and ruff a panic, naming the file): the
            # file's result says which rule failed and how; the others' findings are reported
            failure = f"{rule.code} failed ({type(exc).__name__}: {exc})"
            doc.cache["failed-rules"] = (*doc.cache.get("failed-rules", ()), failure)
            return []

    def _warn_no_pipeline(self, codes: Sequence[str]) -> None:
        if not self._warned_nlp:
            self._warned_nlp = True
            print(
                f"spinlint: no English spaCy pipeline could be loaded; skipped {', '.join(codes)}. "
                f"Install one with: {nlp_mod.INSTALL_HINT}",
                file=sys.stderr,
            )

    def lint_source(self, source: SourceFile, config: Config, options: Options) -> FileResult:
        rules = self.enabled(config, options)
        ignores = per_file_ignores(source.path, config)
        rules = [r for r in rules if not any(r.code.startswith(c) for c in ignores)]
        prose = extract(source)
        loader, rules = self.pipeline(rules)
        doc = Document(source=source, prose=prose.text, nlp_loader=loader, breaks=prose.breaks)
        if deep_enabled(config, options):
            from spinlint.deep import threads_for

            doc.cache["deep-threads"] = threads_for(options.jobs)  # the SPN rules read it
        diags: list[Diagnostic] = []
        # soft evidence waits for the detector's verdict (see Rule.needs_spun_verdict): those
        # rules run last, and not at all when the detector scored the file and judged it clean
        soft = [r for r in rules if r.needs_spun_verdict]
        for rule in rules:
            if rule not in soft:
                diags.extend(self._check(rule, doc))
        deep = doc.cache.get("spin-deep-scores")
        base = doc.cache.get("spin-scores")
        # too little text for the detector to judge (``model.MIN_EVIDENCE_WORDS``): no score, so
        # the verdict falls back to the other rules' findings; the soft rules stay held back
        too_little = base is not None and not base.judged
        scored = None if too_little else deep if deep is not None else base
        score = round(float(scored.document), 4) if scored is not None else None
        paragraphs = paragraph_scores(doc, scored.paragraphs) if scored is not None else []
        from spinlint.verdict import classify_score  # (it imports this module)

        if not too_little and (score is None or classify_score(score, deep is not None) != "clean"):
            for rule in soft:
                diags.extend(self._check(rule, doc))
        dirs = directives(source, prose.comments)
        min_conf = options.min_confidence if options.min_confidence is not None else config.min_confidence
        accepted = {a.lower() for a in config.accept}
        kept = []
        seen = set()
        for d in diags:
            key = (d.code, d.span)
            if key in seen or d.confidence < min_conf or suppressed(d, dirs):
                continue
            if accepted and _is_accepted(source.text, d, accepted):
                continue
            seen.add(key)
            kept.append(d)
        kept = _specific_first(kept, {r.code for r in rules if r.yields_to_specific})
        kept.sort(key=lambda d: (d.span.start, d.span.end, d.code))
        notices = [f"{source.path}:{source.location(at).row}: {msg}" for at, msg in prose.warnings]
        if doc.cache.get("deep-error"):
            notices.append(f"{source.path}: {doc.cache['deep-error']}; the default pass's findings stand")
        failed = doc.cache.get("failed-rules", ())
        error = (
            f"{source.path}: {'; '.join(failed)}; the other rules' findings are reported (please "
            "report this with the file)"
            if failed
            else None
        )
        return FileResult(
            source.path,
            source,
            kept,
            doc.word_count(),
            error=error,
            notice="; ".join(notices) or None,
            score=score,
            deep=deep is not None and scored is not None,
            incomplete=bool(doc.cache.get("skipped-rules") or failed),
            paragraphs=paragraphs,
        )


def paragraph_scores(doc: Document, probabilities: Sequence[float]) -> list[tuple[int, int, int, float]]:
    """The detector's paragraphs (``spinlint.detect.evidence.paragraphs_of``) that hold
    content words, trimmed to their text, with their prose word count and P(spun)."""
    from spinlint.detect.evidence import evidence  # (numpy: only once the detector has run)

    ev = evidence(doc)  # computed already: the scores were made from it
    out = []
    for (start, end), words, p in zip(ev.paragraphs, ev.word_counts, probabilities, strict=True):
        text = doc.text[start:end]
        lead = len(text) - len(text.lstrip())
        tail = len(text.rstrip())
        if words and tail > lead:
            out.append((start + lead, start + tail, int(words), round(float(p), 4)))
    return out


def _specific_first(diags: list[Diagnostic], generic: set[str]) -> list[Diagnostic]:
    """``diags`` without the findings of the ``generic`` rules (``Rule.yields_to_specific``)
    that lie wholly inside a finding of another rule: the specific rule's explanation and fix
    stand alone (SPN001's "'help' looks swapped" inside ENT004's "framework as a help (IaaS)",
    whose fix is "infrastructure as a service")."""
    if not generic:
        return diags
    specific = sorted((d.span.start, d.span.end) for d in diags if d.code not in generic)
    if not specific:
        return diags
    starts = [a for a, _ in specific]
    # the furthest end among the specific spans starting at or before each one
    reach = list(accumulate((b for _, b in specific), max))

    def inside(span: Span) -> bool:
        i = bisect.bisect_right(starts, span.start) - 1
        return i >= 0 and reach[i] >= span.end

    return [d for d in diags if d.code not in generic or not inside(d.span)]


def _is_accepted(text: str, d: Diagnostic, accepted: set[str]) -> bool:
    """``accept`` words/phrases match the flagged text exactly (case-insensitive), or a
    whole word inside it."""
    flagged = " ".join(text[d.span.start : d.span.end].lower().split())
    if flagged in accepted:
        return True
    return any(w.group().lower() in accepted for w in WORD.finditer(flagged))


def per_file_ignores(path: str, config: Config) -> list[str]:
    out: list[str] = []
    rel = _relative(path, config.root)
    for pattern, codes in config.per_file_ignores:
        if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(os.path.basename(path), pattern):
            out.extend(codes)
    return out


def _relative(path: str, root: str) -> str:
    try:
        return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    except ValueError:
        return path


# -- discovery --------------------------------------------------------------------------


def _excluded(path: str, config: Config) -> bool:
    rel = _relative(path, config.root)
    parts = rel.split("/")
    for pattern in (*config.exclude, *config.extend_exclude):
        if fnmatch.fnmatch(rel, pattern) or any(fnmatch.fnmatch(p, pattern) for p in parts):
            return True
    return False


def _included(path: str, config: Config) -> bool:
    name = os.path.basename(path)
    rel = _relative(path, config.root)
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(rel, p) for p in config.include)


def discover(paths: Sequence[str], options: Options) -> tuple[list[str], list[str]]:
    """Files to lint and error messages for paths that gave nothing."""
    files: list[str] = []
    errors: list[str] = []
    for raw in paths:
        candidates = [raw]
        if not os.path.lexists(raw) and any(ch in raw for ch in "*?["):
            candidates = sorted(glob.glob(raw, recursive=True))
            if not candidates:
                errors.append(f"{raw}: glob matched no files")
                continue
        before, errors_before = len(files), len(errors)
        for path in candidates:
            if os.path.isdir(path):
                for root, dirs, names in os.walk(path, followlinks=False):
                    try:
                        cfg = _config(root, options)
                    except ConfigError as exc:
                        errors.append(str(exc))  # this folder is skipped; others go on
                        dirs[:] = []
                        continue
                    dirs[:] = sorted(d for d in dirs if not _excluded(os.path.join(root, d), cfg))
                    for name in sorted(names):
                        full = os.path.join(root, name)
                        if _included(full, cfg) and not _excluded(full, cfg):
                            files.append(full)
            elif os.path.lexists(path):
                files.append(path)  # an explicit file is linted whatever its extension
            else:
                errors.append(f"{path}: no such file or directory")
        if len(files) == before and os.path.isdir(raw) and len(errors) == errors_before:
            errors.append(f"{raw}: no files to lint")
    return list(dict.fromkeys(files)), list(dict.fromkeys(errors))


def _config(directory: str, options: Options) -> Config:
    if options.config_path:
        return _explicit_config(options.config_path)
    return config_for(os.path.abspath(directory))


@functools.lru_cache(maxsize=8)
def _explicit_config(path: str) -> Config:
    """A ``--config`` file, read once per process (as ``config_for`` reads each folder's)."""
    from spinlint.config import load_file

    return load_file(Path(path))


# -- the cache --------------------------------------------------------------------------


def cache_key(data: bytes, config: Config, options: Options, engine: Engine, path: str) -> str:
    h = hashlib.sha256()
    for part in (
        __version__,
        engine.pack_fingerprint,
        detector_fingerprint(),
        code_fingerprint(),
        config.fingerprint(),
        repr(
            (
                options.select,
                options.extend_select,
                options.ignore,
                options.extend_ignore,
                options.min_confidence,
                deep_enabled(config, options),
            )
        ),
        os.path.splitext(path)[1].lower(),
        path,
    ):
        h.update(part.encode())
        h.update(b"\0")
    h.update(data)
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def detector_fingerprint() -> str:
    """A digest of the fitted detector (``spinlint/detect/detector.json``, the deep stages'
    ``detector-deep.json``, the ranking of originals, ``ranker.json``, and the honest gains
    its evidence reads, ``honest-gains.tsv``): a refitted model gives other findings or
    suggestions for the same text, so cached results must not be reused."""
    import importlib.util

    spec = importlib.util.find_spec("spinlint.detect")  # located, not imported (numpy)
    if spec is None or not spec.submodule_search_locations:
        return "no-detector"
    folder = list(spec.submodule_search_locations)[0]
    h = hashlib.sha256()
    for name in ("detector.json", "detector-deep.json", "ranker.json", "honest-gains.tsv"):
        try:
            with open(os.path.join(folder, name), "rb") as fh:
                h.update(fh.read())
        except OSError:
            h.update(b"missing " + name.encode())
    return h.hexdigest()[:16]


@functools.lru_cache(maxsize=4)
def code_fingerprint(folder: str | None = None) -> str:
    """A digest of spinlint's own source files (path, size and modification time of each):
    an installed release changes its version when its code changes, but an editable install
    (a checkout being developed, a ``repo: local`` hook) does not, and a changed rule must not
    be answered from the cache with the old rule's findings.  About a millisecond (stat only)."""
    folder = folder or os.path.dirname(os.path.abspath(__file__))
    h = hashlib.sha256()
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(root, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                h.update(f"{os.path.relpath(path, folder)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()[:16]


def deep_enabled(config: Config, options: Options) -> bool:
    """Whether the deep pass runs on a file: asked for (``--deep`` or ``deep = true``) and
    installed.  Part of the result cache's key, so installing the extra re-lints."""
    if not (options.deep or config.deep):
        return False
    from spinlint.lexicon import neural

    return neural.available()


def deep_notice(paths: Iterable[str], options: Options) -> str | None:
    """The one message for a run that asks for the deep pass without the extra installed."""
    from spinlint.lexicon import neural

    if neural.available():
        return None
    wanted = options.deep
    for p in paths if not wanted else ():
        try:
            if _config(os.path.dirname(os.path.abspath(p)) or ".", options).deep:
                wanted = True
                break
        except ConfigError:
            continue
    if not wanted:
        return None
    return (
        f"the deep check needs {', '.join(neural.missing())}, which are not installed; "
        f"running the default pass only. Install with: {neural.INSTALL_HINT}"
    )


def cache_dir(options: Options) -> Path:
    return Path(options.cache_dir or os.environ.get("SPINLINT_CACHE_DIR") or ".spinlint_cache")


def _cache_get(folder: Path, key: str) -> dict | None:  # type: ignore[type-arg]
    try:
        with open(folder / key[:2] / f"{key}.json", encoding="utf-8") as fh:
            return json.load(fh)  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return None


def _cache_put(folder: Path, key: str, value: dict) -> None:  # type: ignore[type-arg]
    """Write-then-rename: concurrent spinlint processes (pre-commit) never see half a file."""
    try:
        sub = folder / key[:2]
        sub.mkdir(parents=True, exist_ok=True)
        gitignore = folder / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n")
        fd, tmp = tempfile.mkstemp(dir=sub, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(value, fh)
        os.replace(tmp, sub / f"{key}.json")
    except OSError:
        pass  # a read-only tree still lints, just without a cache


# -- running ----------------------------------------------------------------------------

_ENGINES: dict[tuple[str, ...], Engine] = {}


def engine_for(packs: Sequence[str]) -> Engine:
    key = tuple(packs)
    if key not in _ENGINES:
        _ENGINES[key] = Engine(packs)
    return _ENGINES[key]


def loaded_engines() -> list[Engine]:
    return list(_ENGINES.values())


def lint_file(path: str, options: Options, data: bytes | None = None) -> FileResult:
    display = options.stdin_filename if path == "-" and options.stdin_filename else path
    try:
        config = _config(os.path.dirname(os.path.abspath(display)) if display != "-" else ".", options)
    except ConfigError as exc:
        return FileResult(display, None, error=str(exc))
    engine = engine_for(config.packs)
    try:
        if data is None:
            source = read_source(path)
            raw = source.text.encode("utf-8")
        else:
            source = decode(display, data)
            raw = data
        source.path = display
    except SourceError as exc:
        return FileResult(display, None, error=str(exc))
    if display != path:
        from spinlint.sources import format_for

        source.format = format_for(display)
    if not source.text.strip():
        return FileResult(display, source, notice=f"{display}: empty file, nothing to lint")
    use_cache = options.use_cache and data is None
    key = cache_key(raw, config, options, engine, display) if use_cache else ""
    if use_cache:
        hit = _cache_get(cache_dir(options), key)
        if hit is not None:
            diags = [from_raw(r) for r in hit["diagnostics"]]
            return FileResult(
                display,
                source,
                diags,
                hit["words"],
                score=hit.get("score"),
                deep=bool(hit.get("deep")),
                paragraphs=[(int(a), int(b), int(n), float(p)) for a, b, n, p in hit.get("paragraphs", [])],
            )
    try:
        result = engine.lint_source(source, config, options)
    except RecursionError:
        return FileResult(display, source, error=f"{display}: document too deeply nested to parse")
    except SourceError as exc:  # a reader failed on this file: reported, the others go on
        return FileResult(display, source, error=str(exc))
    if use_cache and not result.incomplete:
        _cache_put(
            cache_dir(options),
            key,
            {
                "diagnostics": [to_raw(d) for d in result.diagnostics],
                "words": result.words,
                "score": result.score,
                "deep": result.deep,
                "paragraphs": [list(p) for p in result.paragraphs],
            },
        )
    return result


def _worker(args: tuple[str, Options]) -> FileResult:
    return lint_file(*args)


def lint_paths(paths: Sequence[str], options: Options, progress: object = None) -> Iterator[FileResult]:
    """Lint files in order; with ``jobs > 1`` in a process pool (each builds its engine once)."""
    files = list(paths)
    if options.jobs > 1 and len(files) > 1:
        with ProcessPoolExecutor(max_workers=options.jobs) as pool:
            yield from pool.map(_worker, [(f, options) for f in files], chunksize=4)
    else:
        for f in files:
            yield lint_file(f, options)


def engine_errors(paths: Iterable[str], options: Options) -> list[str]:
    """Plugin and pack errors, reported once, for the configurations in play."""
    seen: set[tuple[str, ...]] = set()
    errors: list[str] = []
    for p in paths:
        try:
            cfg = _config(os.path.dirname(os.path.abspath(p)) or ".", options)
        except ConfigError:
            continue
        if cfg.packs in seen:
            continue
        seen.add(cfg.packs)
        errors.extend(engine_for(cfg.packs).errors)
    return list(dict.fromkeys(errors))
