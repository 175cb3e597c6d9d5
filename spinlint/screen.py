"""``spinlint screen``: lint a corpus (JSONL, Parquet, a folder of files) into Parquet tables.

Screening a back catalogue is a batch job, so its promises are those of one:

* **Same answers as the CLI.**  Every document goes through :func:`spinlint.runner.lint_file`
  with its bytes and a display name (whose extension picks the reader), and through
  :func:`spinlint.verdict.file_summary`, exactly as ``spinlint FILE`` does.
* **Every document accounted for.**  The driver reads the inputs and gives each document one
  row in ``documents``; what cannot be screened (a malformed JSONL line, missing or non-string
  text, invalid UTF-8, over the size limit, empty, a duplicate id, a reader failure) gets its
  reason in ``error``, and the exit code is 2.
* **Resumable and idempotent.**  Documents are cut into numbered partitions in input order;
  each partition's two Parquet files are written atomically (a temporary file, then
  ``os.replace``) and carry the run's fingerprint and a hash of their documents.  A run
  started again with the same arguments skips the partitions already on disk; a finished run
  started again changes nothing; a changed version, configuration, selection or input is
  refused (or redone from scratch with ``--overwrite``), never silently mixed.
* **Engines.**  ``local`` runs in this process (``-j 1``) or a process pool; ``dask`` starts
  a ``LocalCluster`` of ``--workers`` processes (one thread each) or joins ``--scheduler``.
  Workers lint and return rows; the driver writes, so workers need no shared file system.
  Each worker process builds its engine and language resources once (``engine_for`` and the
  spaCy pipeline are cached per process), not per partition.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from spinlint import __version__
from spinlint.config import Config, ConfigError, config_for, load_file
from spinlint.runner import (
    FileResult,
    Options,
    deep_notice,
    detector_fingerprint,
    discover,
    engine_errors,
    engine_for,
    lint_file,
)
from spinlint.sources import BOM, EXTENSIONS, MAX_BYTES

INSTALL_HINT = 'pip install "spinlint[screen]"'
JSONL_EXTENSIONS = (".jsonl", ".ndjson", ".jsonlines")
PARQUET_EXTENSIONS = (".parquet", ".pq")
# Reader names and extensions a format field may hold ("markdown", "md", ".md").
FORMAT_EXTENSIONS: dict[str, str] = {
    **{ext: ext for ext in EXTENSIONS},
    **{ext.lstrip("."): ext for ext in EXTENSIONS},
    **{fmt: ext for ext, fmt in reversed(EXTENSIONS.items())},  # the first extension of each
}
MANIFEST = "manifest.json"
SUMMARY = "summary.json"


class ScreenError(Exception):
    """A usage or output-folder problem: said on stderr, exit code 2."""


# -- what a partition carries ----------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One input document as the driver read it.  ``data`` is the bytes to lint (files are
    decoded in the worker, like the CLI does); ``error`` is set when it cannot be screened."""

    id: str
    source: str  # where it came from: "corpus.jsonl:12", "data.parquet#5", "docs/a.md"
    name: str  # display name: its extension picks the reader
    data: bytes | None = None
    error: str | None = None


@dataclass
class PartitionResult:
    documents: dict[str, list[Any]]
    diagnostics: dict[str, list[Any]]
    host: str = ""
    pid: int = 0
    peak_rss_mb: float = 0.0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # the worker's CPU time on this partition (independent of load)


# -- reading the inputs (driver) -------------------------------------------------------------


@dataclass
class Fields:
    id: str = "id"
    text: str = "text"
    format: str | None = None  # None: a "format" or "filename" field when present
    default_name: str = "document.txt"


