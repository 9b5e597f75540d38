"""The value types of `config.yaml` fields that need more than pydantic's own: durations with
units and keyword-rule terms. Each validates one value, so an error names its own key and
line (`bot.config_messages`).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationInfo

from classifiers.terms import term_pattern

__all__ = ["FROM_FILE", "ConfigModel", "Duration", "OptionalDuration", "Term", "parse_duration"]

_DURATION = re.compile(r"^\s*(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+(?:\.\d+)?)s)?\s*$")


def parse_duration(value: Any) -> float:
    """Seconds from ``90``, ``"30s"``, ``"1.5s"``, ``"5m"``, ``"1h30m"`` or ``"2d"``."""
    if isinstance(value, bool):
        raise ValueError("must be a duration like 5m")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and value.strip() and (m := _DURATION.match(value)):
        d, h, mi, s = (float(g) if g else 0.0 for g in m.groups())
        seconds = d * 86400 + h * 3600 + mi * 60 + s
    else:
        raise ValueError("must be a duration like 5m")
    if seconds <= 0:
        raise ValueError("must be a duration like 5m (greater than zero)")
    return seconds


def _duration_in_file(value: Any, info: ValidationInfo) -> float:
    """A bare number in config.yaml is refused: `interval: 10` reads as ten minutes to some
    and ten seconds to others. Python callers may still pass seconds."""
    if (
        info.context
        and info.context.get(FROM_FILE)
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ):
        raise ValueError(
            f"{value} has no unit: write {_plain(value)}s for seconds or {_plain(value)}m "
            "for minutes (units: s, m, h, d)"
        )
    return parse_duration(value)


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


#: parse_config's validation context key: the values come from the operator's file.
FROM_FILE = "from_file"

Duration = Annotated[float, BeforeValidator(_duration_in_file)]
#: A duration where 0 means "off".
OptionalDuration = Annotated[
    float,
    BeforeValidator(lambda v, info: 0.0 if v in (0, "0", "off") else _duration_in_file(v, info)),
]


def _term(v: str) -> str:
    """One keyword-rule term, checked item by item so a problem names its own line."""
    v = v.strip()
    if not v or v == "*":
        raise ValueError("must not be an empty term")
    term_pattern(v)  # its ValueError names the term and what is wrong with it
    return v


#: A term of the keyword rules (`classifiers.terms`): stripped, and refused where it could
#: never match as written.
Term = Annotated[str, AfterValidator(_term)]


class ConfigModel(BaseModel):
    """The base of every section of `config.yaml`."""

    # Unknown keys are errors: a typo like `intreval` must not be silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)
