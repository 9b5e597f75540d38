"""Alert messages for Telegram: HTML that Telegram always accepts, within its length limit.

Everything shown comes from feeds we do not control, so every piece of it goes through
`html.escape` (the URL in ``href`` too) and the only markup is the few tags written here.
Telegram measures its 4096-character limit on the text *after* entity parsing, in UTF-16 code
units, so lengths are counted on the raw (unescaped) pieces and those are trimmed before
escaping: a cut can never split an entity like ``&amp;`` or a tag.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions

from bot.i18n import t
from bot.localtime import format_published
from bot.store import OutboxItem

#: Telegram's limit for message text, in UTF-16 code units after entity parsing.
MAX_MESSAGE_UTF16 = 4096
SNIPPET_CHARS = 300
MAX_REASONS = 8
#: Telegram rejects callback_data longer than 64 bytes; ours is far below.
_FEEDBACK_RE = re.compile(r"fb:(up|down):([1-9][0-9]{0,18})")
_ELLIPSIS = "…"
_WS_RE = re.compile(r"\s+")
#: Messages never show a link preview (it would push the text off screen).
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: characters outside the BMP (emoji) count twice."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def truncate(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` UTF-16 units, on a word boundary when one is near.

    Works on raw text (never on HTML), so no entity or tag can be cut; a cut text ends
    with "…" (counted in the limit).
    """
    if utf16_len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    budget = limit - 1  # room for the ellipsis
    used = 0
    end = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > budget:
            break
        end = i + 1
    cut = text[:end]
    space = cut.rfind(" ")
    if space >= max(1, end // 2):  # a word boundary in the second half: cut there
        cut = cut[:space]
    return cut.rstrip(" ,.;:-–") + _ELLIPSIS


def clean_text(text: str) -> str:
    return _WS_RE.sub(" ", text or "").strip()


def safe_link(link: str | None) -> str | None:
    """Only http(s) links become clickable: ``javascript:`` or ``tg:`` from a feed must not."""
    if not link:
        return None
    link = link.strip()
    if re.match(r"(?i)https?://[^\s/?#]+", link) and not any(ord(c) < 32 for c in link):
        return link
    return None


def _when(published: datetime | None, language: str) -> str | None:
    return format_published(published, language) if published is not None else None


def feedback_markup(outbox_id: int) -> dict[str, list[list[dict[str, str]]]]:
    """👍 / 👎 under the alert as Bot API JSON; the callback handler decodes it with
    `parse_feedback_data`. Raw sends use this dict as it is: building and serialising the
    PTB objects cost more per alert than the rest of the request."""
    return {
        "inline_keyboard": [
            [
                {"text": "👍", "callback_data": f"fb:up:{outbox_id}"},
                {"text": "👎", "callback_data": f"fb:down:{outbox_id}"},
            ]
        ]
    }


def feedback_keyboard(outbox_id: int) -> InlineKeyboardMarkup:
    """`feedback_markup` as PTB objects, for PTB's typed methods (story edits)."""
    rows = feedback_markup(outbox_id)["inline_keyboard"]
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b["text"], callback_data=b["callback_data"]) for b in row]
            for row in rows
        ]
    )


def parse_feedback_data(data: object) -> tuple[int, int] | None:
    """``fb:up:<id>`` / ``fb:down:<id>`` → (outbox_id, +1 / -1); anything else → None.

    Callback data comes back from clients and can be forged, so the whole string must match
    (no leading zeros, signs, spaces or extra fields) and the id must be a positive int64.
    """
    if not isinstance(data, str) or len(data) > 64:
        return None
    m = _FEEDBACK_RE.fullmatch(data)
    if m is None:
        return None
    outbox_id = int(m[2])
    if outbox_id >= 2**63:
        return None
    return outbox_id, 1 if m[1] == "up" else -1