def _name_for(doc_id: str, row: dict[str, Any], f: Fields) -> str:
    """The display name of a record: a file name (no folders, so the configuration is the one
    of the working directory) whose extension picks the reader."""
    default_ext = os.path.splitext(f.default_name)[1] or ".txt"
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in doc_id)[:80] or "document"
    keys = (f.format,) if f.format else ("format", "filename")
    for key in keys:
        value = row.get(key)
        if not isinstance(value, str) or not value:
            continue
        ext = FORMAT_EXTENSIONS.get(value.lower())
        if ext:
            return stem + ext
        if key == "filename" or "." in value:  # a file name: keep its base name
            return os.path.basename(value.replace("\\", "/")) or stem + default_ext
    return stem + default_ext


def _record(row: dict[str, Any], source: str, f: Fields) -> Record:
    raw_id = row.get(f.id)
    doc_id = source if raw_id is None or raw_id == "" else str(raw_id)
    name = _name_for(doc_id, row, f)
    text = row.get(f.text)
    if f.text not in row or text is None:
        return Record(doc_id, source, name, error=f"missing text field {f.text!r}")
    if not isinstance(text, str):
        return Record(
            doc_id, source, name, error=f"text field {f.text!r} is {type(text).__name__}, not a string"
        )
    text = text.removeprefix(BOM)
    data = text.encode("utf-8", "surrogatepass")
    if len(data) > MAX_BYTES:
        return Record(
            doc_id,
            source,
            name,
            error=f"text is {len(data) / 1e6:.1f} MB, over the {MAX_BYTES / 1e6:.0f} MB limit",
        )
    if not text.strip():
        return Record(doc_id, source, name, error="empty text")
    return Record(doc_id, source, name, data)


def _jsonl(path: str, f: Fields) -> Iterator[Record]:
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue  # a blank line is no document
            source = f"{path}:{lineno}"
            try:
                row = json.loads(raw)
            except (ValueError, UnicodeDecodeError) as exc:
                yield Record(source, source, "document.txt", error=f"line {lineno}: malformed JSON ({exc})")
                continue
            if not isinstance(row, dict):
                yield Record(source, source, "document.txt", error=f"line {lineno}: not a JSON object")
                continue
            yield _record(row, source, f)


def _parquet(path: str, f: Fields) -> Iterator[Record]:
    import pyarrow as pa
    import pyarrow.dataset as ds

    n = 0
    try:
        dataset = ds.dataset(path, format="parquet")
        wanted = {f.id, f.text, f.format or "format", "filename"}
        columns = [c for c in dataset.schema.names if c in wanted]
        for batch in dataset.to_batches(columns=columns, batch_size=1024):
            for row in batch.to_pylist():
                yield _record(row, f"{path}#{n}", f)
                n += 1
    except (pa.ArrowException, OSError) as exc:
        # the rows already read keep their partitions; the run stops here, exit 2
        raise ScreenError(f"{path}: cannot read Parquet after {n} rows ({exc})") from None


def _file(path: str) -> Record:
    try:
        size = os.stat(path).st_size
        if size > MAX_BYTES:
            return Record(
                path,
                path,
                path,
                error=f"file is {size / 1e6:.1f} MB, over the {MAX_BYTES / 1e6:.0f} MB limit",
            )
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return Record(path, path, path, error=f"cannot read ({exc.strerror or exc})")
    return Record(path, path, path, data)


def _is_parquet(path: str) -> bool:
    if os.path.isdir(path):
        return any(n.endswith(PARQUET_EXTENSIONS) for _, _, names in os.walk(path) for n in names)
    return path.lower().endswith(PARQUET_EXTENSIONS)


def read_inputs(inputs: Sequence[str], f: Fields, options: Options) -> Iterator[Record]:
    """Every document of every input, in order, with duplicate ids marked."""
    seen: dict[str, str] = {}
    for path in inputs:
        if not os.path.exists(path):
            raise ScreenError(f"{path}: no such file or directory")
        if _is_parquet(path):
            records: Iterator[Record] = _parquet(path, f)
        elif os.path.isfile(path) and path.lower().endswith(JSONL_EXTENSIONS):
            records = _jsonl(path, f)
        else:
            files, errors = discover([path], options)
            if errors:
                raise ScreenError("; ".join(errors))
            records = (_file(p) for p in files)
        for rec in records:
            first = seen.setdefault(rec.id, rec.source)
            if first != rec.source and rec.error is None:
                rec = replace(rec, data=None, error=f"duplicate id (first at {first})")
            yield rec


