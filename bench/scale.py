"""Scale: typography and word-level diff of one paragraph at 10k / 100k / 300k words.

``python bench/scale.py typography 100000`` prints the median in-process seconds of
``fix_typography`` plus ``typography_problems`` on a paragraph of that many words;
``python bench/scale.py words 100000`` the same for ``bounded_word_diff`` of two drafts
of the paragraph (one word in a hundred replaced, inserted or deleted). ``run.py`` runs it
for each size in a fresh process and reports the growth ratio between sizes (linear: the
ratio of the sizes).
"""

from __future__ import annotations

import random
import statistics
import sys
import time

VOCABULARY = [
    "le", "la", "de", "des", "requérante", "décision", "article", "L.", "521-1", "Conseil",
    "d'État", "annulation", "moyen", "légalité", ":", ";", "«", "»", "n°", "2024-001",
    "https://www.legifrance.gouv.fr/x", "pièce.pdf", "contact@exemple.fr",
]  # fmt: skip


def paragraph(words: int, seed: int = 1) -> tuple[str, str]:
    """A paragraph of ``words`` words and an edited copy (1 % of words touched)."""
    rng = random.Random(seed)
    vocab = VOCABULARY + [f"mot{i}" for i in range(400)]
    old = [rng.choice(vocab) for _ in range(words)]
    new = list(old)
    for _ in range(max(1, words // 100)):
        k = rng.randrange(len(new))
        choice = rng.random()
        if choice < 0.4:
            new[k] = rng.choice(vocab)
        elif choice < 0.7:
            new.insert(k, rng.choice(vocab))
        else:
            del new[k]
    return " ".join(old) + ".", " ".join(new) + "."


def measure(kind: str, words: int, repeats: int = 3) -> float:
    """Median seconds of one operation on a paragraph of ``words`` words."""
    from requete.review.words import bounded_word_diff
    from requete.typography import fix_typography, typography_problems

    old, new = paragraph(words)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        if kind == "typography":
            typography_problems(fix_typography(old))
        else:
            bounded_word_diff(old, new)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


if __name__ == "__main__":
    print(f"{measure(sys.argv[1], int(sys.argv[2])):.6f}")
