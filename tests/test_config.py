"""Configuration discovery (closest file wins), ``extend``, every key, and file:line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinlint.config import ConfigError, config_for, find_config_file, load_file
from tests.conftest import run_cli

SPUN = "A Kremlin- backed group met theUN on Monday.\n"


def codes(proc_stdout: str) -> list[str]:
    return sorted(d["code"] for d in json.loads(proc_stdout))


def test_closest_config_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.spinlint]\nignore = ["GLT001"]\n')
    sub = tmp_path / "docs"
    sub.mkdir()
    (sub / "spinlint.toml").write_text('ignore = ["GLT002"]\n')
    (tmp_path / "a.md").write_text(SPUN)
    (sub / "b.md").write_text(SPUN)
    top = run_cli("--format", "json", "--no-cache", str(tmp_path / "a.md"))
    low = run_cli("--format", "json", "--no-cache", str(sub / "b.md"))
    assert codes(top.stdout) == ["GLT002"]
    assert codes(low.stdout) == ["GLT001"]


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "spinlint.toml").write_text('ignore = ["GLT001"]\n')
    sub = tmp_path / "pkg"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config_file(str(sub)) == (tmp_path / "spinlint.toml")


def test_dot_spinlint_toml_and_extend(tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text('ignore = ["GLT002"]\nmin-confidence = 0.3\naccept = ["Foo"]\n')
    (tmp_path / ".spinlint.toml").write_text('extend = "base.toml"\naccept = ["Kremlin- backed"]\n')
    cfg = config_for(str(tmp_path))
    assert cfg.ignore == ("GLT002",)
    assert cfg.min_confidence == 0.3
    assert cfg.accept == ("Kremlin- backed",)  # the child's value replaces the parent's
    (tmp_path / "a.md").write_text(SPUN)
    proc = run_cli("--format", "json", "--no-cache", str(tmp_path / "a.md"))
    assert codes(proc.stdout) == []  # GLT001 accepted, GLT002 ignored by the parent


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('select = ["GLT"]\nignor = ["X"]\n', 2, "unknown key 'ignor'"),
        ('select = ["GLT"]\n\nmin_confidence = 0.5\n', 3, "did you mean 'min-confidence'"),
        ("min-confidence = 3\n", 1, "'min-confidence' must be a number between 0 and 1"),
        ('select = "GLT"\n', 1, "'select' must be a list of codes"),
        ('select = ["glt-001"]\n', 1, "invalid code 'glt-001'"),
        ("select = [\n", 1, "invalid TOML"),
        ("a = 1\nb = = 2\n", 2, "invalid TOML"),
        ('extend = "nowhere.toml"\n', 1, "extend target"),
    ],
)
def test_bad_config_names_file_and_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = tmp_path / "spinlint.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_file(path)
    assert f"{path}:{line}:" in str(err.value)
    assert fragment in str(err.value)


def test_bad_pyproject_table_line(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n\n[tool.spinlint]\nselect = ["GLT"]\nbogus = 1\n')
    with pytest.raises(ConfigError, match=r"pyproject\.toml:6: unknown key 'bogus'"):
        load_file(path)


def test_broken_config_exit_2_with_message_and_other_files_still_linted(tmp_path: Path) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    (bad / "spinlint.toml").write_text("select = [\n")
    (good / "a.md").write_text(SPUN)
    (bad / "b.md").write_text(SPUN)
    proc = run_cli("--no-cache", "--format", "concise", str(good), str(bad))
    assert proc.returncode == 2
    assert f"{bad / 'spinlint.toml'}:" in proc.stderr and "invalid TOML" in proc.stderr
    assert "a.md:1:3: GLT001" in proc.stdout


def test_per_file_ignores_include_exclude(tmp_path: Path) -> None:
    (tmp_path / "spinlint.toml").write_text(
        'exclude = ["drafts"]\ninclude = ["*.md", "*.story"]\n\n'
        '[per-file-ignores]\n"legacy/*.md" = ["GLT001"]\n'
    )
    for folder in ("legacy", "drafts", "news"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.md").write_text(SPUN)
    (tmp_path / "news" / "b.story").write_text(SPUN)
    (tmp_path / "news" / "c.txt").write_text(SPUN)
    proc = run_cli("--no-cache", "--format", "json", str(tmp_path))
    found = sorted(
        (Path(d["filename"]).relative_to(tmp_path).as_posix(), d["code"]) for d in json.loads(proc.stdout)
    )
    assert found == [
        ("legacy/a.md", "GLT002"),
        ("news/a.md", "GLT001"),
        ("news/a.md", "GLT002"),
        ("news/b.story", "GLT001"),
        ("news/b.story", "GLT002"),
    ]


def test_select_prefix_longest_wins_and_cli_overrides(tmp_path: Path) -> None:
    doc = tmp_path / "a.md"
    doc.write_text(SPUN)
    assert (
        codes(
            run_cli("--format", "json", "--no-cache", "--select", "GLT", "--ignore", "GLT0", str(doc)).stdout
        )
        == []
    )
    assert codes(
        run_cli("--format", "json", "--no-cache", "--select", "GLT002", "--ignore", "GLT", str(doc)).stdout
    ) == ["GLT002"]
    assert codes(
        run_cli("--format", "json", "--no-cache", "--select", "ALL", "--ignore", "GLT001", str(doc)).stdout
    ) == ["GLT002"]
    assert codes(run_cli("--format", "json", "--no-cache", "--extend-ignore", "GLT002", str(doc)).stdout) == [
        "GLT001"
    ]
    assert codes(run_cli("--format", "json", "--no-cache", "--min-confidence", "0.88", str(doc)).stdout) == [
        "GLT001"
    ]


def test_explicit_config_flag(tmp_path: Path) -> None:
    cfg = tmp_path / "custom.toml"
    cfg.write_text('ignore = ["GLT"]\n')
    doc = tmp_path / "a.md"
    doc.write_text(SPUN)
    proc = run_cli("--format", "json", "--no-cache", "--config", str(cfg), str(doc))
    assert proc.returncode == 0 and json.loads(proc.stdout) == []