def input_identity(inputs: Sequence[str], options: Options) -> list[list[Any]]:
    """Path, size and modification time of every input file: a changed input changes the
    run's fingerprint."""
    out: list[list[Any]] = []
    for path in inputs:
        if not os.path.isdir(path):
            found = [path]
        elif _is_parquet(path):
            found = sorted(os.path.join(root, n) for root, _, names in os.walk(path) for n in names)
        else:
            found = discover([path], options)[0]  # the files screened, not .git and the like
        for p in found:
            try:
                st = os.stat(p)
                out.append([os.path.abspath(p), st.st_size, st.st_mtime_ns])
            except OSError:
                out.append([os.path.abspath(p), None, None])
    return out


def partitions(records: Iterator[Record], size: int) -> Iterator[tuple[int, list[Record], str]]:
    """Numbered partitions of ``size`` records with a hash of their content."""
    batch: list[Record] = []
    h = hashlib.sha256()
    k = 0
    for rec in records:
        for part in (rec.id, rec.source, rec.name, rec.error or ""):
            h.update(part.encode("utf-8", "surrogatepass") + b"\0")
        h.update(rec.data or b"")
        h.update(b"\1")
        batch.append(rec)
        if len(batch) == size:
            yield k, batch, h.hexdigest()
            batch, h, k = [], hashlib.sha256(), k + 1
    if batch:
        yield k, batch, h.hexdigest()


# -- screening a partition (worker) ----------------------------------------------------------


def _empty_columns(names: Sequence[str]) -> dict[str, list[Any]]:
    return {n: [] for n in names}


# The two tables' columns and their Arrow types (the README documents them).
DOC_COLUMNS = (
    ("id", "string"),
    ("source", "string"),
    ("name", "string"),
    ("format", "string"),
    ("words", "int64"),
    ("diagnostics", "int64"),
    ("density", "float64"),
    ("score", "float64"),
    ("pass", "string"),  # which detector stages gave the score: default, or deep (--deep)
    ("verdict", "string"),
    ("paragraphs", "int64"),  # paragraphs the detector scored
    ("spun_paragraphs", "int64"),  # of those, judged suspicious or worse (docs/output.md)
    ("error", "string"),
    ("notice", "string"),
)
DIAG_COLUMNS = (
    ("id", "string"),
    ("code", "string"),
    ("rule", "string"),
    ("severity", "string"),
    ("confidence", "float64"),
    ("start", "int64"),
    ("end", "int64"),
    ("line", "int64"),
    ("column", "int64"),
    ("end_line", "int64"),
    ("end_column", "int64"),
    ("message", "string"),
    ("suggestions", "list<string>"),
    ("pass", "string"),  # which pass found it: default, or deep (only the neural pass did)
)
DOC_FIELDS = tuple(name for name, _ in DOC_COLUMNS)
DIAG_FIELDS = tuple(name for name, _ in DIAG_COLUMNS)


def lint_record(rec: Record, options: Options) -> FileResult:
    """The CLI's own path for one file: bytes and a display name through ``lint_file``."""
    if rec.error is not None:
        return FileResult(rec.name, None, error=rec.error)
    try:
        result = lint_file(rec.name, options, data=rec.data)
    except Exception as exc:  # noqa: BLE001 - one bad document must not lose its partition
        return FileResult(rec.name, None, error=f"could not be linted: {type(exc).__name__}: {exc}")
    if result.error is None and result.source is not None and not result.source.text.strip():
        return FileResult(rec.name, result.source, error="empty text")
    return result