class _Parts:
    """The raw (unescaped) pieces of one alert, before any markup."""

    def __init__(self, item: OutboxItem, topic_names: Mapping[str, str], language: str) -> None:
        a = item.article
        watch = [f"»{truncate(clean_text(w), 50)}«" for w in item.watch]
        heads = [clean_text(topic_names.get(i, i)) for i in item.topics] + watch
        self.topics = truncate(" · ".join(heads), 300)
        self.title = clean_text(a.title) or (a.link or "")
        self.link = safe_link(a.link)
        meta = [truncate(clean_text(a.source), 100)]
        if when := _when(a.published, language):
            meta.append(when)
        self.meta = " · ".join(m for m in meta if m)
        self.text = clean_text(a.text)
        reasons: list[str] = []
        for score in item.scores:
            if score.matched and (not item.topics or score.topic in item.topics):
                for reason in score.reasons:
                    reason = truncate(clean_text(reason), 40)
                    if reason and reason not in reasons:
                        reasons.append(reason)
        reasons = [f"{w} ({t(language, 'alert_watch')})" for w in watch] + reasons
        self.why = (
            f"{t(language, 'alert_why')}: {', '.join(reasons[:MAX_REASONS])}" if reasons else ""
        )
        also = [truncate(clean_text(s), 60) for s in item.also[:10]]
        self.also = f"{t(language, 'alert_also')}: {', '.join(also)}" if also else ""

    def render(self, title: str, snippet: str, plain: bool) -> str:
        esc = (lambda x: x) if plain else html.escape
        title_line = esc(title)
        if not plain:
            title_line = f"<b>{title_line}</b>"
            if self.link:
                title_line = f'<a href="{html.escape(self.link, quote=True)}">{title_line}</a>'
        wrap = (lambda x: x) if plain else (lambda x: f"<i>{esc(x)}</i>")
        lines = [
            ""
            if not self.topics
            else f"🔔 {self.topics}"
            if plain
            else f"🔔 <b>{esc(self.topics)}</b>",
            title_line,
            wrap(self.meta) if self.meta else "",
            esc(snippet),
            wrap(self.why) if self.why else "",
            esc(self.also),
            (self.link or "") if plain else "",
        ]
        return "\n".join(line for line in lines if line)

    def fit(self, plain: bool, limit: int = MAX_MESSAGE_UTF16) -> str:
        """Render with title and snippet trimmed so the message stays within `limit`.

        The budget is measured on the rendered text as Telegram will see it, so the
        separators and the 🔔 are counted too; the loop only runs again for extreme inputs.
        """
        fixed = visible_len(self.render("", "", plain), plain)
        budget = limit - fixed - 2  # the newlines the title and snippet bring
        title = truncate(self.title, max(budget, 16))
        while True:
            snippet_budget = min(SNIPPET_CHARS, budget - utf16_len(title))
            snippet = ""
            if self.text and self.text != self.title and snippet_budget >= 20:
                snippet = truncate(self.text, snippet_budget)
            text = self.render(title, snippet, plain)
            over = visible_len(text, plain) - limit
            if over <= 0 or not title:
                return text
            title = truncate(title, max(utf16_len(title) - over - 1, 0))


_TAG_RE = re.compile(r"<[^>]*>")


def visible_len(text: str, plain: bool = False) -> int:
    """What Telegram counts against the limit: tags removed, entities decoded, in UTF-16.

    Exact for our own markup, where every ``<`` of feed text is escaped.
    """
    if not plain:
        text = html.unescape(_TAG_RE.sub("", text))
    return utf16_len(text)


def format_alert(
    item: OutboxItem, topic_names: Mapping[str, str], language: str
) -> tuple[str, InlineKeyboardMarkup]:
    """The alert as Telegram HTML (send with parse_mode=HTML, previews off) and its keyboard.

    Layout: topics (display names), linked title, outlet · time (Copenhagen), a snippet of
    about 300 characters cut on a word, and why it matched. Danish unless `language` is "en".
    """
    return _Parts(item, topic_names, language).fit(plain=False), feedback_keyboard(item.id)


def format_alert_plain(item: OutboxItem, topic_names: Mapping[str, str], language: str) -> str:
    """The same alert without any markup: the fallback when Telegram rejects the HTML.

    The link is spelled out since it cannot hide behind the title.
    """
    return _Parts(item, topic_names, language).fit(plain=True)
