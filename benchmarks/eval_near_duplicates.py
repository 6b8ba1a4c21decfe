"""Near-duplicate detection measured on the labelled pairs in ``fixtures/near_duplicates/pairs.jsonl``.

Run: ``python benchmarks/eval_near_duplicates.py`` (``--pairs FILE`` for another set, ``--verbose``
for every pair's scores).

For each candidate measure it prints precision / recall / F1 over a range of thresholds, then the
end-to-end figure: a seen-store (:class:`MemoryStore`, with its LSH candidate stage and the chosen
threshold) holding ``a`` and asked ``find_duplicate`` for ``b`` — the code path the crawl uses.

Measures: exact Jaccard of the character k-shingle sets (k = 2..5), the MinHash estimate of the
3-shingle Jaccard (what the store thresholds) and the MinHash containment estimate (share of the
smaller text found in the larger one).

Result on the 41 pairs (21 duplicate, 20 distinct; measured 2026-11-27):

* MinHash Jaccard (k=3, what the store thresholds) puts reprints, edited titles/wording and an
  extra or removed paragraph at 0.62-0.91, and different articles on the same topic or event, a
  follow-up, a shared press-release paragraph, digests quoting a lead or a whole brief and a
  templated daily forecast at 0.00-0.36.
* Precision 1.00 / recall 0.95 (F1 0.98) for every threshold from 0.40 to 0.60; the store uses
  **0.50**, the middle of that plateau. The one miss is an *abridged* reprint keeping only the
  lead paragraph of three inside another portal's boilerplate (0.30). A threshold of 0.25 would
  catch it (P 0.95 / R 1.00, the table's "best F1" by a hair) but sits inside the distinct range
  (a roundup that quotes a whole brief: 0.36), with no margin either way.
* Containment (share of the smaller text found in the other) catches the abridged reprint (0.63)
  but gives the roundup 1.00: precision 0.95 at best. Dropping a roundup because one of its items
  was seen loses the other items, so the store thresholds Jaccard, not containment.
* Exact Jaccard: k=2 raises unrelated same-topic texts (common two-character words); k=3..5
  behave alike on this set; the MinHash estimate tracks exact k=3 Jaccard within 0.02 on average.
* End to end (MemoryStore + LSH, 21 bands x 3 rows of a 64-bin MinHash, threshold 0.50):
  **precision 1.00, recall 0.95, F1 0.98**; wrong: abridged-tiger-park-lead-only.

``tests/test_dedupe_near_duplicates.py`` asserts precision >= 1.00 and recall >= 0.95 end to end.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newscrawler.dedupe.fingerprint import BANDS, ROWS_PER_BAND, shingles, signature  # noqa: E402
from newscrawler.dedupe.store import NEAR_DUPLICATE_THRESHOLD  # noqa: E402
from newscrawler.dedupe.stores import MemoryStore  # noqa: E402

DEFAULT_PAIRS = ROOT / "fixtures" / "near_duplicates" / "pairs.jsonl"
THRESHOLDS = [round(0.1 + 0.05 * i, 2) for i in range(17)]  # 0.10 .. 0.90


def load_pairs(path: Path = DEFAULT_PAIRS) -> list[dict[str, Any]]:
    """The labelled pairs: dicts with id, kind, label ("duplicate"/"distinct"), a, b."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def prf(predicted: Iterable[bool], actual: Iterable[bool]) -> tuple[float, float, float]:
    """Precision, recall and F1 of boolean predictions (positive = duplicate)."""
    tp = fp = fn = 0
    for p, a in zip(predicted, actual, strict=True):
        tp += p and a
        fp += p and not a
        fn += a and not p
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def exact_jaccard(k: int) -> Callable[[str, str], float]:
    def score(a: str, b: str) -> float:
        sa, sb = shingles(a, k), shingles(b, k)
        return len(sa & sb) / len(sa | sb) if sa | sb else 1.0

    return score


def minhash_jaccard(a: str, b: str) -> float:
    return signature(a).jaccard(signature(b))


def minhash_containment(a: str, b: str) -> float:
    return signature(a).containment(signature(b))


MEASURES: dict[str, Callable[[str, str], float]] = {
    "jaccard k=2": exact_jaccard(2),
    "jaccard k=3": exact_jaccard(3),
    "jaccard k=4": exact_jaccard(4),
    "jaccard k=5": exact_jaccard(5),
    "minhash jaccard k=3": minhash_jaccard,
    "minhash containment k=3": minhash_containment,
}


def store_predictions(pairs: list[dict[str, Any]], threshold: float) -> list[bool]:
    """End to end: a store holding ``a`` is asked ``find_duplicate`` for ``b``."""
    out = []
    for pair in pairs:
        store = MemoryStore(threshold=threshold)
        store.add(url="http://a.example/1", canonical_url="http://a.example/1", body=pair["a"], portal="a")
        out.append(store.find_duplicate("http://b.example/1", pair["b"]) is not None)
    return out


def evaluate_store(
    pairs: list[dict[str, Any]], threshold: float = NEAR_DUPLICATE_THRESHOLD
) -> tuple[float, float, float]:
    """Precision, recall, F1 of the seen-store's decision on ``pairs``."""
    actual = [p["label"] == "duplicate" for p in pairs]
    return prf(store_predictions(pairs, threshold), actual)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS)
    parser.add_argument("--verbose", action="store_true", help="print every pair's scores")
    args = parser.parse_args(argv)

    pairs = load_pairs(args.pairs)
    actual = [p["label"] == "duplicate" for p in pairs]
    n_dup = sum(actual)
    print(f"{args.pairs}: {len(pairs)} pairs ({n_dup} duplicate, {len(pairs) - n_dup} distinct)\n")

    scores = {name: [fn(p["a"], p["b"]) for p in pairs] for name, fn in MEASURES.items()}

    if args.verbose:
        names = list(MEASURES)
        print("label     kind                       " + "  ".join(f"{n[-13:]:>13}" for n in names) + "  id")
        for i, p in enumerate(pairs):
            vals = "  ".join(f"{scores[n][i]:13.2f}" for n in names)
            print(f"{p['label']:9} {p['kind'][:26]:26} {vals}  {p['id']}")
        print()

    for name in MEASURES:
        print(f"{name}:  threshold  precision  recall  F1")
        best = max(THRESHOLDS, key=lambda t: (prf([s >= t for s in scores[name]], actual)[2], -abs(t - 0.5)))
        for t in THRESHOLDS:
            p, r, f = prf([s >= t for s in scores[name]], actual)
            mark = "  <- best F1" if t == best else ""
            print(f"  {t:17.2f}  {p:9.2f}  {r:6.2f}  {f:4.2f}{mark}")
        dup = [s for s, a in zip(scores[name], actual, strict=True) if a]
        dis = [s for s, a in zip(scores[name], actual, strict=True) if not a]
        print(f"  duplicates {min(dup):.2f}..{max(dup):.2f}, distinct {min(dis):.2f}..{max(dis):.2f}\n")

    missed = [
        p["id"]
        for p, pred in zip(pairs, store_predictions(pairs, NEAR_DUPLICATE_THRESHOLD), strict=True)
        if pred != (p["label"] == "duplicate")
    ]
    p, r, f = evaluate_store(pairs)
    print(
        f"seen-store end to end (MinHash {BANDS} bands x {ROWS_PER_BAND} rows, "
        f"threshold {NEAR_DUPLICATE_THRESHOLD:.2f}): precision {p:.2f}, recall {r:.2f}, F1 {f:.2f}"
    )
    print(f"  wrong: {', '.join(missed) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
