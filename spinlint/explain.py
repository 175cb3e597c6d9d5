"""``spinlint rules`` and ``spinlint rule CODE``: documentation generated from the rules."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from spinlint.rule import DOC_SECTIONS, Rule
from spinlint.runner import engine_for


def rule_info(rule: Rule, owner: str) -> dict[str, object]:
    return {
        "code": rule.code,
        "name": rule.name,
        "plugin": owner,
        "severity": rule.severity.value,
        "fixable": rule.fixable,
        "needs": sorted(rule.needs),
        "enabled_by_default": rule.default_enabled,
        "summary": rule.summary(),
    }


def list_rules(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(prog="spinlint rules", description="List every rule.")
    p.add_argument("--format", choices=("text", "json"), default="text")
    args = p.parse_args(list(argv))
    engine = engine_for(())
    infos = [rule_info(r, engine.owners.get(r.code, "?")) for r in sorted(engine.rules, key=lambda r: r.code)]
    if args.format == "json":
        json.dump(infos, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for i in infos:
            fix = "fix" if i["fixable"] else "   "
            on = "on " if i["enabled_by_default"] else "off"
            head = f"{i['code']}  {i['name']:<28} {i['severity']:<8} {fix} {on}"
            sys.stdout.write(f"{head}  {i['plugin']:<22} {i['summary']}\n")
    for err in engine.errors:
        print(f"spinlint: error: {err}", file=sys.stderr)
    return 2 if engine.errors else 0


def explain_rule(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(prog="spinlint rule", description="Explain one rule.")
    p.add_argument("code")
    args = p.parse_args(list(argv))
    engine = engine_for(())
    matches = [r for r in engine.rules if r.code == args.code.upper() or r.name == args.code]
    if not matches:
        print(f"spinlint: error: unknown rule {args.code!r} (see 'spinlint rules')", file=sys.stderr)
        return 2
    rule = matches[0]
    docs = rule.docs()
    out = [
        f"# {rule.code} {rule.name}",
        "",
        f"Plugin: {engine.owners.get(rule.code, '?')}. "
        f"Severity: {rule.severity.value}. Fixable: {'yes' if rule.fixable else 'no'}.",
        "",
    ]
    for section in DOC_SECTIONS:
        out += [f"## {section}", docs.get(section, ""), ""]
    sys.stdout.write("\n".join(out))
    return 0
