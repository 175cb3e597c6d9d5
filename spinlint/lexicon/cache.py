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
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
FORMAT = 1  # bump when the envelope below changes


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
        for stale in path.parent.glob(path.name.rsplit("-", 1)[0] + "-*.marshal"):
            if stale != path:
                stale.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".marshal")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps(value))  # type: ignore[arg-type]
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # read-only or full disk: the index still works, it is rebuilt next run


def retire(name: str) -> None:
    """Delete the dumps of an index that is no longer built (``name-<key>.marshal``), so an
    upgrade does not leave them in the user's cache folder for good."""
    try:
        for old in cache_root().glob(f"{name}-*.marshal"):
            key = old.name[len(name) + 1 : -len(".marshal")]
            if len(key) == 20 and all(c in "0123456789abcdef" for c in key):
                old.unlink(missing_ok=True)
    except OSError:
        pass