def screen_partition(records: Sequence[Record], options: Options) -> PartitionResult:
    """Lint one partition's documents; runs in a worker process (or in this one)."""
    from spinlint.verdict import file_summary

    started, cpu_started = time.perf_counter(), time.process_time()
    docs = _empty_columns(DOC_FIELDS)
    diags = _empty_columns(DIAG_FIELDS)
    for rec in records:
        result = lint_record(rec, options)
        # a rule that failed (``incomplete``, with an error) leaves the others' figures, reported
        # beside the error; a document that could not be read has none
        ok = result.source is not None and (result.error is None or result.incomplete)
        summary = file_summary(result) if ok else {}
        for key, value in (
            ("id", rec.id),
            ("source", rec.source),
            ("name", rec.name),
            ("format", result.source.format if result.source is not None else None),
            ("words", result.words if ok else None),
            ("diagnostics", len(result.diagnostics) if ok else None),
            ("density", summary.get("density")),
            ("score", summary.get("score")),
            ("pass", summary.get("pass")),
            ("verdict", summary.get("verdict")),
            ("paragraphs", len(summary["paragraphs"]) if ok else None),
            ("spun_paragraphs", sum(p["verdict"] != "clean" for p in summary["paragraphs"]) if ok else None),
            ("error", result.error),
            ("notice", result.notice),
        ):
            docs[key].append(value)
        if not ok or result.source is None:
            continue
        for d in result.diagnostics:
            start = result.source.location(d.span.start)
            end = result.source.location(d.span.end)
            for key, value in (
                ("id", rec.id),
                ("code", d.code),
                ("rule", d.rule),
                ("severity", d.severity.value),
                ("confidence", float(d.confidence)),
                ("start", d.span.start),
                ("end", d.span.end),
                ("line", start.row),
                ("column", start.column),
                ("end_line", end.row),
                ("end_column", end.column),
                ("message", d.message),
                ("suggestions", list(d.suggestions)),
                ("pass", d.found_by),
            ):
                diags[key].append(value)
    return PartitionResult(
        docs,
        diags,
        platform.node(),
        os.getpid(),
        _peak_rss_mb(),
        time.perf_counter() - started,
        time.process_time() - cpu_started,
    )


def _peak_rss_mb() -> float:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux
    except (ImportError, OSError):
        return 0.0


# -- writing (driver) ------------------------------------------------------------------------


def _schema(columns: Sequence[tuple[str, str]]) -> Any:
    import pyarrow as pa

    def arrow(kind: str) -> Any:
        return pa.list_(pa.string()) if kind == "list<string>" else getattr(pa, kind)()

    return pa.schema([(name, arrow(kind)) for name, kind in columns])


def part_name(k: int) -> str:
    return f"part-{k:06d}.parquet"


def _write_atomic(table: Any, path: Path) -> None:
    import pyarrow.parquet as pq

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".parquet")
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_partition(out: Path, k: int, result: PartitionResult, meta: dict[str, str]) -> None:
    """Diagnostics first, documents last: a partition is done when its documents file is."""
    import pyarrow as pa

    doc_schema, diag_schema = _schema(DOC_COLUMNS), _schema(DIAG_COLUMNS)
    metadata = {key.encode(): value.encode() for key, value in meta.items()}
    _write_atomic(
        pa.Table.from_pydict(result.diagnostics, schema=diag_schema.with_metadata(metadata)),
        out / "diagnostics" / part_name(k),
    )
    _write_atomic(
        pa.Table.from_pydict(result.documents, schema=doc_schema.with_metadata(metadata)),
        out / "documents" / part_name(k),
    )


def partition_done(out: Path, k: int, meta: dict[str, str]) -> bool:
    import pyarrow.parquet as pq

    try:
        for table in ("diagnostics", "documents"):
            stored = pq.read_schema(out / table / part_name(k)).metadata or {}
            if any(stored.get(key.encode()) != value.encode() for key, value in meta.items()):
                return False
    except (OSError, ValueError):
        return False
    return True


# -- the run ---------------------------------------------------------------------------------


