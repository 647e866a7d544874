"""Ordinary news-like prose of any length, written for the benchmarks (no corpus text).

    python benchmarks/long_prose.py 1000000 > long.txt
"""
from __future__ import annotations

import random
import sys

_SIDES = [("the dockers' union", "the port authority"), ("the nurses' federation", "the health board"),
          ("the pilots' association", "the airline"), ("the teachers' union", "the education ministry"),
          ("Norvik Holdings", "the Brannock council"), ("the miners", "Coldwater Mining")]
_SENTENCES = [
    "{a} offered {b} a {n} percent pay rise over two years on {day}.",
    "{b} rejected the offer, saying it fell short of inflation.",
    "Negotiators for {a} and {b} met for a {ord} round of talks in the capital.",
    "{a} demanded a shorter working week and {n} more staff at every site.",
    "The weather was mild and the streets near the harbour were quiet all afternoon.",
    "A spokesperson for {b} said the talks had been constructive but slow.",
    "Local shops reported steady trade despite the dispute, according to the chamber of commerce.",
    "{b} said it would consider a revised proposal before the end of the month.",
    "Observers noted that the last agreement between the two sides expired in {month}.",
    "The committee published its annual report, which runs to {n} pages.",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
_ORDINALS = ["second", "third", "fourth", "fifth", "sixth"]
_MONTHS = ["January", "March", "May", "July", "September", "November"]


def prose(size: int, seed: int = 7) -> str:
    """About `size` characters of paragraphs (4-7 sentences each, blank line between)."""
    rng = random.Random(seed)
    parts: list[str] = ["Talks resume as the dispute drags on\n\n"]
    length = len(parts[0])
    while length < size:
        a, b = rng.choice(_SIDES)
        sentences = []
        for _ in range(rng.randint(4, 7)):
            s = rng.choice(_SENTENCES).format(a=a, b=b, n=rng.randint(2, 40), day=rng.choice(_DAYS),
                                              ord=rng.choice(_ORDINALS), month=rng.choice(_MONTHS))
            sentences.append(s[0].upper() + s[1:])
        paragraph = " ".join(sentences) + "\n\n"
        parts.append(paragraph)
        length += len(paragraph)
    return "".join(parts)[:size - 1].rstrip() + "\n"  # at most `size` characters


if __name__ == "__main__":
    sys.stdout.write(prose(int(sys.argv[1])))
