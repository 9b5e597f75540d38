"""Digests: one message grouping a period's articles by topic, for hourly and daily chats.

A digest chat's alerts wait in the outbox with `hold_until` at the next digest boundary
(`bot.store.preferences`). When the boundary has passed, `DigestSender.drain` (run by
`TelegramSender.drain`, so it shares the gate: pacing, back-off and the drain lock) takes
*all* of the chat's due rows, renders them as one message — or a few, when the 4096-unit
limit is reached — and marks the rows of each message sent in one transaction once Telegram
accepted it. A restart anywhere in between leaves the rows pending (sent next time) or sent
(never again): a crash between Telegram's answer and the mark resends that one message, as
for single alerts.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from telegram import Bot
from telegram.constants import ParseMode

from bot.delivery_modes import digest_silent
from bot.i18n import t
from bot.localtime import format_local
from bot.plural import plural
from bot.store import OutboxItem, Store
from bot.telegram.attempt import Outcome, SendJob, attempt
from bot.telegram.format import (
    MAX_MESSAGE_UTF16,
    NO_PREVIEW,
    clean_text,
    safe_link,
    truncate,
    utf16_len,
    visible_len,
)
from bot.telegram.gate import SendGate
from bot.telegram.send_errors import Purpose

log = logging.getLogger(__name__)

#: Room kept for the header line of each message (its part number is known only at the end).
HEADER_RESERVE = 200
TITLE_UNITS = 200
#: Most alerts folded into one digest round; more wait for the next drain (seconds later).
MAX_ITEMS = 1000


@dataclass
class DigestMessage:
    """One message of a digest: Telegram HTML, its plain-text fallback, the rows it holds."""

    text: str
    plain: str
    ids: list[int] = field(default_factory=list)


@dataclass
class _Entry:
    group: str
    html: str
    plain: str
    id: int


def _group(item: OutboxItem, topic_names: Mapping[str, str]) -> str:
    if item.topics:
        return clean_text(topic_names.get(item.topics[0], item.topics[0]))
    if item.watch:
        return f"»{truncate(clean_text(item.watch[0]), 50)}«"
    return "…"


def _entry(item: OutboxItem, topic_names: Mapping[str, str], language: str) -> _Entry:
    a = item.article
    title = truncate(clean_text(a.title) or (a.link or ""), TITLE_UNITS)
    meta = truncate(clean_text(a.source), 60)
    if a.published is not None:
        meta += " " + format_local(a.published, "%H:%M")
    # Other outlets of the same story (merged into this alert, or earlier ones for an update).
    also = [truncate(clean_text(s), 40) for s in item.also if s != a.source][:5]
    if also:
        meta += f" · {t(language, 'alert_also')}: {', '.join(also)}"
    link = safe_link(a.link)
    shown = html.escape(title)
    if link:
        shown = f'<a href="{html.escape(link, quote=True)}">{shown}</a>'
    plain = f"• {title} ({meta})" + (f"\n  {link}" if link else "")
    return _Entry(
        _group(item, topic_names), f"• {shown} <i>({html.escape(meta)})</i>", plain, item.id
    )


def format_digest(
    items: Sequence[OutboxItem],
    topic_names: Mapping[str, str],
    language: str,
    now: datetime,
    *,
    limit: int = MAX_MESSAGE_UTF16,
) -> list[DigestMessage]:
    """The digest of `items` as one or more messages, each within `limit` UTF-16 units.

    Articles are grouped under their first topic (configured order; watch-word-only alerts
    under the word), each listed once with its linked title, outlet and time, and the other
    outlets that carried the same story.
    """
    order = {name: i for i, name in enumerate(topic_names.values())}
    entries = [_entry(item, topic_names, language) for item in items]
    groups: dict[str, list[_Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.group, []).append(entry)
    ranked = sorted(groups, key=lambda g: (order.get(g, len(order)), g))
    budget = limit - HEADER_RESERVE
    bodies: list[tuple[list[str], list[str], list[int]]] = []
    lines: list[str] = []
    plain: list[str] = []
    ids: list[int] = []
    for name in ranked:
        head = f"{name} ({len(groups[name])})"
        heading = False
        for entry in groups[name]:
            extra_h = ([f"\n<b>{html.escape(head)}</b>"] if not heading else []) + [entry.html]
            extra_p = ([f"\n{head}"] if not heading else []) + [entry.plain]
            size = max(
                visible_len("\n".join(lines + extra_h)), utf16_len("\n".join(plain + extra_p))
            )
            if ids and size > budget:
                bodies.append((lines, plain, ids))
                lines, plain, ids = [], [], []
                extra_h = [f"<b>{html.escape(head)}</b>", entry.html]
                extra_p = [head, entry.plain]
            lines += extra_h
            plain += extra_p
            ids.append(entry.id)
            heading = True
    if ids:
        bodies.append((lines, plain, ids))
    when = format_local(now)
    messages = []
    for n, (body_h, body_p, body_ids) in enumerate(bodies, 1):
        part = t(language, "digest_part", part=n, parts=len(bodies)) if len(bodies) > 1 else ""
        header = t(language, "digest_header", count=len(entries), when=when) + part
        header_plain = html.unescape(header.replace("<b>", "").replace("</b>", ""))
        messages.append(
            DigestMessage(
                header + "\n" + "\n".join(body_h).lstrip("\n"),
                header_plain + "\n" + "\n".join(body_p).lstrip("\n"),
                body_ids,
            )
        )
    return messages


class _DigestRows:
    """The outbox rows one digest message carries: marked together."""

    def __init__(self, store: Store, ids: list[int]) -> None:
        self.store, self.ids = store, ids

    def sent(self, message_id: int | None) -> None:
        self.store.mark_digest_sent(self.ids)

    def retry(self, error: str, delay: float) -> None:
        self.store.mark_digest_retry(self.ids, error, delay)

    def failed(self, error: str) -> None:
        self.store.mark_digest_failed(self.ids, error)


class DigestSender:
    """Sends the due digests through the delivery's gate (its pacing and back-off)."""

    def __init__(
        self,
        bot: Bot,
        store: Store,
        gate: SendGate,
        names: Callable[[str], Mapping[str, str]],
        *,
        paid: bool = False,
    ) -> None:
        self.bot = bot
        self.store = store
        self.gate = gate
        self.names = names
        #: Sent as paid broadcasts (`telegram.paid_broadcast`).
        self.paid = paid

    async def drain(self, now: datetime | None = None) -> int:
        """Send every digest that is due; returns how many alerts they carried."""
        now = now or self.store.delivery_now()
        sent = 0
        for chat_id in self.store.digest_due_chats(now):
            if self.gate.closed():
                break
            sent += await self.send_chat(chat_id, now)
        return sent

    async def flush(self, chat_id: int) -> int:
        """Send all the chat's pending alerts as one digest now, due or not (the chat leaves
        digest mode: what it collected so far comes as a digest, not one by one)."""
        async with self.gate.drain_lock():
            return await self.send_chat(chat_id, self.store.delivery_now(), everything=True)

    async def send_chat(self, chat_id: int, now: datetime, *, everything: bool = False) -> int:
        upto = datetime.max.replace(tzinfo=UTC) if everything else now
        items = self.store.digest_items(chat_id, upto, limit=MAX_ITEMS)
        if not items:
            return 0
        language = items[0].language
        names = self.names(language)
        silent = digest_silent(self.store.delivery_prefs(chat_id), now)
        try:
            messages = format_digest(items, names, language, now)
        except Exception as exc:  # a formatting bug must not block the chat forever
            log.exception("digest for chat %d cannot be formatted", chat_id)
            self.store.mark_digest_failed([i.id for i in items], f"format: {exc!r}")
            return 0
        attempts = max(i.attempts for i in items)
        sent = 0
        for message in messages:
            if not await self._deliver(chat_id, message, silent, attempts):
                break
            sent += len(message.ids)
        return sent

    async def _deliver(
        self, chat_id: int, message: DigestMessage, silent: bool, attempts: int
    ) -> bool:
        """One digest message; True when sent (and its rows marked)."""

        async def send(plain: bool) -> int | None:
            sent = await self.bot.send_message(
                chat_id=chat_id,
                text=message.plain if plain else message.text,
                parse_mode=None if plain else ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                disable_notification=silent,
                allow_paid_broadcast=self.paid or None,
            )
            return sent.message_id

        job = SendJob(
            Purpose.DIGEST,
            chat_id,
            f"digest of {plural(len(message.ids), 'alert')}",
            attempts,
            send,
            _DigestRows(self.store, message.ids),
            paid=self.paid,
        )
        return await attempt(self.gate, self.store, job) is Outcome.SENT
