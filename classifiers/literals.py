"""Which sets of terms an article might contain, found in one pass before any regex runs.

A Python regex alternation is stepped through every position of a text (15-50 µs for a news
lead, even gated as `keywords.KeywordMatcher` gates it), while every match of a term
contains a fixed substring, its literal ("nato" for `nato`, "artikel" for `artikel 5`). Most
articles contain no literal at all, so they skip the regexes without any change in results.

The literals are searched together with an Aho-Corasick automaton (`ahocorasick-rs`, Rust),
not one `literal in text` per literal: over the 11,361 leads of the news summary corpus with
the 58 literals of the shipped keywords, 3.2 µs per article against 22.8 µs for the 58
substring checks and 53 µs for one regex alternation of the literals (`bench/classify.py`
measures the whole classifier). The automaton's cost barely grows with the number of
literals, which matters for the many related terms and for subscribers' watch words. Built
as a DFA since the keywords grew to 128 literals: 2.3 against 6.5 µs per lead for the
library's default automaton (BENCHMARKS.md, round 33).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from ahocorasick_rs import AhoCorasick, Implementation

from classifiers.text import normalize

__all__ = ["LiteralFilter", "required_literal"]

_LEADING_WORD = re.compile(r"[^\W_]+")


def required_literal(term: str) -> str:
    """A substring every match of `term` contains in normalised text: the leading letters or
    digits of its first word ("artikel 5" → "artikel", "sars-cov-2" → "sars"). "" when the
    term starts with something else (then no cheap pre-check is possible)."""
    t = normalize(term).strip().strip("*").strip()
    m = _LEADING_WORD.match(t)
    return m.group() if m else ""


class LiteralFilter:
    """Groups of terms (one per topic, say) and which of them a normalised text may match.

    A group whose every term has a literal is "in" a text when one of its literals occurs
    there; a group with a term that has none is in every text (it must always be scanned);
    an empty group is in none."""

    def __init__(
        self,
        groups: Sequence[Iterable[str]],
        literal: Callable[[str], str] = required_literal,
    ) -> None:
        owners: dict[str, set[int]] = {}
        always: set[int] = set()
        for g, terms in enumerate(groups):
            lits = {literal(t) for t in terms}
            if "" in lits:
                always.add(g)
                continue
            for lit in lits:
                owners.setdefault(lit, set()).add(g)
        self._always = frozenset(always)
        patterns = sorted(owners)
        self._owners = [frozenset(owners[p]) for p in patterns]
        # A DFA (see the module's docstring): built in a few ms at start-up.
        self._automaton = (
            AhoCorasick(patterns, implementation=Implementation.DFA) if patterns else None
        )

    def starts_in(self, text: str) -> dict[int, list[int] | None]:
        """Group → where its literals begin in `text`, for the groups that may match there;
        None for a group with a term that has no literal (it must be scanned whole)."""
        starts: dict[int, list[int]] = {}
        if self._automaton is not None:
            owners = self._owners
            # Overlapping matches: a literal inside another literal's match must not be missed.
            for i, start, _ in self._automaton.find_matches_as_indexes(text, overlapping=True):
                for g in owners[i]:
                    starts.setdefault(g, []).append(start)
        return {**dict.fromkeys(self._always), **starts}

    def groups_in(self, text: str) -> frozenset[int]:
        """Indexes of the groups that may match in `text`."""
        return frozenset(self.starts_in(text))
