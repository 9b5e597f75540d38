"""The bot's own membership: blocked, removed, or no longer allowed to post → stop queueing
alerts; group upgraded to a supergroup → move the chat's data to the new id.

Without this, alerts would keep being queued for chats that can no longer receive them (each
send failing with 403) until the sender noticed, and an upgraded group would lose its
subscriptions.
"""

from __future__ import annotations

import logging

from telegram import (
    Chat,
    ChatMember,
    ChatMemberAdministrator,
    ChatMemberMember,
    ChatMemberOwner,
    ChatMemberRestricted,
    Update,
)

from bot.telegram.handlers.common import PTBContext, runtime_of

log = logging.getLogger(__name__)

_GONE = (ChatMember.BANNED, ChatMember.LEFT)  # "kicked" (also: a user blocked the bot), "left"
#: Why a chat where the bot may no longer send gets no alerts. Worded like Telegram's own
#: answer to such a send, which may arrive before this update.
NO_RIGHTS = "not enough rights: the bot may no longer post in this chat"


def can_post(chat_type: str, member: ChatMember) -> bool:
    """May the bot, as `member`, send messages to a chat of `chat_type`? In a channel only
    the owner and administrators with the right to post may; elsewhere every member unless
    restricted from sending."""
    if isinstance(member, ChatMemberOwner):
        return True
    if isinstance(member, ChatMemberAdministrator):
        return chat_type != Chat.CHANNEL or member.can_post_messages is not False
    if isinstance(member, ChatMemberRestricted):
        return member.is_member and member.can_send_messages
    return isinstance(member, ChatMemberMember) and chat_type != Chat.CHANNEL


async def my_chat_member(update: Update, context: PTBContext) -> None:
    change = update.my_chat_member
    if change is None:
        return
    store = runtime_of(context).services.store
    chat_id = change.chat.id
    if store.get_chat(chat_id) is None:
        return  # a chat the bot never served: nothing to stop or resume
    new = change.new_chat_member
    if new.status in _GONE:
        store.deactivate_chat(chat_id, f"bot {new.status}")
        log.info("chat %s removed the bot; its alerts stop", chat_id)
    elif not can_post(change.chat.type, new):
        # Demoted or restricted: a send would fail anyway, and taking this update for
        # "re-added" would undo the deactivation of a send that failed first.
        store.deactivate_chat(chat_id, NO_RIGHTS)
        log.info("chat %s took the bot's right to post; its alerts stop", chat_id)
    else:
        # Unblocked / re-added / promoted: the subscriptions kept while inactive apply again.
        store.ensure_chat(chat_id, kind=change.chat.type)


async def migrated(update: Update, context: PTBContext) -> None:
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    old, new = message.chat.id, message.migrate_to_chat_id
    store = runtime_of(context).services.store
    if store.get_chat(old) is not None:
        store.migrate_chat(old, new)
        log.info("group %s became supergroup %s; its subscriptions moved", old, new)
