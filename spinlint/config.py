"""Configuration: ``[tool.spinlint]`` in pyproject.toml, or spinlint.toml / .spinlint.toml.

The closest configuration file to the linted path wins (ruff's rule); ``extend = "path"``
inherits from another file, whose relative paths resolve against that file.  Unknown keys and
bad values are errors that name the file and the line.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

CONFIG_NAMES = (".spinlint.toml", "spinlint.toml", "pyproject.toml")
DEFAULT_INCLUDE = ("*.md", "*.markdown", "*.mdx", "*.rst", "*.txt", "*.html", "*.htm", "*.tex")
DEFAULT_EXCLUDE = (
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    "build",
    "dist",
    "_build",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".spinlint_cache",
)


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Config:
    path: str | None = None
    select: tuple[str, ...] | None = None  # None: every rule enabled by default
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    min_confidence: float = 0.0
    accept: tuple[str, ...] = ()
    packs: tuple[str, ...] = ()
    deep: bool = False  # also the neural pass (spinlint.deep), where installed
    root: str = field(default=".")

    def fingerprint(self) -> str:
        data = {k: v for k, v in self.__dict__.items() if k not in ("path", "root")}
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


KEYS: dict[str, tuple[str, Any]] = {
    # key: (expected type description, validator)
    "extend": ("a path string", lambda v: isinstance(v, str)),
    "select": ("a list of codes", _strings),
    "ignore": ("a list of codes", _strings),
    "extend-select": ("a list of codes", _strings),
    "extend-ignore": ("a list of codes", _strings),
    "per-file-ignores": (
        "a table of glob = [codes]",
        lambda v: isinstance(v, dict) and all(_strings(x) for x in v.values()),
    ),
    "include": ("a list of glob strings", _strings),
    "exclude": ("a list of glob strings", _strings),
    "extend-exclude": ("a list of glob strings", _strings),
    "min-confidence": (
        "a number between 0 and 1",
        lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1,
    ),
    "accept": ("a list of words or phrases", _strings),
    "packs": ("a list of folder paths", _strings),
    "deep": ("true or false", lambda v: isinstance(v, bool)),
}
CODE_SELECTOR = re.compile(r"^(ALL|[A-Z]{1,3}[0-9]{0,3})$")


def _line_of(text: str, key: str, section: str | None) -> int:
    """Best-effort line of ``key`` (tomllib gives no positions for valid-but-wrong values)."""
    lines = text.splitlines()
    start = 0
    if section:
        for i, line in enumerate(lines):
            if line.strip() == f"[{section}]":
                start = i
                break
    pat = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for i in range(start, len(lines)):
        if pat.match(lines[i]):
            return i + 1
    return start + 1


def _toml_error_line(exc: tomllib.TOMLDecodeError, text: str) -> int:
    """tomllib (3.11) puts the position only in the message: "(at line 3, column 1)"."""
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    m = re.search(r"at line (\d+)", str(exc))
    if m:
        return int(m.group(1))
    if "end of document" in str(exc):  # e.g. an unclosed bracket: point at the last line with text
        lines = text.splitlines()
        return max((i + 1 for i, line in enumerate(lines) if line.strip()), default=1)
    return 1


def _read_table(path: Path) -> tuple[dict[str, Any] | None, str, str | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}:{_toml_error_line(exc, text)}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("spinlint")
        return table, text, "tool.spinlint"
    return data, text, None


def _validate(path: Path, table: dict[str, Any], text: str, section: str | None) -> None:
    for key, value in table.items():
        if key not in KEYS:
            near = [
                k for k in KEYS if k.replace("-", "_") == key or k.replace("-", "") == key.replace("_", "")
            ]
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise ConfigError(f"{path}:{_line_of(text, key, section)}: unknown key {key!r}{hint}")
        what, ok = KEYS[key]
        if not ok(value):
            raise ConfigError(f"{path}:{_line_of(text, key, section)}: {key!r} must be {what}")
        if key in ("select", "ignore", "extend-select", "extend-ignore"):
            for code in value:
                if not CODE_SELECTOR.match(code):
                    raise ConfigError(
                        f"{path}:{_line_of(text, key, section)}: {key!r} has invalid code {code!r}"
                    )


def load_file(path: Path, _seen: tuple[str, ...] = ()) -> Config:
    path = path.resolve()
    if str(path) in _seen:
        raise ConfigError(f"{path}: 'extend' cycle through {' -> '.join(_seen)}")
    table, text, section = _read_table(path)
    table = table or {}
    _validate(path, table, text, section)
    base = Config(root=str(path.parent))
    if "extend" in table:
        parent = (path.parent / os.path.expanduser(table["extend"])).resolve()
        if not parent.is_file():
            raise ConfigError(f"{path}:{_line_of(text, 'extend', section)}: extend target {parent} not found")
        base = load_file(parent, _seen + (str(path),))
    values: dict[str, Any] = {"path": str(path), "root": str(path.parent)}
    for key, value in table.items():
        attr = key.replace("-", "_")
        if key == "extend":
            continue
        if key == "per-file-ignores":
            values[attr] = tuple((glob, tuple(codes)) for glob, codes in value.items())
        elif key == "packs":
            values[attr] = tuple(str((path.parent / p).resolve()) for p in value)
        elif key == "min-confidence":
            values[attr] = float(value)
        elif key == "deep":
            values[attr] = value
        else:
            values[attr] = tuple(value)
    return replace(base, **values)


def _has_table(path: Path) -> bool:
    if path.name != "pyproject.toml":
        return True
    try:
        return "spinlint" in tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


@lru_cache(maxsize=256)
def find_config_file(directory: str) -> Path | None:
    d = Path(directory).resolve()
    for folder in (d, *d.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and _has_table(candidate):
                return candidate
    return None


@lru_cache(maxsize=256)
def config_for(directory: str) -> Config:
    found = find_config_file(directory)
    return load_file(found) if found else Config(root=str(Path(directory).resolve()))
