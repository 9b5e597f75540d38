"""Danish local time: every time a person reads (alerts, digests, /status, charts, quiet
hours, logs, `feeds list`) is Europe/Copenhagen, in one place so the zone and the format
cannot drift apart. Operator output names the zone (CET/CEST) so it is never a guess."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def format_local(moment: datetime, fmt: str = "%d.%m.%Y %H:%M") -> str:
    """`moment` on Copenhagen's clock; a naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(COPENHAGEN).strftime(fmt)


#: Operator-facing timestamps (logs, `feeds list`): the zone is part of the text.
OPERATOR_FORMAT = "%Y-%m-%d %H:%M:%S %Z"

_MONTHS = {
    "da": "januar februar marts april maj juni juli august september oktober november december",
    "en": "January February March April May June July August September October November December",
}


def format_published(moment: datetime, language: str = "da") -> str:
    """A publication time as a reader wants it. A date without a time of day arrives as
    midnight UTC (a folder file's ` date 2020-04-24` tag, a feed that gives only a date) and
    is shown as that date; on the 1st of a month it is taken for a month-only tag
    (` date 2020-04`) and shown as the month, "april 2020", not as 02:00 on the 1st."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    utc = moment.astimezone(UTC)
    if (utc.hour, utc.minute, utc.second, utc.microsecond) != (0, 0, 0, 0):
        return format_local(moment)
    if utc.day == 1:
        months = _MONTHS.get(language, _MONTHS["da"]).split()
        return f"{months[utc.month - 1]} {utc.year}"
    return utc.strftime("%d.%m.%Y")
