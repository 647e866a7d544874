"""Texts written for the tests (never corpus text), shared by test files of several folders."""
from __future__ import annotations

import random


def long_prose(size: int, seed: int, sentences: list[str]) -> str:
    """At least `size` characters of paragraphs of five of `sentences` (each may hold `{n}`),
    different for every seed, so that no two texts are wire copies of each other."""
    rng = random.Random(seed)
    paragraphs, length = [], 0
    while length < size:
        paragraph = " ".join(rng.choice(sentences).format(n=rng.randint(2, 30)) for _ in range(5)) + "\n\n"
        paragraphs.append(paragraph)
        length += len(paragraph)
    return "".join(paragraphs)
