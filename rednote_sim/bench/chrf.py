"""chrF: character n-gram F-score (Popović, 2015), as sacrebleu computes it.

Used to compare two systems' outputs on the same lines: 100 means the same
characters in the same local order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def _ngrams(text: str, n: int) -> Counter[str]:
    # Like sacrebleu, whitespace is ignored: "hot pot" and "hotpot" share every n-gram.
    chars = "".join(text.split())
    return Counter(chars[i : i + n] for i in range(len(chars) - n + 1))


def corpus_chrf(
    hypotheses: Sequence[str], references: Sequence[str], *, order: int = 6, beta: float = 2.0
) -> float:
    """Corpus-level chrF of ``hypotheses`` against ``references`` (0-100).

    Matches are counted over the whole corpus per n-gram order; the score is
    the mean, over the orders both sides have n-grams of, of the F-beta of
    precision and recall.
    """
    if len(hypotheses) != len(references):
        raise ValueError("one reference per hypothesis")
    factor = beta**2
    total, effective = 0.0, 0
    for n in range(1, order + 1):
        hyp_count = ref_count = match = 0
        for hyp, ref in zip(hypotheses, references, strict=True):
            h, r = _ngrams(hyp, n), _ngrams(ref, n)
            hyp_count += sum(h.values())
            ref_count += sum(r.values())
            match += sum((h & r).values())
        if hyp_count == 0 or ref_count == 0:
            continue  # texts too short for this order: it does not count (sacrebleu's rule)
        effective += 1
        precision, recall = match / hyp_count, match / ref_count
        denom = factor * precision + recall
        total += (1 + factor) * precision * recall / denom if denom else 0.0
    if effective == 0:
        pairs = zip(hypotheses, references, strict=True)
        same = all("".join(h.split()) == "".join(r.split()) for h, r in pairs)
        return 100.0 if same else 0.0
    return 100 * total / effective
