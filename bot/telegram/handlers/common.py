"""The small interface every chat command implements, and what the commands share.

flowerss-style: a command is an object with a name, a menu flag and `handle(ctx)`. The
permission checks (operator commands, group administrators) and the error handling live in
one dispatcher here instead of being repeated — and forgotten — in each command.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

from telegram import (
    CallbackQuery,
    Chat,
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes, ExtBot, JobQueue

from bot.config import Config
from bot.i18n import Markup, normalise_language, t
from bot.runtime import Services
from bot.telegram.format import NO_PREVIEW
from classifiers.base import TopicClassifier

log = logging.getLogger(__name__)

#: Where the running bot keeps its runtime in `application.bot_data`.
RUNTIME_KEY = "topicbot.runtime"
#: Longest argument text a command considers; Telegram allows 4096, topic lists are short.
MAX_ARGUMENT_CHARS = 1000
MAX_ARGUMENTS = 30
#: Words that mean every topic.
ALL_WORDS = frozenset({"alle", "all"})

TOGGLE_PREFIX = "tp:"
#: Subscribed / not subscribed marks on the topic keyboard.
ON, OFF = "✅", "▫️"

PTBContext = ContextTypes.DEFAULT_TYPE
#: The Application `ApplicationBuilder().build()` makes: default context, dict stores.
PTBApplication = Application[
    ExtBot[None], PTBContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[PTBContext]
]


class BotRuntime(Protocol):
    """What handlers need from the running bot (implemented by `bot.telegram.app.TelegramBot`)."""

    services: Services
    config_path: Path | None
    reload_lock: asyncio.Lock

    async def swap_config(self, config: Config, classifier: TopicClassifier) -> None:
        """Run a validated configuration from now on (/reload)."""
        ...


def runtime_of(context: PTBContext) -> BotRuntime:
    runtime: BotRuntime = context.application.bot_data[RUNTIME_KEY]  # set by TelegramBot
    return runtime


# --- topics --------------------------------------------------------------------------------


def topic_lookup(config: Config) -> dict[str, str]:
    """casefolded id / Danish name / English name → topic id."""
    table: dict[str, str] = {}
    for topic in config.topics:
        for key in (topic.name.da, topic.name.en, topic.id):  # the id wins a clash
            table[" ".join(key.split()).casefold()] = topic.id
    return table


def resolve_topics(config: Config, words: Sequence[str]) -> tuple[list[str], list[str]]:
    """Topic ids named by `words` (ids or names, any case, commas allowed) and the unknown ones.

    Multi-word names ("Klima og miljø") are matched greedily, longest first, so a topic name
    can be typed with spaces without quoting.
    """
    table = topic_lookup(config)
    tokens = [w for w in re.split(r"[\s,;]+", " ".join(words)) if w]
    longest = max((len(k.split()) for k in table), default=1)
    found: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(tokens):
        for n in range(min(longest, len(tokens) - i), 0, -1):
            key = " ".join(tokens[i : i + n]).casefold()
            if key in table or (n == 1 and key in ALL_WORDS):
                ids = [tp.id for tp in config.topics] if key not in table else [table[key]]
                found.extend(x for x in ids if x not in found)
                i += n
                break
        else:
            if tokens[i] not in unknown:
                unknown.append(tokens[i])
            i += 1
    return found, unknown


def names_of(config: Config, topic_ids: Iterable[str], language: str) -> str:
    """Display names in the config's order (ids no longer configured come last, as ids)."""
    by_id = {tp.id: tp for tp in config.topics}
    order = {tp.id: i for i, tp in enumerate(config.topics)}
    ids = sorted(topic_ids, key=lambda i: (order.get(i, len(order)), i))
    return ", ".join(by_id[i].display_name(language) if i in by_id else i for i in ids)


def valid_topics(config: Config, language: str) -> str:
    return names_of(config, [tp.id for tp in config.topics], language)


def topics_keyboard(
    config: Config, subscribed: Iterable[str], language: str
) -> InlineKeyboardMarkup:
    """One button per topic, ✅ when followed; pressing toggles it (`tp:<topic id>`)."""
    have = set(subscribed)
    rows = [
        [
            InlineKeyboardButton(
                f"{ON if tp.id in have else OFF} {tp.display_name(language)}",
                callback_data=f"{TOGGLE_PREFIX}{tp.id}",
            )
        ]
        for tp in config.topics
    ]
    return InlineKeyboardMarkup(rows)


# --- the command interface -----------------------------------------------------------------


