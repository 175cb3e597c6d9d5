"""A small on-disk cache for compact lexicon indexes, so start-up does not re-parse raw data.

Parsing the raw resource files (24 MB of Moby thesaurus, 600k n-gram lines) costs seconds; a
``marshal`` dump of the compact form loads in tens of milliseconds.  Each entry is keyed on
the name, a code version string and the size and modification time of every source file, so
an upgraded package or edited data file rebuilds it.  Writes are atomic (a temporary file in
the same folder, then ``os.replace``), so two processes building at once never see half a
file; a folder that cannot be written just means the index is rebuilt in memory each run.

The folder is ``$SPINLINT_LEXICON_CACHE`` when set, else the user cache folder
(``platformdirs.user_cache_dir("spinlint")`` when platformdirs is installed, else
``$XDG_CACHE_HOME/spinlint`` or ``~/.cache/spinlint``), sub-folder ``lexicon``.

The folder stays bounded (``prune``): every upgrade, reinstall or new clone keys a fresh
entry, and the phrase model's tables alone are 120 MB, so after each build the entries of an
index beyond the ``KEEP`` most recently used are removed, as is any entry unused for
``MAX_AGE_DAYS``.  A load marks its entry used (its modification time, at most once a day).
Keeping a few per index, not one, lets two installations side by side (a project's virtual
environment and pre-commit's) share the folder without rebuilding each other's entries.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
FORMAT = 1  # bump when the envelope below changes
KEEP = 3  # entries kept per index: the one in use and two others (installations side by side)
MAX_AGE_DAYS = 30  # an entry no process has loaded for this long is removed
TOUCH_AFTER = 24 * 3600  # a load re-marks its entry used once it is this old (seconds)
TMP_MAX_AGE = 3600  # a temporary file or folder this old was left by a killed process
# an entry: "<index name>-<20 hex digits of cache_key>", a ``.marshal`` file or a folder
ENTRY = re.compile(r"^(?P<name>.+)-(?P<key>[0-9a-f]{20})(?:\.marshal)?$")


def cache_root() -> Path:
    env = os.environ.get("SPINLINT_LEXICON_CACHE")
    if env:
        return Path(env)
    try:
        import platformdirs

        base = Path(platformdirs.user_cache_dir("spinlint"))
    except ImportError:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "spinlint"
    return base / "lexicon"


def cache_key(name: str, version: str, sources: Sequence[str]) -> str:
    """A digest of what the index depends on: its name, code version and source files."""
    h = hashlib.sha256(f"{FORMAT}|{name}|{version}".encode())
    for src in sources:
        st = os.stat(src)
        h.update(f"|{os.path.abspath(src)}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:20]


def cache_path(name: str, version: str, sources: Sequence[str]) -> Path:
    return cache_root() / f"{name}-{cache_key(name, version, sources)}.marshal"


def load_or_build(
    name: str, version: str, sources: Sequence[str], build: Callable[[], T], *, isolate: bool = False
) -> T:
    """The cached value of ``build()``; built and stored on a miss.

    ``build`` must return a value ``marshal`` can write (dicts, tuples, str, int, float).
    With ``isolate``, a miss builds in a child process (``build`` must then be a module-level
    function): the libraries and scratch tables a build needs (hundreds of MB) are freed with
    the child instead of staying in the linting process.  If the child fails, the build runs
    here.
    """
    path = cache_path(name, version, sources)
    value = _load(path)
    if value is not None:
        mark_used(path)
        return value  # type: ignore[no-any-return]
    if isolate:
        try:
            import multiprocessing

            ctx = multiprocessing.get_context("spawn")
            child = ctx.Process(target=_build_and_store, args=(build, str(path)))
            child.start()
            child.join()
            value = _load(path)
            if value is not None:
                return value  # type: ignore[no-any-return]
        except (OSError, RuntimeError, ValueError, AttributeError, TypeError, AssertionError):
            # no processes here, a daemonic worker (which may not have children) or an
            # unpicklable build: build in this process
            pass
    value = build()
    _store(path, value)
    return value


def _load(path: Path) -> Any:
    try:
        with open(path, "rb") as fh:
            data = fh.read()  # marshal.load(fh) reads object by object: 10x slower
        return marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _build_and_store(build: Callable[[], object], path: str) -> None:
    _store(Path(path), build())


def _store(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".marshal")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps(value))  # type: ignore[arg-type]
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return  # read-only or full disk: the index still works, it is rebuilt next run
    prune(path.parent)


def mark_used(path: Path) -> None:
    """Record that an entry (file or folder) was just loaded, for ``prune``: its modification
    time, renewed when it is more than a day old (one write a day, not one a run)."""
    try:
        if time.time() - path.stat().st_mtime > TOUCH_AFTER:
            os.utime(path)
    except OSError:
        pass  # a read-only cache: it is never pruned by this process either


def prune(
    root: Path | None = None,
    keep: int = KEEP,
    max_age_days: float = MAX_AGE_DAYS,
    now: float | None = None,
    dry_run: bool = False,
) -> list[tuple[Path, int]]:
    """Remove the entries of ``root`` (the lexicon cache) that are not among the ``keep`` most
    recently used of their index, or that no process has used for ``max_age_days``, and the
    temporary files and folders killed processes left; return what was removed, with sizes
    (with ``dry_run``: what would be, removing nothing).

    Only names this module writes are touched (``ENTRY`` and ``.tmp-*``); anything else in
    the folder is left alone.
    """
    root = root or cache_root()
    now = time.time() if now is None else now
    groups: dict[str, list[tuple[float, Path]]] = {}
    removed: list[tuple[Path, int]] = []
    try:
        listing = list(os.scandir(root))
    except OSError:
        return removed
    for entry in listing:
        try:
            mtime = entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if entry.name.startswith(".tmp-"):
            if now - mtime > TMP_MAX_AGE:
                remove(Path(entry.path), removed, dry_run)
            continue
        m = ENTRY.match(entry.name)
        if m:
            groups.setdefault(m["name"], []).append((mtime, Path(entry.path)))
    for members in groups.values():
        members.sort(reverse=True)  # most recently used first
        for rank, (mtime, path) in enumerate(members):
            if rank >= keep or now - mtime > max_age_days * 86400:
                remove(path, removed, dry_run)
    return removed


def size_of(path: Path) -> int:
    """Bytes under ``path`` (a file or a folder tree); 0 when it is gone."""
    try:
        if path.is_dir() and not path.is_symlink():
            return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        return path.stat().st_size
    except OSError:
        return 0


def remove(path: Path, removed: list[tuple[Path, int]], dry_run: bool = False) -> None:
    """Remove a file or folder tree and note it with its size in ``removed`` (only when it
    went; with ``dry_run`` it is noted and left)."""
    size = size_of(path)
    if dry_run:
        removed.append((path, size))
        return
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except OSError:
        return  # in use elsewhere, or already gone
    removed.append((path, size))


def retire(name: str) -> None:
    """Delete the dumps of an index that is no longer built (``name-<key>.marshal``), so an
    upgrade does not leave them in the user's cache folder for good."""
    try:
        for old in cache_root().glob(f"{name}-*.marshal"):
            m = ENTRY.match(old.name)
            if m and m["name"] == name:
                old.unlink(missing_ok=True)
    except OSError:
        pass
