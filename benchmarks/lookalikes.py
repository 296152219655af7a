"""How well look-alikes are found: precision and recall on the labelled pairs.

    python benchmarks/lookalikes.py [--sweep] [--misses] [--words]

tests/fixtures/lookalikes.jsonl holds question pairs from podcasts on medicine, training,
nutrition, tech and money: rewordings of one question (abbreviations, word order, plural and
verb forms, typos, long preambles) marked same, and different questions on the same topic
marked not. Each pair's split ("dev" or "held-out") is fixed by a hash of its words: tune
on the dev half only (--sweep, --misses) and report the held-out half on its own. As in an
import, every pair's first question is in the index (with the others), the second is looked
up, and a pair counts as found when the first is among the (at most 3) suggestions above the
threshold. Look-alikes are found as an import finds them: by words and by meaning
(look_alikes.py); --words shows words alone, as without the model. Target: recall >= 0.85 at
precision >= 0.9.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from qa_queue.importers.common import title_from
from qa_queue.look_alikes import merged
from qa_queue.meaning import encoder
from qa_queue.meanings import ALIKE, Meanings, meaning_text
from qa_queue.similarity import SimilarityIndex

PAIRS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "lookalikes.jsonl"


def load(path: Path = PAIRS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def found(
    pairs: list[dict], *, meaning: bool = True, alike: float = ALIKE, **options
) -> list[bool]:
    """For each pair: whether its first question is suggested for its second."""
    firsts = list(dict.fromkeys(pair["a"] for pair in pairs))
    ids = {text: number for number, text in enumerate(firsts, 1)}
    index = SimilarityIndex()
    for text, number in ids.items():
        index.add(number, title_from(text), text)
    meanings = Meanings()
    if meaning:
        meanings.read([(number, meaning_text(title_from(t), t)) for t, number in ids.items()])
        asked = [meaning_text(title_from(pair["b"]), pair["b"]) for pair in pairs]
        vectors = encoder().encode(asked)
    hits = []
    for n, pair in enumerate(pairs):
        suggested = index.similar(title_from(pair["b"]), pair["b"], **options)
        if meaning:
            suggested = merged(suggested, meanings.nearest(vectors[n], alike=alike), 3)
        hits.append(ids[pair["a"]] in {i for i, _ in suggested})
    return hits


def quality(pairs: list[dict], hits: list[bool]) -> tuple[float, float, int, int]:
    """(precision, recall, false positives, missed)."""
    true_pos = sum(hit and pair["same"] for pair, hit in zip(pairs, hits, strict=True))
    false_pos = sum(hit and not pair["same"] for pair, hit in zip(pairs, hits, strict=True))
    positives = sum(pair["same"] for pair in pairs)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    return precision, true_pos / positives, false_pos, positives - true_pos


def report(name: str, pairs: list[dict], **options) -> tuple[float, float]:
    hits = found(pairs, **options)
    precision, recall, false_pos, missed = quality(pairs, hits)
    same = sum(pair["same"] for pair in pairs)
    print(
        f"{name:>9}: {len(pairs):>3} pairs ({same} same)  precision {precision:.3f}  "
        f"recall {recall:.3f}  ({false_pos} wrongly suggested, {missed} missed)"
    )
    return precision, recall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="thresholds on the dev half")
    parser.add_argument("--misses", action="store_true", help="print the dev half's mistakes")
    parser.add_argument("--words", action="store_true", help="by words alone (no model)")
    args = parser.parse_args()
    meaning = not args.words
    pairs = load()
    dev = [pair for pair in pairs if pair["split"] == "dev"]
    held_out = [pair for pair in pairs if pair["split"] == "held-out"]
    started = time.perf_counter()
    report("dev", dev, meaning=meaning)
    report("held-out", held_out, meaning=meaning)
    report("all", pairs, meaning=meaning)
    print(f"({time.perf_counter() - started:.2f} s; target: recall >= 0.85 at precision >= 0.9)")
    if args.sweep:
        if meaning:
            for alike in range(50, 72, 2):
                report(f"dev @{alike}", dev, alike=alike / 100)
        else:
            for threshold in range(30, 80, 5):
                report(f"dev @{threshold}", dev, threshold=threshold, meaning=False)
    if args.misses:
        for pair, hit in zip(dev, found(dev, meaning=meaning), strict=True):
            if hit != pair["same"]:
                print(f"{'FP' if hit else 'FN'} {pair['a'][:70]!r}\n   {pair['b'][:110]!r}")


if __name__ == "__main__":
    main()