@dataclass
class Run:
    out: Path
    fingerprint: str
    options: Options
    done: int = 0
    reused: int = 0
    documents: int = 0
    workers: dict[str, float] = field(default_factory=dict)  # "host:pid" -> peak RSS MB
    cpu_seconds: float = 0.0
    failed: list[str] = field(default_factory=list)

    def meta(self, content: str) -> dict[str, str]:
        return {"spinlint.fingerprint": self.fingerprint, "spinlint.content": content}

    def finish(self, k: int, content: str, result: PartitionResult) -> None:
        write_partition(self.out, k, result, self.meta(content))
        self.done += 1
        key = f"{result.host}:{result.pid}"
        self.workers[key] = max(self.workers.get(key, 0.0), round(result.peak_rss_mb, 1))
        self.cpu_seconds += result.cpu_seconds


def _failed_rows(records: Sequence[Record], reason: str) -> PartitionResult:
    """Every document of a partition whose worker failed: accounted for, redone next run."""
    failed = [replace(r, data=None, error=r.error or f"worker failure: {reason}") for r in records]
    return screen_partition(failed, Options(use_cache=False))


Todo = Iterator[tuple[int, list[Record], str]]


def _run_local(run: Run, todo: Todo, jobs: int, tick: Callable[[int], None]) -> None:
    if jobs <= 1:
        warm_up(run.options)
        for k, records, content in todo:
            run.finish(k, content, screen_partition(records, run.options))
            tick(len(records))
        return
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    with ProcessPoolExecutor(max_workers=jobs, initializer=warm_up, initargs=(run.options,)) as pool:
        pending: dict[Future[PartitionResult], tuple[int, list[Record], str]] = {}

        def drain(limit: int) -> None:
            while len(pending) > limit:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    k, records, content = pending.pop(fut)
                    try:
                        result = fut.result()
                    except Exception as exc:  # noqa: BLE001 - a dead worker: rows say why
                        run.failed.append(f"partition {k}: {type(exc).__name__}: {exc}")
                        result = _failed_rows(records, f"{type(exc).__name__}: {exc}")
                        run.finish(k, "failed", result)
                    else:
                        run.finish(k, content, result)
                    tick(len(records))

        for item in todo:
            drain(2 * jobs - 1)
            pending[pool.submit(screen_partition, item[1], run.options)] = item
        drain(0)


@contextlib.contextmanager
def dask_client(workers: int, scheduler: str | None, options: Options) -> Iterator[Any]:
    """A client of ``scheduler``, or of a LocalCluster of ``workers`` processes with one
    thread each.  Every worker starts loading the engine at once (a one-document warm-up), in
    parallel with the driver's own preparation."""
    import importlib
    import logging

    try:
        dd: Any = importlib.import_module("distributed")  # untyped: keep mypy out of it
    except ImportError:
        raise ScreenError(f"--engine dask needs Dask: {INSTALL_HINT}") from None
    cluster: Any = None
    if scheduler:
        client: Any = dd.Client(scheduler)
    else:
        import dask

        # Dask's workers sample their own stacks every 10 ms for the dashboard's profile
        # (``distributed.worker.profile``); a screening worker is one long CPU-bound task, so
        # the sampling is pure cost: off for the cluster spinlint starts (a scheduler given by
        # address keeps its workers' own configuration).
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            cluster = dd.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
        client = dd.Client(cluster)
    try:
        warm = [
            client.submit(warm_up, options, workers=[address], pure=False, key=f"spinlint-warm-up-{address}")
            for address in client.scheduler_info()["workers"]
        ]
        yield client
        del warm  # kept until the run is over: a released future's task is cancelled
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def warm_up(options: Options) -> None:
    """Load the engine and the language resources a typical document needs, in this process."""
    lint_file("warm-up.txt", options, data=b"The warm-up: a Kremlin- backed group said so.\n")


