"""Every chat command and button, registered on a PTB Application, and the command menu.

Only new messages and channel posts are handled: edits are ignored on purpose (re-running
`/stop` because someone fixed a typo would be a surprise), and so are messages without text.
"""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.i18n import LANGUAGES, t
from bot.telegram.handlers import (
    digest,
    feedback,
    help,
    lang,
    membership,
    mysubs,
    pause,
    quiet,
    reload,
    resume,
    start,
    stats,
    status,
    stop,
    subscribe,
    test,
    topics,
    unknown,
    unsubscribe,
    unwatch,
    watch,
)
from bot.telegram.handlers.common import (
    CallbackAction,
    ChatCommand,
    PTBApplication,
    PTBContext,
    answer,
    callback_callback,
    command_callback,
)

log = logging.getLogger(__name__)

#: In menu order.
COMMANDS: tuple[ChatCommand, ...] = (
    start.COMMAND,
    topics.COMMAND,
    subscribe.COMMAND,
    unsubscribe.COMMAND,
    mysubs.COMMAND,
    digest.COMMAND,
    quiet.COMMAND,
    watch.COMMAND,
    unwatch.COMMAND,
    test.COMMAND,
    stats.COMMAND,
    pause.COMMAND,
    resume.COMMAND,
    lang.COMMAND,
    help.Help(lambda language, operator: menu(language, operator=operator)),
    stop.COMMAND,
    status.COMMAND,
    reload.COMMAND,
)
ACTIONS: tuple[CallbackAction, ...] = (topics.ACTION, feedback.ACTION)

#: New messages and channel posts; not edits.
NEW_POSTS = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST


def register(application: PTBApplication) -> None:
    application.add_handler(
        ChatMemberHandler(membership.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(
        MessageHandler(
            filters.StatusUpdate.MIGRATE & filters.UpdateType.MESSAGE, membership.migrated
        )
    )
    for command in COMMANDS:
        application.add_handler(
            CommandHandler(command.name, command_callback(command), filters=NEW_POSTS)
        )
    for action in ACTIONS:
        application.add_handler(
            CallbackQueryHandler(callback_callback(action), pattern=f"^{action.prefix}")
        )
    application.add_handler(CallbackQueryHandler(_stale_button))
    application.add_handler(MessageHandler(NEW_POSTS & filters.COMMAND, unknown.unknown_command))
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND,
            unknown.text_hint,
        )
    )


async def _stale_button(update: Update, context: PTBContext) -> None:
    """Buttons nobody owns (old keyboards, forged data): stop the spinner, change nothing."""
    if update.callback_query is not None:
        await answer(update.callback_query)


def menu(language: str, *, operator: bool = False) -> list[BotCommand]:
    return [
        BotCommand(c.name, t(language, "cmd_" + c.name))
        for c in COMMANDS
        if c.menu or (operator and c.permission == "operator")
    ]


async def publish_commands(application: PTBApplication, operators: list[int]) -> None:
    """setMyCommands in Danish (also the default) and English; operators also see theirs.

    Telegram shows the menu in the user's app language. A failure must not stop the bot (the
    commands still work when typed), and one operator chat Telegram does not know (it never
    opened the bot) must not hide the menu from the others.
    """
    scopes: list[tuple[BotCommandScopeChat | None, bool]] = [(None, False)]
    scopes += [(BotCommandScopeChat(chat_id), True) for chat_id in operators]
    for scope, operator in scopes:
        try:
            await application.bot.set_my_commands(menu("da", operator=operator), scope=scope)
            for language in LANGUAGES:
                await application.bot.set_my_commands(
                    menu(language, operator=operator), scope=scope, language_code=language
                )
        except TelegramError as exc:
            where = f"chat {scope.chat_id}" if scope else "everyone"
            log.warning("cannot publish the command menu for %s: %s", where, exc)
