"""Articles per topic per day: counted from the store, drawn as a PNG, printed as a table.

Shared by `topicbot stats` and the chat's /stats, so both show the same numbers. Days are
Copenhagen calendar days (what a Danish reader calls "yesterday"), by publication time when
the outlet gave one, else by when the article was fetched.

matplotlib is a regular dependency, imported only when a chart is drawn (Agg backend, no
display needed), so starting the bot does not pay for it. An installation that lost it still
runs, and `/stats` says what is missing.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

from bot.errors import TopicbotError
from bot.i18n import t
from bot.localtime import COPENHAGEN
from bot.store import stats as store_stats
from bot.store.base import StoreBase

#: topic id → one (day, count) per day, oldest first, zero-filled.
DailyCounts = dict[str, list[tuple[date, int]]]


class PlotUnavailable(TopicbotError):
    """matplotlib is missing from this installation (it is a dependency of topicbot)."""

    def __init__(self) -> None:
        super().__init__(
            "cannot draw charts: matplotlib is missing from this installation; "
            "reinstall topicbot (pip install .) to get it back"
        )


def topic_counts_per_day(
    store: StoreBase,
    days: int = 30,
    now: datetime | None = None,
    topics: Sequence[str] | None = None,
) -> DailyCounts:
    """Matched articles per topic per Copenhagen day, for the `days` days ending today.

    Every topic in `topics` (e.g. the configured ones, in their order) is present even with no
    articles; topics found in the store but not listed are added after them.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    now = now or datetime.now(UTC)
    today = now.astimezone(COPENHAGEN).date()
    first = today - timedelta(days=days - 1)
    window = [first + timedelta(days=i) for i in range(days)]
    start = datetime.combine(first, datetime.min.time(), COPENHAGEN)
    # Loose bound for the query (a day's slack for time zones); exact bucketing below.
    rows = store_stats.matched_topic_times(store, start - timedelta(days=1))
    counts: dict[str, dict[date, int]] = {topic: {} for topic in topics or ()}
    for topic, fetched, published in rows:
        day = (published or fetched).astimezone(COPENHAGEN).date()
        if first <= day <= today:
            per_day = counts.setdefault(topic, {})
            per_day[day] = per_day.get(day, 0) + 1
    return {topic: [(d, per_day.get(d, 0)) for d in window] for topic, per_day in counts.items()}


def render_chart(
    counts: Mapping[str, Sequence[tuple[date, int]]],
    topic_names: Mapping[str, str] | None = None,
    title: str = "Artikler pr. emne pr. dag",
    *,
    language: str = "da",
) -> bytes:
    """A PNG line chart (one line per topic) of `topic_counts_per_day` output.

    Uses matplotlib's object API on the Agg backend (no pyplot state, no display), so it is
    safe in a worker thread: call it via `asyncio.to_thread` from the bot.
    Raises PlotUnavailable when matplotlib is missing.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.dates import AutoDateLocator, DateFormatter, date2num
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator
    except ImportError:
        raise PlotUnavailable() from None

    names = topic_names or {}
    fig = Figure(figsize=(10, 5), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    drawn = 0
    for topic, series in counts.items():
        if not series:
            continue
        days = date2num([d for d, _ in series])  # what Axes.plot is typed to take
        values = [n for _, n in series]
        ax.plot(
            days, values, marker="o", markersize=3, linewidth=1.8, label=names.get(topic, topic)
        )
        drawn += 1
    ax.set_title(title)
    # Danish in chat by default, English for the operator's `topicbot stats --plot`.
    ax.set_ylabel(t(language, "chart_articles"))
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_locator(AutoDateLocator(minticks=4, maxticks=10))
    ax.xaxis.set_major_formatter(DateFormatter("%d.%m"))
    ax.grid(True, alpha=0.3)
    if drawn:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    else:
        ax.text(
            0.5,
            0.5,
            t(language, "chart_no_articles"),
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def format_table(
    counts: Mapping[str, Sequence[tuple[date, int]]],
    topic_names: Mapping[str, str] | None = None,
    *,
    last: int = 7,
) -> str:
    """Topic × the last `last` days, plus the total over the whole window, as aligned text."""
    names = topic_names or {}
    series = next((s for s in counts.values() if s), None)
    if series is None:
        return "(no topics)\n"
    recent = [d for d, _ in series][-last:]
    span = len(series)
    header = ["topic", *(d.strftime("%d.%m") for d in recent), f"{span} days"]
    rows = [header]
    for topic, s in counts.items():
        by_day = dict(s)
        rows.append(
            [
                names.get(topic, topic),
                *(str(by_day.get(d, 0)) for d in recent),
                str(sum(by_day.values())),
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"