def _run_dask(run: Run, todo: Todo, client: Any, tick: Callable[[int], None]) -> None:
    import importlib

    dd: Any = importlib.import_module("distributed")
    slots = max(1, sum(client.nthreads().values()))
    options = client.scatter(run.options, broadcast=True)
    futures: Any = dd.as_completed(with_results=False)
    items: dict[Any, tuple[int, list[Record], str]] = {}

    def handle(fut: Any) -> None:
        k, records, content = items.pop(fut.key)
        try:
            result = fut.result()
        except Exception as exc:  # noqa: BLE001 - a worker lost for good: rows say why
            run.failed.append(f"partition {k}: {type(exc).__name__}: {exc}")
            run.finish(k, "failed", _failed_rows(records, f"{type(exc).__name__}: {exc}"))
        else:
            run.finish(k, content, result)
        fut.release()
        tick(len(records))

    for item in todo:
        while futures.count() >= 2 * slots:
            handle(next(futures))
        fut = client.submit(
            screen_partition, item[1], options, key=f"screen-{run.fingerprint[:12]}-{item[0]}", pure=False
        )
        items[fut.key] = item
        futures.add(fut)
    for fut in futures:
        handle(fut)


def fingerprint_of(settings: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()


def prepare(out: Path, settings: dict[str, Any], fingerprint: str, overwrite: bool) -> None:
    """Check (or start) the output folder's manifest; refuse to mix runs."""
    manifest = out / MANIFEST
    settings = json.loads(json.dumps(settings, default=str))  # as the manifest stores it
    if manifest.exists():
        try:
            old = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            if not overwrite:
                raise ScreenError(f"{manifest}: unreadable manifest ({exc}); pass --overwrite") from None
            old = {}
        if old.get("fingerprint") != fingerprint:
            if not overwrite:
                changed = sorted(
                    k
                    for k in {*settings, *old.get("settings", {})}
                    if settings.get(k) != old.get("settings", {}).get(k)
                )
                raise ScreenError(
                    f"{out} holds a screen made with other settings (changed: "
                    f"{', '.join(changed) or 'format'}); its partitions are not reused: "
                    "pass --overwrite to redo the run, or choose another -o"
                )
            _clear(out)
    elif (out / "documents").exists():
        if not overwrite:
            raise ScreenError(
                f"{out}: a documents/ folder without {MANIFEST}; pass --overwrite or choose another -o"
            )
        _clear(out)
    for sub in ("documents", "diagnostics"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*/.tmp-*"):  # a run killed in the middle of a write
        stale.unlink(missing_ok=True)
    if not manifest.exists():
        _write_json(manifest, {"fingerprint": fingerprint, "settings": settings})


def _clear(out: Path) -> None:
    for sub in ("documents", "diagnostics"):
        shutil.rmtree(out / sub, ignore_errors=True)
    for name in (MANIFEST, SUMMARY):
        (out / name).unlink(missing_ok=True)


def _write_json(path: Path, value: dict[str, Any]) -> None:
    from spinlint.fixes import write_atomic

    write_atomic(str(path), (json.dumps(value, indent=2, sort_keys=True) + "\n").encode("utf-8"))


def summarize(out: Path, parts: int) -> dict[str, Any]:
    """Counts over every partition on disk (this run's and earlier ones')."""
    import pyarrow.parquet as pq

    verdicts: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    errors = words = documents = 0
    for k in range(parts):
        docs = pq.read_table(
            out / "documents" / part_name(k), columns=["words", "verdict", "error"]
        ).to_pydict()
        documents += len(docs["error"])
        errors += sum(1 for e in docs["error"] if e is not None)
        words += sum(w or 0 for w in docs["words"])
        verdicts.update(v for v in docs["verdict"] if v is not None)
        codes.update(
            pq.read_table(out / "diagnostics" / part_name(k), columns=["code"]).column("code").to_pylist()
        )
    return {
        "documents": documents,
        "errors": errors,
        "words": words,
        "verdicts": dict(sorted(verdicts.items())),
        "codes": dict(sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))),
        "diagnostics": sum(codes.values()),
        "partitions": parts,
    }


