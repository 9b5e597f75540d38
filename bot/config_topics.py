"""A topic's section of `config.yaml`: its names, keywords and the operator's knowledge of how
Danish news names it (related terms, look-alikes, other subjects, terms in office). Kept apart
from `bot.config` because it is the part a newsroom edits and the classifier reads
(`bot.config.Config.topic_rules`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import Field, ValidationInfo, field_validator, model_validator

from bot.config_types import ConfigModel, Term

__all__ = ["TopicConfig", "TopicNames"]


class TopicNames(ConfigModel):
    da: str
    en: str


class TopicConfig(ConfigModel):
    #: Stable id used in the database, commands and the model (`NATO`, `COVID-19`).
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
    name: TopicNames
    #: Word-aware keywords; `nato` matches Nato, Natos, NATO's, Nato-landene.
    #: A `*` ending a word matches any ending (`corona*`, `pakistan* taliban`), one starting
    #: the term any beginning; `check-config` refuses a `*` anywhere else.
    keywords: list[Term] = Field(min_length=1)
    #: Terms that veto a keyword hit (`corona-øl`, `senator`): each vetoes the keywords it
    #: contains, everywhere in the article (an exclude with no keyword in it vetoes all);
    #: its last word also matches compounds (`corona-øl` → Corona-ølflasker). One with a
    #: related term and no keyword (`restriktion* på`) vetoes that related term only.
    exclude: list[Term] = []
    #: People, places, institutions and measures of the topic (`kandahar`, `smittetal*`):
    #: weaker evidence than a keyword, stronger than the context model alone.
    related: list[Term] = []
    #: Other subjects sharing the topic's vocabulary (`influenza*`, `mpox` for COVID-19):
    #: without a keyword, an article naming one is not alerted on by the model alone.
    others: list[Term] = []
    #: false: no alert from the context model alone (no keyword, no related term); for a
    #: topic that is a place, whose stories always name it or its places and people.
    model_alone: bool = True
    #: true: two different related terms in an article alert unless the context model argues
    #: against them; for a topic whose related terms are its own proper names (its operations,
    #: summits).
    related_pair_alerts: bool = False
    #: Keywords that name the topic even when named once in a body: its own measures and
    #: figures (`forsamlingsforbud*`, `smittetal*`), which other news does not use in
    #: passing. One such mention outside the headline is strong evidence, as two of the
    #: other keywords are; a time marker or a list still demotes it.
    named_once: list[Term] = []
    #: Keywords that named the topic only until a day (a person's term in office):
    #: `{stoltenberg: 2024-09-30}`. In articles published later the term is a related term.
    until: dict[str, date] = {}
    #: Keywords that name the topic only from a day on: `{rutte: 2024-10-01}`. In articles
    #: published earlier, or of unknown date, the term is a related term. A term may have
    #: both (a term in office): then an article of unknown date counts it, as `until` does.
    since: dict[str, date] = {}

    @field_validator("keywords", "exclude", "related", "others", "named_once")
    @classmethod
    def _terms_listed_once(cls, v: list[str]) -> list[str]:
        """A term listed twice is a slip of a long hand-edited list (the second copy usually
        sits under a comment that means to add something else): say so rather than keep it."""
        seen: set[str] = set()
        twice = []
        for term in v:
            key = term.strip().casefold()
            if key in seen:
                twice.append(term.strip())
            seen.add(key)
        if twice:
            verb = "is" if len(twice) == 1 else "are each"
            raise ValueError(f"{', '.join(map(repr, twice))} {verb} listed twice")
        return v

    @field_validator("named_once")
    @classmethod
    def _named_once_are_keywords(cls, v: list[str], info: ValidationInfo) -> list[str]:
        _check_are_keywords(v, info)
        return [term.strip() for term in v]

    @field_validator("until", "since")
    @classmethod
    def _dates_name_keywords(cls, v: dict[str, date], info: ValidationInfo) -> dict[str, date]:
        _check_are_keywords(v, info)
        return {term.strip(): day for term, day in v.items()}

    @model_validator(mode="after")
    def _terms_in_office_start_before_they_end(self) -> TopicConfig:
        empty = [t for t, first in self.since.items() if t in self.until and first > self.until[t]]
        if empty:
            raise ValueError(f"{', '.join(map(repr, empty))}: 'since' is after 'until'")
        return self

    def display_name(self, language: str) -> str:
        """The name a reader sees in `language` (Danish for a language it has no name in)."""
        return self.name.en if language == "en" else self.name.da


def _check_are_keywords(terms: Iterable[str], info: ValidationInfo) -> None:
    """Raise when a term that must name one of the topic's keywords does not. Silent when the
    keywords failed validation themselves: they are reported as such, not once per term."""
    if "keywords" not in info.data:
        return
    keywords = info.data["keywords"]
    unknown = [term for term in terms if term.strip() not in keywords]
    if unknown:
        raise ValueError(f"{', '.join(map(repr, unknown))} is not one of this topic's keywords")
