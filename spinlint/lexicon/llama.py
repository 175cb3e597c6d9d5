"""A small Llama forward pass in plain torch, for the converted SmolLM2 weights.

Why not transformers at run time: importing it costs 2.7 s on two cores (its model classes
pull in torch.distributed and the hub machinery), which alone would break the deep pass's
5-second start.  SmolLM2-135M is a plain Llama (RMSNorm, rotary positions, grouped-query
attention, SiLU-gated MLP, tied embeddings), about sixty lines below.  transformers is still
what de-quantises the GGUF file, once; the conversion checks this forward pass against
transformers' own on a test sentence before it caches anything (``spinlint.lexicon.neural``).

Numerics follow transformers' ``LlamaForCausalLM``: RMSNorm in float32, rotary tables in
float32 cast to the weights' dtype, the halves-rotation layout of the Hugging Face weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

KV = tuple[torch.Tensor, torch.Tensor]


@dataclass
class Layer:
    q: torch.Tensor
    k: torch.Tensor
    v: torch.Tensor
    o: torch.Tensor
    gate: torch.Tensor
    up: torch.Tensor
    down: torch.Tensor
    attn_norm: torch.Tensor
    mlp_norm: torch.Tensor


class Llama:
    """Weights and the forward pass; ``hidden`` gives final-norm hidden states, ``logits``
    the output layer (tied to the embeddings when the config says so)."""

    def __init__(self, config: dict[str, Any], weights: dict[str, torch.Tensor]) -> None:
        rope = config.get("rope_parameters") or config.get("rope_scaling") or {}
        if rope.get("rope_type", "default") != "default":
            raise ValueError(f"unsupported rotary scaling {rope.get('rope_type')!r}")
        self.heads = int(config["num_attention_heads"])
        self.kv_heads = int(config.get("num_key_value_heads") or self.heads)
        self.dim = int(config["hidden_size"])
        self.head_dim = int(config.get("head_dim") or self.dim // self.heads)
        self.eps = float(config["rms_norm_eps"])
        theta = float(rope.get("rope_theta") or config.get("rope_theta") or 10000.0)
        self.inv_freq = 1.0 / theta ** (
            torch.arange(0, self.head_dim, 2, dtype=torch.float32) / self.head_dim
        )
        self.embed = weights["model.embed_tokens.weight"]
        self.norm = weights["model.norm.weight"]
        self.head = weights.get("lm_head.weight", self.embed)
        self.layers = [
            self._layer(weights, f"model.layers.{i}.") for i in range(int(config["num_hidden_layers"]))
        ]
        self.dtype = self.embed.dtype

    @staticmethod
    def _layer(weights: dict[str, torch.Tensor], p: str) -> Layer:
        attn, mlp = p + "self_attn.", p + "mlp."
        return Layer(
            q=weights[attn + "q_proj.weight"],
            k=weights[attn + "k_proj.weight"],
            v=weights[attn + "v_proj.weight"],
            o=weights[attn + "o_proj.weight"],
            gate=weights[mlp + "gate_proj.weight"],
            up=weights[mlp + "up_proj.weight"],
            down=weights[mlp + "down_proj.weight"],
            attn_norm=weights[p + "input_layernorm.weight"],
            mlp_norm=weights[p + "post_attention_layernorm.weight"],
        )

    def _rms(self, x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        x32 = x.float()
        x32 = x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps)
        return weight * x32.to(x.dtype)

    def _rotary(self, start: int, length: int) -> tuple[torch.Tensor, torch.Tensor]:
        pos = torch.arange(start, start + length, dtype=torch.float32)
        freqs = torch.outer(pos, self.inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos().to(self.dtype), emb.sin().to(self.dtype)

    @staticmethod
    def _rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        half = x.shape[-1] // 2
        rotated = torch.cat((-x[..., half:], x[..., :half]), dim=-1)
        return x * cos + rotated * sin

    def hidden(self, ids: torch.Tensor, mask: torch.Tensor | None = None) -> tuple[torch.Tensor, list[KV]]:
        """Final hidden states of ``ids`` (batch x time) and each layer's keys and values.
        ``mask`` (batch x time, 1 for a real token) marks right padding."""
        length = ids.shape[1]
        x = F.embedding(ids, self.embed)
        cos, sin = self._rotary(0, length)
        attn_mask = torch.ones(length, length, dtype=torch.bool).tril()
        if mask is not None:
            attn_mask = attn_mask & mask.bool()[:, None, None, :]
        present: list[KV] = []
        for layer in self.layers:
            q, k, v = self._qkv(layer, x, cos, sin)
            present.append((k, v))
            x = self._attend(layer, x, q, k, v, attn_mask)
        return self._rms(x, self.norm), present

    def extend(
        self, ids: torch.Tensor, past: list[KV], rows: torch.Tensor, lengths: torch.Tensor
    ) -> torch.Tensor:
        """Final hidden states of ``ids`` (batch x time, right-padded), each continuing its
        own prefix: row ``rows[b]`` of ``past``, whose first ``lengths[b]`` positions are that
        prefix (the rest is ignored).  Continuations of different prefixes share one batch,
        which keeps the matrix products large; a layer's prefix rows are gathered only while
        that layer runs."""
        batch, length = ids.shape
        # only the longest prefix of the batch is gathered: positions past it are masked
        # anyway, and each row's gather copies its prefix's keys and values in every layer
        width = min(int(lengths.max()), past[0][0].shape[2]) if past and batch else 0
        x = F.embedding(ids, self.embed)
        pos = lengths[:, None].float() + torch.arange(length, dtype=torch.float32)[None, :]
        freqs = pos[..., None] * self.inv_freq  # rows x time x half
        emb = torch.cat((freqs, freqs), dim=-1)[:, None]
        cos, sin = emb.cos().to(self.dtype), emb.sin().to(self.dtype)
        seen = torch.arange(width)[None, :] < lengths[:, None]  # rows x width
        causal = torch.ones(length, length, dtype=torch.bool).tril()
        attn_mask = torch.cat(
            (seen[:, None, :].expand(batch, length, width), causal[None].expand(batch, -1, -1)), dim=-1
        )[:, None]
        for layer, (pk, pv) in zip(self.layers, past, strict=True):
            q, k, v = self._qkv(layer, x, cos, sin)
            k = torch.cat((pk[:, :, :width].index_select(0, rows), k), dim=2)
            v = torch.cat((pv[:, :, :width].index_select(0, rows), v), dim=2)
            x = self._attend(layer, x, q, k, v, attn_mask)
        return self._rms(x, self.norm)

    def _qkv(
        self, layer: Layer, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """A layer's queries, keys and values of ``x`` (batch x heads x time x head_dim),
        queries and keys rotated."""
        batch, length, _ = x.shape
        h = self._rms(x, layer.attn_norm)
        q = F.linear(h, layer.q).view(batch, length, self.heads, self.head_dim).transpose(1, 2)
        k = F.linear(h, layer.k).view(batch, length, self.kv_heads, self.head_dim).transpose(1, 2)
        v = F.linear(h, layer.v).view(batch, length, self.kv_heads, self.head_dim).transpose(1, 2)
        return self._rotate(q, cos, sin), self._rotate(k, cos, sin), v

    def _attend(
        self,
        layer: Layer,
        x: torch.Tensor,
        q: torch.Tensor,
        k: torch.Tensor,
        v: torch.Tensor,
        attn_mask: torch.Tensor,
    ) -> torch.Tensor:
        """The rest of a layer: attention over ``k``/``v`` (prefix included), then the MLP,
        each added to the residual stream ``x``."""
        batch, length, _ = x.shape
        # grouped-query attention without copying each key and value head per query head
        a = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attn_mask, enable_gqa=self.heads != self.kv_heads
        )
        x = x + F.linear(a.transpose(1, 2).reshape(batch, length, self.dim), layer.o)
        h = self._rms(x, layer.mlp_norm)
        return x + F.linear(F.silu(F.linear(h, layer.gate)) * F.linear(h, layer.up), layer.down)

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        return F.linear(hidden, self.head)
