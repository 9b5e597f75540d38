"""Danish local time: every time a person reads (alerts, digests, /status, charts, quiet
hours) is Europe/Copenhagen, in one place so the zone and the format cannot drift apart."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def format_local(moment: datetime, fmt: str = "%d.%m.%Y %H:%M") -> str:
    """`moment` on Copenhagen's clock; a naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(COPENHAGEN).strftime(fmt)
