"""Counted nouns in operator-facing English ("1 source", "2 sources")."""

from __future__ import annotations


def plural(n: int, noun: str, many: str | None = None) -> str:
    """`n` and `noun`, with `many` (default: noun + "s") unless n is 1."""
    return f"{n} {noun if n == 1 else (many or noun + 's')}"
