"""LEX002's table: built from WordNet by scripts/build_homographs.py under documented criteria."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from spinlint.plugins.collocation.scan import stop_words
from spinlint.plugins.lexical.homograph import homographs

ROOT = Path(__file__).resolve().parent.parent


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_homographs", ROOT / "scripts" / "build_homographs.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_homographs"] = module
    spec.loader.exec_module(module)
    return module


def test_shipped_table_holds_only_uncommon_expansions_of_function_words() -> None:
    table = homographs()
    rows = [h for hs in table.values() for h in hs]
    assert rows, "the shipped table is empty"
    assert {("area", "unit"), ("associate", "in", "nursing"), ("moldiness",)} <= {h.expansion for h in rows}
    for h in rows:
        assert h.function_word in stop_words() and len(h.function_word) >= 2
        assert not h.common, h


def _wordnet(folder: Path) -> Path:
    """A three-synset WordNet in the database format: "are" (noun: the unit "ar", whose
    hypernym is "area unit"), "in" (adjective: "fashionable") and "back" (a content word)."""
    data = {
        "noun": [
            "00000001 23 n 02 are 0 ar 0 001 @ 00000002 n 0000 | a unit of surface area",
            "00000002 23 n 02 area_unit 0 square_measure 0 000 | a system of units for areas",
            "00000004 08 n 02 back 0 dorsum 0 000 | the posterior part of the body",
        ],
        "adj": ["00000003 00 a 02 in 0 fashionable 0 000 | currently fashionable"],
        "verb": [],
        "adv": [],
    }
    index = {
        "noun": ["are n 1 1 @ 1 0 00000001", "back n 1 0 1 0 00000004"],
        "adj": ["in a 1 0 1 0 00000003"],
        "verb": [],
        "adv": [],
    }
    for pos in data:
        (folder / f"data.{pos}").write_text("  licence header\n" + "".join(x + "  \n" for x in data[pos]))
        (folder / f"index.{pos}").write_text("  licence header\n" + "".join(x + "  \n" for x in index[pos]))
    (folder / "cntlist.rev").write_text("back%1:08:00:: 1 900\nin%5:00:00:fashionable:00 1 2\n")
    return folder


def test_builder_falls_back_on_the_hypernym_and_skips_adjectives_and_content_words(tmp_path: Path) -> None:
    rows = _builder().build(_wordnet(tmp_path))
    expansions = {(r[0], r[1], r[2]) for r in rows}
    # "ar" is too short to write, so the broader term stands in; adjective senses of "in" are
    # honest synonyms; "back" is tagged as a content word far more often than chance
    assert expansions == {("area unit", "are", "hypernym"), ("square measure", "are", "hypernym")}


def _lex002(tmp_path: Path, text: str) -> list[tuple[int, str]]:
    from spinlint.runner import Options, lint_file

    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    result = lint_file(str(path), Options(select=("LEX002",)))
    return [(d.span.start, d.message) for d in result.diagnostics]


def test_an_occurrence_without_a_decisive_neighbour_is_reported_only_beside_a_decisive_one(
    tmp_path: Path,
) -> None:
    """ "that area" is ordinary English, so "that area unit coupled" alone is not enough; a
    spinner applies one word map to the whole text, so beside "pages area unit found" (where
    "pages are" is common and "pages area" unlisted) it is reported, naming that place."""
    weak = "Pages that area unit coupled to indexed pages need no submission."
    assert _lex002(tmp_path, weak + "\n") == []
    strong = "Most pages area unit found within a day."
    found = _lex002(tmp_path, weak + "\n\n" + strong + "\n")
    assert [start for start, _ in found] == [
        weak.index("area unit"),
        len(weak) + 2 + strong.index("area unit"),
    ]
    assert "the same swap stands unmistakably at 3:12" in found[0][1]
    assert "the same swap" not in found[1][1]
    # another expansion's decisive occurrence does not vouch for this one
    other = "The tool builds Associate in Nursing index of every page it visits."
    assert [m for _, m in _lex002(tmp_path, weak + "\n\n" + other + "\n")] == [
        m for _, m in _lex002(tmp_path, other + "\n")
    ]