def _versions() -> dict[str, str]:
    out = {"spinlint": __version__, "python": platform.python_version()}
    for module in ("pyarrow", "dask", "distributed", "spacy"):
        with contextlib.suppress(ImportError):
            out[module] = __import__(module).__version__
    return out


# -- command line ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from spinlint.cli import add_selection

    p = argparse.ArgumentParser(
        prog="spinlint screen",
        description="Screen a corpus: every document of JSONL files, Parquet files or datasets, or folders "
        "of files, into Parquet tables (documents, diagnostics) and summary.json in OUTDIR. "
        "Resumable: run it again with the same arguments to finish an interrupted run.",
    )
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="a .jsonl file, a .parquet file or dataset folder, or a folder of files",
    )
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="output folder")
    p.add_argument("--id-field", default="id", help="the field holding a document's id (default: id)")
    p.add_argument("--text-field", default="text", help="the field holding its text (default: text)")
    p.add_argument(
        "--format-field",
        help="the field holding its format (markdown, md, ...) or file name; default: 'format' or 'filename'",
    )
    p.add_argument(
        "--default-filename",
        default="document.txt",
        help="a file name whose extension picks the reader when a record names none (default: document.txt)",
    )
    p.add_argument("--engine", choices=("local", "dask"), default="local")
    p.add_argument("-j", "--jobs", type=int, default=1, help="local engine: processes (0: one per core)")
    p.add_argument(
        "--workers", type=int, default=0, help="dask engine: LocalCluster worker processes (0: one per core)"
    )
    p.add_argument("--scheduler", metavar="ADDRESS", help="dask engine: connect to this running scheduler")
    p.add_argument("--partition-size", type=int, default=500, help="documents per partition (default: 500)")
    p.add_argument(
        "--overwrite", action="store_true", help="redo the run when OUTDIR holds one made with other settings"
    )
    add_selection(p)
    p.add_argument("--deep", action="store_true", help="also the neural check (needs the deep extra; slower)")
    p.add_argument("--config", help="use this configuration file (no discovery)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    return p


def _options(args: argparse.Namespace) -> Options:
    return Options(
        select=args.select,
        extend_select=args.extend_select,
        ignore=args.ignore,
        extend_ignore=args.extend_ignore,
        min_confidence=args.min_confidence,
        config_path=os.path.abspath(args.config) if args.config else None,
        use_cache=False,  # every document is read once; a per-document cache would only grow
        jobs=1,
        deep=args.deep,
    )


def _config_at(directory: str, options: Options) -> Config:
    if options.config_path:
        return load_file(Path(options.config_path))
    return config_for(os.path.abspath(directory))


def _settings_record(args: argparse.Namespace, options: Options) -> dict[str, Any]:
    """What the output depends on (not the engine, nor the number of workers).  Records use
    the working directory's configuration, files in a folder their own (as the CLI does)."""
    configs = [_config_at(".", options), *(_config_at(p, options) for p in args.inputs if os.path.isdir(p))]
    engines = {c.packs: engine_for(c.packs) for c in configs}
    return {
        "spinlint": __version__,
        # a refitted detector scores the same text differently; new columns need new partitions
        "detector": detector_fingerprint(),
        "schema": [list(DOC_FIELDS), list(DIAG_FIELDS)],
        "config": sorted({c.fingerprint() for c in configs}),
        "packs": sorted({e.pack_fingerprint for e in engines.values()}),
        "options": [
            options.select,
            options.extend_select,
            options.ignore,
            options.extend_ignore,
            options.min_confidence,
            args.deep,
        ],
        "fields": [args.id_field, args.text_field, args.format_field, args.default_filename],
        "partition_size": args.partition_size,
        "inputs": [os.path.abspath(p) for p in args.inputs],
        "input_files": input_identity(args.inputs, options),
    }


def main(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv))
    if args.min_confidence is not None and not 0 <= args.min_confidence <= 1:
        parser.error("--min-confidence must be between 0 and 1")
    if args.partition_size < 1:
        parser.error("--partition-size must be at least 1")
    try:
        return _screen(args)
    except (ScreenError, ConfigError) as exc:
        print(f"spinlint: error: {exc}", file=sys.stderr)
        return 2


