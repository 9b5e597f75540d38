"""Transport-free state of the Telegram Bot API stand-in.

Everything that decides *what* Telegram would answer lives here (update queue,
per-chat message ids, faults, rate limits, HTML validation, object shapes), so
it can be read without the HTTP plumbing in ``telegram_api.py``.
All public methods are thread-safe: the HTTP server serves every connection on
its own thread while tests inject activity from theirs.
"""

from __future__ import annotations

import asyncio
import copy
import html
import itertools
import math
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

JSON = dict[str, Any]
ChatType = Literal["private", "group", "supergroup", "channel"]
FaultKind = Literal[
    "retry_after", "blocked", "kicked", "migrate", "bad_request", "server_error", "slow", "drop"
]
Media = Literal["photo", "sticker"]

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
# Telegram's default when allowed_updates is empty: everything except these three.
_OPT_IN_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}
_ALL_UPDATES = {
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "callback_query",
    "my_chat_member",
    *_OPT_IN_UPDATES,
}


class ApiError(Exception):
    """An ``ok: false`` reply; raised by method implementations, rendered by the server."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters

    def payload(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def utf16_len(text: str) -> int:
    """Entity offsets/lengths are counted in UTF-16 code units by the Bot API."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


# --- HTML parse_mode, following tdlib's parser so the bot's escaping is really tested ---
_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(lt|gt|amp|quot));")
_START_TAG_RE = re.compile(r"<([a-zA-Z0-9-]*)")
_ATTR_RE = re.compile(r"""([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_SPECIAL_RE = re.compile(r"[<&]")


def parse_html(text: str) -> tuple[str, list[JSON]]:
    """Return (plain text, entities) or raise the 400 Telegram gives for bad markup."""

    def fail(reason: str) -> ApiError:
        return bad_request(f"can't parse entities: {reason}")

    def at(pos: int) -> str:
        return f"at byte offset {len(text[:pos].encode())}"

    out: list[str] = []
    out_len = 0
    stack: list[tuple[str, int, JSON | None]] = []
    entities: list[JSON] = []
    i = 0
    while i < len(text):
        if text[i] == "&":
            m = _ENTITY_RE.match(text, i)
            if m is None:  # a bare '&' is kept literally, like Telegram does
                chunk, i = "&", i + 1
            else:
                code = int(m[1]) if m[1] else int(m[2], 16) if m[2] else None
                chunk = _NAMED_ENTITIES[m[3]] if code is None else chr(min(code, 0x10FFFF))
                i = m.end()
        elif text[i] != "<":
            m = _SPECIAL_RE.search(text, i)
            end = m.start() if m else len(text)
            chunk, i = text[i:end], end
        elif text.startswith("</", i):
            close = text.find(">", i)
            if close < 0 or not stack:
                raise fail(f"Unexpected end tag {at(i)}")
            name = text[i + 2 : close].strip().lower()
            open_name, start, entity = stack.pop()
            if name != open_name:
                raise fail(
                    f'Unmatched end tag {at(i)}, expected "</{open_name}>", found "</{name}>"'
                )
            if entity is not None and out_len > start:
                entities.append({**entity, "offset": start, "length": out_len - start})
            i = close + 1
            continue
        else:
            m = _START_TAG_RE.match(text, i)
            assert m is not None
            name = m[1].lower()
            if name not in _TAG_TYPES:
                raise fail(f'Unsupported start tag "{name}" {at(i)}')
            close = text.find(">", m.end())
            if close < 0:
                raise fail(f"Unclosed start tag {at(i)}")
            attrs = {
                k.lower(): html.unescape(a or b or c or "")
                for k, a, b, c in _ATTR_RE.findall(text, m.end(), close)
            }
            entity: JSON | None = {"type": _TAG_TYPES[name]}
            if name == "span" and attrs.get("class") != "tg-spoiler":
                raise fail(f'Tag "span" must have class "tg-spoiler" {at(i)}')
            if name == "a":
                entity = {"type": "text_link", "url": attrs["href"]} if "href" in attrs else None
            elif name == "tg-emoji":
                emoji_id = attrs.get("emoji-id")
                entity = {"type": "custom_emoji", "custom_emoji_id": emoji_id} if emoji_id else None
            elif name == "blockquote" and "expandable" in attrs:
                entity = {"type": "expandable_blockquote"}
            elif name == "code" and stack and stack[-1][0] == "pre":
                language = attrs.get("class", "").removeprefix("language-")
                if language and stack[-1][2] is not None:
                    stack[-1][2]["language"] = language
                entity = None  # <pre><code> is one pre entity, as in Telegram
            stack.append((name, out_len, entity))
            i = close + 1
            continue
        out.append(chunk)
        out_len += utf16_len(chunk)
    if stack:
        raise fail(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w@/])")


def command_entities(text: str) -> list[JSON]:
    """``bot_command`` entities the way Telegram marks ``/cmd`` and ``/cmd@botname``."""
    return [
        {"type": "bot_command", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m[0])}
        for m in _COMMAND_RE.finditer(text)
    ]


class TokenBucket:
    """Bursts of ``capacity`` sends, refilled at ``rate`` per second (Telegram's flood model)."""

    def __init__(self, rate: float, capacity: float) -> None:
        self.rate, self.capacity = rate, max(1.0, capacity)
        self.tokens, self.stamp = self.capacity, time.monotonic()

    def wait_time(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.stamp) * self.rate)
        self.stamp = max(self.stamp, now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        self.tokens -= 1


class SlidingWindow:
    """At most ``limit`` sends in any ``window`` seconds, checked the moment a request
    arrives: Telegram's documented limits taken literally (it publishes no algorithm, and a
    bot that overshoots in any window risks long ``retry_after`` answers)."""

    def __init__(self, limit: float, window: float) -> None:
        self.limit, self.window = max(1, int(limit)), window
        self.times: deque[float] = deque()

    def wait_time(self, now: float) -> float:
        while self.times and self.times[0] <= now - self.window:
            self.times.popleft()
        return 0.0 if len(self.times) < self.limit else self.times[0] + self.window - now

    def take(self, now: float) -> None:
        self.times.append(now)


Limiter = TokenBucket | SlidingWindow
#: Paid broadcasts (``allow_paid_broadcast``, Bot API 7.11): up to 1,000 messages per second.
PAID_BROADCAST_PER_S = 1000.0


@dataclass
class Fault:
    """One scripted failure; ``remaining=None`` keeps failing until ``clear_faults``."""

    kind: FaultKind
    remaining: int | None = 1
    method: str | None = None
    seconds: float = 5
    new_chat_id: int | None = None
    description: str = "chat not found"
    status: int = 500


@dataclass(frozen=True)
class SentMessage:
    """What the bot sent (or edited), as the bot sent it plus what the user would see."""

    method: str
    chat_id: int
    message_id: int
    text: str | None
    parse_mode: str | None
    plain_text: str | None
    entities: list[JSON]
    reply_markup: JSON | None
    disable_notification: bool
    link_preview_options: JSON | None
    photo: bytes | str | None = None
    params: JSON = field(default_factory=dict, repr=False)


class StandinState:
    """All Bot API state behind one condition variable; see TelegramStandin for the server."""

    def __init__(
        self,
        token: str,
        *,
        bot_username: str = "topicbot_test_bot",
        rate_limit_per_s: float | None = None,
        private_chat_limit_per_s: float | None = None,
        group_limit_per_min: float | None = None,
        strict_chats: bool = False,
        limit_mode: Literal["sliding", "bucket"] = "sliding",
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        self.bot_user: JSON = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "TopicBot",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.strict_chats = strict_chats
        self._cond = threading.Condition(threading.RLock())
        self._chats: dict[int, JSON] = {}
        self._admins: dict[int, list[int]] = {}
        self._messages: dict[tuple[int, int], JSON] = {}
        self._last_message_id: Counter[int] = Counter()
        self._outbox: list[SentMessage] = []
        self._edits: list[SentMessage] = []
        self._deleted: list[tuple[int, int]] = []
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(100_001)
        self._allowed = _ALL_UPDATES - _OPT_IN_UPDATES
        self._poll_generation = 0
        self._epoch = 0  # bumped by down()/stop() so parked long polls give up
        self._webhook = ""
        self._faults: dict[int | str | None, list[Fault]] = {}
        self._migrated: dict[int, int] = {}
        self._removed: dict[int, str] = {}
        #: Channels the bot was added to with `add_bot`: is it an administrator (may post)?
        self._bot_admin: dict[int, bool] = {}
        self._callbacks: dict[str, JSON] = {}
        self._callback_ids = itertools.count(1)
        self._answered: list[JSON] = []
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._calls: Counter[str] = Counter()
        self._files: dict[str, bytes] = {}
        self._rate_limited = 0
        self._limits = (rate_limit_per_s, private_chat_limit_per_s, group_limit_per_min)
        self.limit_mode = limit_mode
        self._global_bucket = self._limiter(rate_limit_per_s, 1.0) if rate_limit_per_s else None
        #: Every send, paid or not, counts here (at most 1,000/s in all); only paid broadcasts
        #: are checked against it.
        self._paid_window = SlidingWindow(PAID_BROADCAST_PER_S, 1.0)
        #: Accepted sends: (monotonic time, chat id, paid broadcast?), for benchmarks.
        self.send_log: list[tuple[float, int, bool]] = []
        self._chat_buckets: dict[int, Limiter | None] = {}

    # --- chats and users -------------------------------------------------------------
    def add_chat(
        self,
        chat_id: int,
        chat_type: ChatType | None = None,
        *,
        title: str | None = None,
        username: str | None = None,
        admins: Iterable[int] | None = None,
    ) -> JSON:
        """Register (or return) a chat; the type defaults from the id like Telegram's ranges."""
        with self._cond:
            if chat_id in self._chats:
                if chat_type not in (None, self._chats[chat_id]["type"]):
                    raise ValueError(f"chat {chat_id} is a {self._chats[chat_id]['type']}")
                return self._chats[chat_id]
            kind = chat_type or (
                "private" if chat_id > 0 else "supergroup" if chat_id < -(10**12) else "group"
            )
            chat: JSON = {"id": chat_id, "type": kind}
            if kind == "private":
                chat["first_name"] = title or f"User {chat_id}"
            else:
                chat["title"] = title or f"Chat {chat_id}"
            if username:
                chat["username"] = username
            self._chats[chat_id] = chat
            if admins is not None:
                self._admins[chat_id] = list(admins)
            return chat

    def set_admins(self, chat_id: int, user_ids: Iterable[int]) -> None:
        """Admins for getChatMember/getChatAdministrators; the first one is the creator."""
        with self._cond:
            self.add_chat(chat_id)
            self._admins[chat_id] = list(user_ids)

    @staticmethod
    def user(user_id: int, first_name: str = "Test", username: str | None = None) -> JSON:
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        return user | {"language_code": "da"}

    def resolve_chat(self, raw: Any) -> int:
        """Map a chat_id parameter to a known chat, failing like Telegram for migrated ones."""
        with self._cond:
            if isinstance(raw, str) and raw.startswith("@"):
                found = [c["id"] for c in self._chats.values() if c.get("username") == raw[1:]]
                if not found:
                    raise bad_request("chat not found")
                chat_id = found[0]
            else:
                try:
                    chat_id = int(raw)
                except (TypeError, ValueError):
                    raise bad_request("chat not found" if raw else "chat_id is empty") from None
            if chat_id in self._migrated:
                raise ApiError(
                    400,
                    "Bad Request: group chat was upgraded to a supergroup chat",
                    {"migrate_to_chat_id": self._migrated[chat_id]},
                )
            if chat_id in self._removed:
                raise ApiError(403, f"Forbidden: {self._removed[chat_id]}")
            if chat_id not in self._chats and self.strict_chats:
                raise bad_request("chat not found")
            self.add_chat(chat_id)
            return chat_id

    def migrate_chat(self, old_id: int, new_id: int, *, notify: bool = True) -> None:
        """Upgrade a group: the old id fails with migrate_to_chat_id from now on."""
        with self._cond:
            old = self.add_chat(old_id)
            self._migrated[old_id] = new_id
            self._chats.setdefault(new_id, {**old, "id": new_id, "type": "supergroup"})
            self._admins.setdefault(new_id, self._admins.get(old_id, []))
            if notify:
                for chat, key, other in (
                    (old_id, "migrate_to", new_id),
                    (new_id, "migrate_from", old_id),
                ):
                    content = {"from": self.user(1000), f"{key}_chat_id": other}
                    self._push("message", self._new_message(chat, content))

    def remove_bot(self, chat_id: int, *, user_id: int | None = None) -> None:
        """User blocks the bot / group kicks it: my_chat_member update, then sends get 403."""
        with self._cond:
            chat = self.add_chat(chat_id)
            private = chat["type"] == "private"
            self._removed[chat_id] = {
                "private": "bot was blocked by the user",
                "channel": "bot is not a member of the channel chat",
            }.get(chat["type"], f"bot was kicked from the {chat['type']} chat")
            bot = {"user": self.bot_user}
            self._push(
                "my_chat_member",
                {
                    "chat": chat,
                    "from": self.user(user_id or (chat_id if private else 1000)),
                    "date": int(time.time()),
                    "old_chat_member": {"status": "member"} | bot,
                    "new_chat_member": {"status": "kicked", "until_date": 0} | bot,
                },
            )

    def add_bot(
        self,
        chat_id: int,
        chat_type: ChatType = "channel",
        *,
        title: str | None = None,
        admin: bool = True,
    ) -> None:
        """An operator adds the bot to a chat (as an administrator: in a channel, the only
        way it may post): a my_chat_member update. See `set_bot_admin`."""
        with self._cond:
            chat = self.add_chat(chat_id, chat_type, title=title)
            self._removed.pop(chat_id, None)
            self._push("my_chat_member", self._membership(chat, None, admin))

    def set_bot_admin(self, chat_id: int, admin: bool) -> None:
        """Promote or demote the bot; a channel's posts need administrator rights (sends
        fail with "not enough rights" without them)."""
        with self._cond:
            chat = self.add_chat(chat_id)
            was = self._bot_admin.get(chat_id, False)
            self._push("my_chat_member", self._membership(chat, was, admin))

    def _membership(self, chat: JSON, was_admin: bool | None, admin: bool) -> JSON:
        """A my_chat_member payload; ``was_admin`` None: the bot was not in the chat."""
        self._bot_admin[chat["id"]] = admin
        old = self._bot_member(was_admin) if was_admin is not None else {"status": "left"}
        return {
            "chat": chat,
            "from": self.user(1000),
            "date": int(time.time()),
            "old_chat_member": old | {"user": self.bot_user},
            "new_chat_member": self._bot_member(admin) | {"user": self.bot_user},
        }

    @staticmethod
    def _bot_member(admin: bool) -> JSON:
        if not admin:
            return {"status": "member"}
        rights = (
            "can_post_messages",
            "can_edit_messages",
            "can_delete_messages",
            "can_manage_chat",
            "can_invite_users",
            "can_change_info",
            "can_restrict_members",
            "can_promote_members",
            "can_manage_video_chats",
            "can_post_stories",
            "can_edit_stories",
            "can_delete_stories",
        )
        return {
            "status": "administrator",
            "can_be_edited": False,
            "is_anonymous": False,
            **dict.fromkeys(rights, True),
        }

    def check_rights(self, chat_id: int) -> None:
        """A channel the bot was added to without administrator rights refuses its posts."""
        if self._bot_admin.get(chat_id) is False and self._chats[chat_id]["type"] == "channel":
            raise bad_request("not enough rights to send text messages to the chat")

    def restore_bot(self, chat_id: int) -> None:
        """Undo remove_bot (user unblocked the bot / re-added it)."""
        with self._cond:
            self._removed.pop(chat_id, None)

    # --- injecting user activity -------------------------------------------------------
    def _push(self, kind: str, payload: JSON) -> JSON:
        # a snapshot: later edits of the stored message must not rewrite queued updates
        update = {"update_id": next(self._update_ids), kind: copy.deepcopy(payload)}
        self._updates.append(update)
        self._cond.notify_all()
        return update

    def _new_message(self, chat_id: int, content: JSON) -> JSON:
        self._last_message_id[chat_id] += 1
        message_id = self._last_message_id[chat_id]
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chats[chat_id],
            **content,
        }
        self._messages[(chat_id, message_id)] = message
        return message

    def send_user_message(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        user_id: int | None = None,
        chat_type: ChatType | None = None,
        first_name: str = "Test",
        username: str | None = None,
        media: Media | None = None,
        reply_to_message_id: int | None = None,
    ) -> JSON:
        """A user (or, for channels, the channel) posts; returns the Message object.

        ``/cmd`` texts get bot_command entities; ``media`` sends a photo/sticker with
        ``text`` as caption (stickers have none), i.e. a message without ``text``.
        """
        with self._cond:
            chat = self.add_chat(chat_id, chat_type)
            content: JSON = {}
            if chat["type"] == "channel":
                content["sender_chat"] = chat
            else:
                uid = user_id or (chat_id if chat["type"] == "private" else 1000)
                content["from"] = self.user(uid, first_name, username)
            if media == "sticker":
                content["sticker"] = {
                    "file_id": "CAACAgQAAxkBAAIB",
                    "file_unique_id": "AgADBAAD",
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                    "emoji": "\N{THUMBS UP SIGN}",
                }
            elif media == "photo":
                content["photo"] = [
                    {
                        "file_id": "AgACAgQAAxkBAAIC",
                        "file_unique_id": "AQADAgAD",
                        "width": 90,
                        "height": 90,
                        "file_size": 1234,
                    }
                ]
            if text is not None and media != "sticker":
                key = "caption" if media else "text"
                content[key] = text
                if entities := command_entities(text):
                    content[f"{key}_entities" if media else "entities"] = entities
            if reply_to_message_id is not None:
                content["reply_to_message"] = self._messages[(chat_id, reply_to_message_id)]
            message = self._new_message(chat_id, content)
            self._push("channel_post" if chat["type"] == "channel" else "message", message)
            return message

    def send_channel_post(self, chat_id: int, text: str | None = None, **kwargs: Any) -> JSON:
        """Shorthand for a channel_post update."""
        return self.send_user_message(chat_id, text, chat_type="channel", **kwargs)

    def edit_user_message(self, chat_id: int, message_id: int, text: str) -> JSON:
        """The author edits an earlier message: edited_message / edited_channel_post."""
        with self._cond:
            message = dict(self._messages[(chat_id, message_id)])
            self._messages[(chat_id, message_id)] = message
            message.update(text=text, edit_date=int(time.time()))
            message.pop("entities", None)
            if entities := command_entities(text):
                message["entities"] = entities
            channel = message["chat"]["type"] == "channel"
            self._push("edited_channel_post" if channel else "edited_message", dict(message))
            return message

    def press_button(
        self,
        chat_id: int,
        message_id: int,
        data: str | None = None,
        *,
        user_id: int | None = None,
        button_text: str | None = None,
    ) -> str:
        """Press an inline button of a message the bot sent; returns the callback query id.

        Raises ValueError when no such button exists, so a test can't press a button
        the bot never offered.
        """
        with self._cond:
            message = self._messages.get((chat_id, message_id))
            if message is None or message.get("from", {}).get("id") != self.bot_id:
                raise ValueError(f"bot sent no message {message_id} to chat {chat_id}")
            rows = message.get("reply_markup", {}).get("inline_keyboard", [])
            buttons = [b for row in rows for b in row if "callback_data" in b]
            match = [
                b
                for b in buttons
                if data in (None, b["callback_data"]) and button_text in (None, b["text"])
            ]
            if not match:
                raise ValueError(f"no button {data or button_text!r} in {buttons}")
            query_id = str(next(self._callback_ids))
            private = message["chat"]["type"] == "private"
            query = {
                "id": query_id,
                "from": self.user(user_id or (chat_id if private else 1000)),
                "message": message,
                "chat_instance": str(abs(chat_id) * 7919),
                "data": match[0]["callback_data"],
            }
            self._callbacks[query_id] = query
            self._push("callback_query", query)
            return query_id

    # --- getUpdates ----------------------------------------------------------------------
    def take_updates(
        self, offset: int, limit: int, timeout: float, allowed: list[str] | None
    ) -> list[JSON] | None:
        """Long-poll like Telegram; None means the server went down meanwhile (drop it)."""
        with self._cond:
            if self._webhook:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is "
                    "active; use deleteWebhook to delete the webhook first",
                )
            self._poll_generation += 1
            generation, epoch = self._poll_generation, self._epoch
            self._cond.notify_all()  # an earlier parked poll now answers 409
            if allowed is not None:
                self._allowed = set(allowed) or (_ALL_UPDATES - _OPT_IN_UPDATES)
            if offset < 0:
                self._updates = self._updates[offset:]
            elif offset:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            deadline = time.monotonic() + timeout
            while True:
                if self._epoch != epoch:
                    return None
                if self._poll_generation != generation:
                    raise ApiError(409, CONFLICT)
                self._updates = [u for u in self._updates if not self._allowed.isdisjoint(u)]
                remaining = deadline - time.monotonic()
                if self._updates or remaining <= 0:
                    return self._updates[: max(1, min(limit, 100))]
                self._cond.wait(remaining)

    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by the bot via ``offset``."""
        with self._cond:
            return list(self._updates)

    # --- faults and limits ---------------------------------------------------------------
    def fail_next(
        self,
        chat_id: int | str | None,
        kind: FaultKind,
        count: int | None = 1,
        *,
        method: str | None = None,
        seconds: float = 5,
        new_chat_id: int | None = None,
        description: str = "chat not found",
        status: int = 500,
    ) -> None:
        """Script the next ``count`` requests for ``chat_id`` (None: any request) to fail.

        ``method`` narrows it to one Bot API method; ``count=None`` fails until
        ``clear_faults``. ``migrate`` is permanent for the old id, as in Telegram.
        """
        if kind not in get_args(FaultKind):
            raise ValueError(f"unknown fault kind {kind!r}")
        fault = Fault(
            kind, count, method and method.lower(), seconds, new_chat_id, description, status
        )
        with self._cond:
            self._faults.setdefault(chat_id, []).append(fault)

    def clear_faults(self) -> None:
        with self._cond:
            self._faults.clear()

    def take_fault(self, chat_id: Any, method: str) -> Fault | None:
        """Consume the fault (if any) scheduled for this request."""
        key = _chat_key(chat_id)
        with self._cond:
            for candidates in (self._faults.get(key, []), self._faults.get(None, [])):
                for fault in candidates:
                    if fault.method in (None, method.lower()):
                        if fault.remaining is not None:
                            fault.remaining -= 1
                            if fault.remaining <= 0:
                                candidates.remove(fault)
                        return fault
        return None

    def fault_error(self, fault: Fault, chat_id: Any) -> ApiError:
        if fault.kind == "retry_after":
            seconds = max(1, math.ceil(fault.seconds))
            return ApiError(
                429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds}
            )
        if fault.kind == "blocked":
            return ApiError(403, "Forbidden: bot was blocked by the user")
        if fault.kind == "kicked":
            chat = self._chats.get(int(chat_id)) if str(chat_id).lstrip("-").isdigit() else None
            kind = chat["type"] if chat and chat["type"] == "supergroup" else "group"
            return ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")
        if fault.kind == "migrate":
            new_id = fault.new_chat_id or int(f"-100{abs(int(chat_id))}")
            self.migrate_chat(int(chat_id), new_id, notify=False)
            return ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": new_id},
            )
        if fault.kind == "bad_request":
            return bad_request(fault.description)
        phrase = {500: "Internal Server Error", 502: "Bad Gateway"}.get(fault.status, "Error")
        return ApiError(fault.status, phrase)

    def _limiter(self, limit: float, window: float) -> Limiter:
        """``limit`` sends per ``window`` seconds: a sliding window (default: any window of
        that length holds at most ``limit``) or a token bucket of that capacity."""
        if self.limit_mode == "bucket":
            return TokenBucket(limit / window, limit)
        return SlidingWindow(limit, window)

    def check_rate(self, chat_id: int, *, paid: bool = False) -> None:
        """Count one send against the global and per-chat limits or answer 429. A paid
        broadcast (``allow_paid_broadcast``) is held to 1,000/s instead of the global limit."""
        with self._cond:
            now = time.monotonic()
            if chat_id not in self._chat_buckets:
                _, private_rate, group_per_min = self._limits
                private = self._chats[chat_id]["type"] == "private"
                self._chat_buckets[chat_id] = (
                    self._limiter(private_rate, 1.0)
                    if private and private_rate
                    else self._limiter(group_per_min, 60.0)
                    if group_per_min and not private
                    else None
                )
            bucket = self._chat_buckets[chat_id]
            first = self._paid_window if paid else self._global_bucket
            buckets = [b for b in (first, bucket) if b is not None]
            wait = max((b.wait_time(now) for b in buckets), default=0.0)
            if wait > 0:
                self._rate_limited += 1
                seconds = max(1, math.ceil(wait))
                raise ApiError(
                    429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds}
                )
            # Paid broadcasts are their own allowance: they do not use up the free 30/s.
            for b in buckets:
                b.take(now)
            if not paid:
                self._paid_window.take(now)
            self.send_log.append((now, chat_id, paid))

    # --- inspection ----------------------------------------------------------------------
    @property
    def rate_limited_count(self) -> int:
        """How many 429s the rate limiter (not fail_next) has answered."""
        with self._cond:
            return self._rate_limited

    def method_counts(self) -> dict[str, int]:
        """Calls per Bot API method name, including failed ones."""
        with self._cond:
            return dict(self._calls)

    def sent_messages(self, chat_id: int | None = None) -> list[SentMessage]:
        with self._cond:
            return [m for m in self._outbox if chat_id in (None, m.chat_id)]

    def edits(self, chat_id: int | None = None) -> list[SentMessage]:
        with self._cond:
            return [m for m in self._edits if chat_id in (None, m.chat_id)]

    def message(self, chat_id: int, message_id: int) -> JSON:
        """Current state of a message (after edits), as Telegram would return it."""
        with self._cond:
            return dict(self._messages[(chat_id, message_id)])

    @property
    def deleted_messages(self) -> list[tuple[int, int]]:
        with self._cond:
            return list(self._deleted)

    @property
    def answered_callbacks(self) -> list[JSON]:
        """answerCallbackQuery parameters, in order."""
        with self._cond:
            return list(self._answered)

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """Commands set via setMyCommands for that scope/language ([] if none)."""
        key = (scope_key(scope), language_code)
        with self._cond:
            return list(self._commands.get(key, []))

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Block until predicate() holds (re-checked on every state change)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"condition not met within {timeout}s")
                self._cond.wait(min(remaining, 0.05))

    def wait_for_messages(
        self, n: int, chat_id: int | None = None, timeout: float = 5.0
    ) -> list[SentMessage]:
        """Block until at least n messages were sent (to chat_id); returns them."""
        try:
            self.wait_for(lambda: len(self.sent_messages(chat_id)) >= n, timeout)
        except TimeoutError:
            got = self.sent_messages(chat_id)
            raise TimeoutError(f"expected {n} messages, got {len(got)}: {got}") from None
        return self.sent_messages(chat_id)

    async def wait_for_messages_async(
        self, n: int, chat_id: int | None = None, timeout: float = 5.0
    ) -> list[SentMessage]:
        """Like wait_for_messages but without blocking the event loop the bot runs on."""
        deadline = time.monotonic() + timeout
        while len(got := self.sent_messages(chat_id)) < n:
            if time.monotonic() > deadline:
                raise TimeoutError(f"expected {n} messages, got {len(got)}: {got}")
            await asyncio.sleep(0.01)
        return got


def _chat_key(chat_id: Any) -> Any:
    numeric = isinstance(chat_id, str) and chat_id.lstrip("-").isdigit()
    return int(chat_id) if numeric else chat_id


def scope_key(scope: JSON | None) -> str:
    """Commands are stored per BotCommandScope; a missing scope means the default one."""
    scope = scope or {"type": "default"}
    return ",".join(f"{k}={scope[k]}" for k in sorted(scope))
