"""What reading questions' meanings costs (look_alikes.py, meanings.py).

    python benchmarks/meanings.py [--questions N]

Prints: loading the model, reading N questions' meanings (title and the start of the
listener's words, as an import reads them), finding the nearest among 50k vectors, and saving
and loading a meanings file of 50k questions. The figures are in docs/LOOKALIKES.md.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

from imports import sentence  # benchmarks/imports.py: its questions, as a form holds them
from qa_queue import meaning
from qa_queue.meanings import Meanings, meaning_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(7)
    texts = [
        meaning_text(sentence(rng, 12), f"{sentence(rng, 40)} {sentence(rng, 30)}")
        for _ in range(args.questions)
    ]
    started = time.perf_counter()
    model = meaning.encoder()
    print(f"load the model (files checked): {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    model.encode(texts[:1])
    print(f"one question: {(time.perf_counter() - started) * 1000:.1f} ms")
    meanings = Meanings()
    started = time.perf_counter()
    meanings.read(list(enumerate(texts, 1)))
    took = time.perf_counter() - started
    print(f"read {len(texts)} questions: {took:.2f} s ({len(texts) / took:.0f} a second)")
    import numpy as np

    vectors = np.random.default_rng(7).standard_normal((50_000, meaning.DIMENSIONS))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    big = Meanings()
    big.put([(i, str(i)) for i in range(1, 50_001)], vectors.astype(np.float32))
    started = time.perf_counter()
    for row in range(100):
        big.nearest(vectors[row].astype(np.float32))
    print(f"nearest among 50k: {(time.perf_counter() - started) * 10:.2f} ms")
    with tempfile.TemporaryDirectory() as folder:
        big.path = Path(folder) / "q.json.meanings"
        started = time.perf_counter()
        big.save()
        saved = time.perf_counter() - started
        size = big.path.stat().st_size / 1e6
        started = time.perf_counter()
        assert len(Meanings(big.path)) == 50_000
        loaded = time.perf_counter() - started
    print(f"50k meanings file: {size:.1f} MB, saved in {saved:.2f} s, loaded in {loaded:.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