def _screen(args: argparse.Namespace) -> int:
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ScreenError(f"screen writes Parquet with pyarrow: {INSTALL_HINT}") from None
    options = _options(args)
    with contextlib.ExitStack() as stack:
        client = None
        if args.engine == "dask":  # first, so the workers start while this process prepares
            workers = args.workers or os.cpu_count() or 1
            client = stack.enter_context(dask_client(workers, args.scheduler, options))
        return _screen_with(args, options, client, started, cpu_started)


def _screen_with(
    args: argparse.Namespace, options: Options, client: Any, started: float, cpu_started: float
) -> int:
    broken = engine_errors([*args.inputs, "."], options)
    for message in broken:
        print(f"spinlint: error: {message}", file=sys.stderr)  # broken plugin or pack: the rest runs
    notice = deep_notice([*args.inputs, "."], options)
    if notice:
        print(f"spinlint: warning: {notice}", file=sys.stderr)
    record = _settings_record(args, options)
    fp = fingerprint_of(record)
    out = Path(args.output)
    prepare(out, record, fp, args.overwrite)
    run = Run(out, fp, options)
    fields_ = Fields(args.id_field, args.text_field, args.format_field, args.default_filename)
    progress, tick = _progress(args.no_progress)
    total_parts = 0

    def todo() -> Todo:
        nonlocal total_parts
        for k, records, content in partitions(
            read_inputs(args.inputs, fields_, options), args.partition_size
        ):
            total_parts = k + 1
            run.documents += len(records)
            if partition_done(out, k, run.meta(content)):
                run.reused += 1
                tick(len(records))
                continue
            yield k, records, content

    try:
        if client is not None:
            _run_dask(run, todo(), client, tick)
        else:
            _run_local(run, todo(), args.jobs if args.jobs > 0 else (os.cpu_count() or 1), tick)
    finally:
        if progress is not None:
            progress.stop()
    # Partitions left from an earlier run over more documents cannot exist (same fingerprint,
    # same inputs), but a stray file must not be counted: only 0..total_parts-1 are read.
    seconds = time.perf_counter() - started
    summary_path = out / SUMMARY
    if run.done or not summary_path.exists():
        summary = summarize(out, total_parts)
        summary.update(
            seconds=round(seconds, 3),
            engine=args.engine,
            workers=run.workers,
            worker_cpu_seconds=round(run.cpu_seconds, 3),
            # this process: reading, hashing, sending, writing (and linting with -j 1)
            driver_cpu_seconds=round(time.process_time() - cpu_started, 3),
            scheduler=args.scheduler,
            partitions_screened=run.done,
            partitions_reused=run.reused,
            versions=_versions(),
        )
        _write_json(summary_path, summary)
    else:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    for message in run.failed:
        print(
            f"spinlint: error: {message} (its documents have an error; run again to retry)", file=sys.stderr
        )
    verdicts = ", ".join(f"{n} {v}" for v, n in summary["verdicts"].items()) or "no verdicts"
    print(
        f"screened {summary['documents']} documents ({summary['words']} words) in {seconds:.1f} s: "
        f"{verdicts}; "
        f"{summary['diagnostics']} diagnostics, {summary['errors']} errors; "
        f"{run.done} partitions screened, {run.reused} reused -> {out}",
        file=sys.stderr,
    )
    return 2 if summary["errors"] or run.failed or broken else 0


def _progress(disabled: bool) -> tuple[Any, Callable[[int], None]]:
    if disabled or not sys.stderr.isatty():
        return None, lambda n: None
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("screening: {task.completed:,.0f} documents"), TimeElapsedColumn())
    progress = Progress(*columns, console=Console(stderr=True), transient=True)
    task = progress.add_task("screening", total=None)
    progress.start()
    return progress, lambda n: progress.advance(task, n)
