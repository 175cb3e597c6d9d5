"""Plugin discovery, loading and validation: three separate steps (the flake8 way).

Built-in rules are registered through the very same entry-point group, ``spinlint.plugins``,
that a third-party package uses.  The entry point's *name* is the plugin's code prefix.
Every error names the plugin as ``package[entry]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType

from spinlint.rule import CODE_RE, DOC_SECTIONS, NAME_RE, SPACY_COMPONENTS, Plugin, Rule

GROUP = "spinlint.plugins"
PREFIX_RE = re.compile(r"^[A-Z]{2,3}$")


class PluginError(Exception):
    pass


@dataclass(frozen=True)
class Discovered:
    entry: EntryPoint

    @property
    def label(self) -> str:
        dist = getattr(self.entry, "dist", None)
        package = dist.name if dist is not None else self.entry.module
        return f"{package}[{self.entry.name}]"


def discover() -> list[Discovered]:
    return [Discovered(ep) for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name)]


def load(found: Discovered) -> Plugin:
    try:
        obj = found.entry.load()
    except Exception as exc:  # any import-time failure of a third-party plugin
        raise PluginError(f"{found.label}: cannot load {found.entry.value}: {exc}") from exc
    if isinstance(obj, ModuleType):
        obj = getattr(obj, "plugin", None) or Plugin(prefix=found.entry.name, rules=getattr(obj, "RULES", ()))
    if not isinstance(obj, Plugin):
        raise PluginError(f"{found.label}: {found.entry.value} is not a spinlint.rule.Plugin")
    return obj


def validate(plugin: Plugin, label: str, entry_name: str) -> list[Rule]:
    """Check the plugin's contract and return its rule instances."""
    if not PREFIX_RE.match(entry_name):
        raise PluginError(f"{label}: entry name {entry_name!r} is not a 2-3 letter upper-case prefix")
    if plugin.prefix != entry_name:
        raise PluginError(f"{label}: plugin prefix {plugin.prefix!r} differs from its entry name")
    rules = list(plugin.instances())
    if not rules:
        raise PluginError(f"{label}: defines no rules")
    for rule in rules:
        validate_rule(rule, label, plugin.prefix)
    return rules


def validate_rule(rule: Rule, label: str, prefix: str) -> None:
    code = rule.code
    if not CODE_RE.match(code) or not code.startswith(prefix) or not code[len(prefix) :].isdigit():
        raise PluginError(f"{label}: rule code {code!r} must be {prefix!r} followed by 3 digits")
    if not NAME_RE.match(rule.name):
        raise PluginError(f"{label}: rule {code} name {rule.name!r} is not kebab-case")
    unknown = set(rule.needs) - SPACY_COMPONENTS
    if unknown:
        raise PluginError(f"{label}: rule {code} needs unknown spaCy components {sorted(unknown)}")
    missing = [s for s in DOC_SECTIONS if not rule.docs().get(s)]
    if missing:
        raise PluginError(f"{label}: rule {code} docstring lacks section(s) {', '.join(missing)}")


@dataclass
class Registry:
    rules: list[Rule]
    owners: dict[str, str]  # code -> plugin label
    errors: list[str]


def load_all() -> Registry:
    rules: list[Rule] = []
    owners: dict[str, str] = {}
    errors: list[str] = []
    prefixes: dict[str, str] = {}
    for found in discover():
        try:
            plugin = load(found)
            loaded = validate(plugin, found.label, found.entry.name)
        except PluginError as exc:
            errors.append(str(exc))
            continue
        if found.entry.name in prefixes:
            errors.append(
                f"{found.label}: prefix {found.entry.name} already taken by {prefixes[found.entry.name]}"
            )
            continue
        prefixes[found.entry.name] = found.label
        for rule in loaded:
            if rule.code in owners:
                errors.append(f"{found.label}: code {rule.code} already defined by {owners[rule.code]}")
                continue
            owners[rule.code] = found.label
            rules.append(rule)
    return Registry(rules, owners, errors)