@dataclass
class CommandContext:
    """One incoming command (or button press) with everything a handler needs."""

    update: Update
    context: PTBContext
    runtime: BotRuntime
    chat: Chat
    language: str
    args: list[str] = field(default_factory=list)

    @property
    def services(self) -> Services:
        return self.runtime.services

    @property
    def config(self) -> Config:
        return self.runtime.services.config

    @property
    def chat_id(self) -> int:
        return self.chat.id

    def ensure_chat(self) -> None:
        """Create the chat's record (a chat that comes back after /stop starts fresh)."""
        kind = self.chat.type or "private"
        title = None if kind == "private" else self.chat.title  # no private names stored
        self.services.store.ensure_chat(
            self.chat_id, kind=kind, title=title, language=self.language
        )

    def text(self, key: str, **values: object) -> str:
        return t(self.language, key, **values)

    async def reply(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        """Answer in the chat; failures (blocked, kicked) are logged, never raised."""
        try:
            await self.context.bot.send_message(
                self.chat_id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=NO_PREVIEW,
            )
        except TelegramError as exc:
            log.warning("cannot answer chat %s: %s", self.chat_id, exc)


Permission = str  # "anyone" | "chat_admin" | "operator"


class ChatCommand:
    """Base of every chat command: set the class attributes, implement `handle`."""

    #: The command without the slash (lower case, as Telegram requires).
    name: ClassVar[str]
    #: Listed in the command menu (setMyCommands) and /help.
    menu: ClassVar[bool] = True
    #: "anyone"; "chat_admin" (in groups only administrators); "operator" (telegram.admins).
    permission: ClassVar[Permission] = "anyone"

    async def handle(self, ctx: CommandContext) -> None:
        raise NotImplementedError


class CallbackAction:
    """Base of inline-button handlers: `prefix` selects the callback data it owns."""

    prefix: ClassVar[str]

    async def handle(self, ctx: CommandContext, query: CallbackQuery) -> None:
        raise NotImplementedError


# --- language and permissions --------------------------------------------------------------


def chat_language(runtime: BotRuntime, chat_id: int) -> str:
    chat = runtime.services.store.get_chat(chat_id)
    default = runtime.services.config.telegram.default_language
    return normalise_language(chat.language if chat else default)


def is_operator(runtime: BotRuntime, chat_id: int) -> bool:
    return chat_id in runtime.services.config.telegram.admins


async def may_change_settings(
    context: PTBContext, chat: Chat, message: Message | None, user_id: int | None
) -> bool:
    """Private chats: yes. Channels: commands are posted by the channel (its admins); a button
    press comes from a user, who must be an administrator. Groups: administrators only."""
    if chat.type == Chat.PRIVATE:
        return True
    if message is not None and message.sender_chat is not None:
        # Posted as the chat itself: a channel post or an anonymous group administrator.
        return message.sender_chat.id == chat.id
    if user_id is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user_id)
    except TelegramError as exc:
        log.warning("cannot check administrators of chat %s: %s", chat.id, exc)
        return False
    return member.status in (ChatMember.OWNER, ChatMember.ADMINISTRATOR)


Callback = Callable[[Update, PTBContext], Coroutine[Any, Any, None]]


def command_callback(command: ChatCommand) -> Callback:
    """The PTB callback for one command: builds the context, checks permission, never raises."""

    async def callback(update: Update, context: PTBContext) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        runtime = runtime_of(context)
        language = chat_language(runtime, chat.id)
        args = list(context.args or [])
        ctx = CommandContext(update, context, runtime, chat, language, args)
        if sum(len(a) for a in args) > MAX_ARGUMENT_CHARS or len(args) > MAX_ARGUMENTS:
            await ctx.reply(ctx.text("too_many_topics", valid=valid_topics(ctx.config, language)))
            return
        if command.permission == "operator" and not is_operator(runtime, chat.id):
            await ctx.reply(ctx.text("operator_only"))
            return
        if command.permission == "chat_admin":
            user = update.effective_user
            allowed = await may_change_settings(
                context, chat, update.effective_message, user.id if user else None
            )
            if not allowed:
                await ctx.reply(ctx.text("not_admin"))
                return
        try:
            await command.handle(ctx)
        except Exception:
            log.exception("command /%s in chat %s failed", command.name, chat.id)
            await ctx.reply(ctx.text("error"))

    return callback


def callback_callback(action: CallbackAction) -> Callback:
    async def callback(update: Update, context: PTBContext) -> None:
        query = update.callback_query
        if query is None or query.message is None or update.effective_chat is None:
            if query is not None:
                await answer(query)
            return
        runtime = runtime_of(context)
        chat = update.effective_chat
        ctx = CommandContext(update, context, runtime, chat, chat_language(runtime, chat.id))
        try:
            await action.handle(ctx, query)
        except Exception:
            log.exception("button %r in chat %s failed", action.prefix, chat.id)
            await answer(query, ctx.text("error"))

    return callback


async def answer(query: CallbackQuery, text: str | None = None) -> None:
    """Stop the button's spinner; an expired query is not worth an error."""
    try:
        await query.answer(text)
    except TelegramError as exc:
        log.debug("cannot answer callback query: %s", exc)


def html_list(lines: Iterable[str]) -> Markup:
    return Markup("\n".join(lines))
