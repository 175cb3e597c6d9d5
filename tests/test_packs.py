"""The pack engine (schema errors, context semantics, matching) and the TPF pack's data."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from spinlint.document import Document
from spinlint.packs import PackError, builtin_pack_dirs, load_pack
from spinlint.sources import SourceFile

ROOT = Path(__file__).resolve().parent.parent
TPF = ROOT / "rules" / "tortured-phrases"


def doc(text: str) -> Document:
    return Document(source=SourceFile(path="t.txt", text=text), prose=text)


def write_pack(folder: Path, rules: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(
        f"schema_version: 1\nname: t\nprefix: TST\nrules:\n{rules}", encoding="utf-8"
    )
    return folder


SUBST = """  - code: TST001
    name: t-sub
    kind: substitution
    message: "'{match}' -> '{replacement}'"
    entries:
      - {pattern: surface region, replacement: surface area, requires: surface area}
      - {pattern: attractive stirrer, replacement: magnetic stirrer, excludes: repulsive}
      - {pattern: brain organization, replacement: neural network}
      - {pattern: artificial brain organization, replacement: artificial neural network}
"""


def found(rules: list, text: str) -> list[tuple[str, str]]:
    return [(text[d.span.start : d.span.end], d.suggestions[0]) for r in rules for d in r.check(doc(text))]


def test_requires_and_excludes(tmp_path: Path) -> None:
    rules = load_pack(write_pack(tmp_path / "p", SUBST))
    assert found(rules, "The surface region grew.") == []
    assert found(rules, "The surface region grew; the surface area too.") == [
        ("surface region", "surface area")
    ]
    assert found(rules, "An attractive stirrer was used.") == [("attractive stirrer", "magnetic stirrer")]
    assert found(rules, "An attractive stirrer, not a repulsive one.") == []


def test_longest_match_wins_and_case_follows(tmp_path: Path) -> None:
    rules = load_pack(write_pack(tmp_path / "p", SUBST))
    assert found(rules, "Artificial brain organization works.") == [
        ("Artificial brain organization", "Artificial neural network")
    ]


def test_context_terms_match_whole_words(tmp_path: Path) -> None:
    rules = load_pack(
        write_pack(tmp_path / "p", SUBST.replace("requires: surface area", "requires: a b c d e"))
    )
    assert found(rules, "The surface region; a b c d eagle.") == []
    assert found(rules, "The surface region; a b c d e.") == [("surface region", "surface area")]


def test_unknown_key_reports_file_and_line(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "p", SUBST.replace("    kind: substitution\n", "    kind: substitution\n    colour: red\n")
    )
    with pytest.raises(PackError, match=r"pack\.yaml:8: unknown rule key 'colour'"):
        load_pack(folder)


def test_tortured_pack_ships_and_loads() -> None:
    assert TPF in builtin_pack_dirs()
    rules = {r.code: r for r in load_pack(TPF)}
    assert set(rules) == {"TPF001", "TPF002", "TPF003"}
    assert len(rules["TPF001"].entries) > 5000
    assert all(e.requires or e.excludes for e in rules["TPF002"].entries)
    assert rules["TPF001"].pack["license"] == "CC BY 4.0"
    assert "Cabanac" in rules["TPF001"].pack["attribution"]
    assert (TPF / "SOURCES.md").is_file()


def test_every_entry_records_its_provenance() -> None:
    for name in ("tortured-phrases.tsv", "tortured-phrases-context.tsv", "tortured-phrases-unresolved.tsv"):
        rows = [
            r
            for r in csv.reader((TPF / name).open(encoding="utf-8"), delimiter="\t")
            if r and r[0][:1] != "#"
        ]
        header = rows[0]
        col = header.index("source")
        assert all(r[col] in {"pps-csv", "pps-json", "pps-csv+pps-json"} for r in rows[1:]), name


def test_honest_prose_raises_nothing() -> None:
    text = (
        "We trained a random forest and a neural network on big data. The surface region of the "
        "crystal was damaged, shared data were stored safely, and the search engine found it."
    )
    assert found(load_pack(TPF), text) == []


def test_build_script_converts_query_syntax(tmp_path: Path) -> None:
    """The conversion on a tiny synthetic export: AND, NOT, OR groups, proximity, flattening."""
    src = tmp_path / "in.csv"
    src.write_text(
        "tortured_phrase,expected_phrase,num_papers\n"
        '"""surface region"" AND ""surface area""",surface area,"10"\n'
        '"""attractive stirrer"" NOT repulsive",magnetic stirrer,3\n'
        '"""favorable cancer"" AND (""benign cancer"" OR ""benign tumor"")",benign tumor,2\n'
        '"""gatherings clustering""~10",clustering,5\n'
        '"""neural organization""",neural network (NN),9\n'
        '"""place of interest""",region of interest,9\n',
        encoding="utf-8",
    )
    js = tmp_path / "in.json"
    js.write_text(
        json.dumps(
            {
                "phrases": [
                    {"tortured": "surface area", "correct": "surface area"},
                    {"tortured": "neural organization", "correct": "neural network"},
                    {"tortured": "irregular woodland", "correct": "random forest"},
                ]
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "build_tortured_pack.py"),
            str(src),
            str(js),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )

    def rows(name: str) -> dict[str, dict[str, str]]:
        lines = [ln for ln in (out / name).read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
        return {r["pattern"]: r for r in csv.DictReader(lines, delimiter="\t")}

    plain, context, dropped = (
        rows("tortured-phrases.tsv"),
        rows("tortured-phrases-context.tsv"),
        rows("dropped.tsv"),
    )
    assert plain["neural organization"]["replacement"] == "neural network"
    assert plain["neural organization"]["source"] == "pps-csv+pps-json"
    assert plain["neural organization"]["note"] == "NN"
    assert plain["irregular woodland"]["source"] == "pps-json"
    assert context["surface region"]["requires"] == "surface area"
    assert context["attractive stirrer"]["excludes"] == "repulsive"
    assert context["favorable cancer"]["requires"] == "benign cancer|benign tumor"
    assert any("gatherings clustering" in k and "proximity" in r["reason"] for k, r in dropped.items())
    assert "flattened" in dropped["surface area"]["reason"]
    assert "common English" in dropped["place of interest"]["reason"]
