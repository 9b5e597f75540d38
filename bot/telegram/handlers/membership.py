"""The bot's own membership: blocked, removed, or no longer allowed to post in a channel →
stop queueing alerts; group upgraded to a supergroup → move the chat's data to the new id.

Without this, alerts would keep being queued for chats that can no longer receive them (each
send failing with 403) until the sender noticed, and an upgraded group would lose its
subscriptions.
"""

from __future__ import annotations

import logging

from telegram import Chat, ChatMember, ChatMemberAdministrator, ChatMemberOwner, Update

from bot.telegram.handlers.common import PTBContext, runtime_of

log = logging.getLogger(__name__)

_GONE = (ChatMember.BANNED, ChatMember.LEFT)  # "kicked" (also: a user blocked the bot), "left"
#: Why a channel whose administrators took the bot's right to post gets no alerts. Worded
#: like Telegram's own answer to such a send, which may arrive first.
NO_RIGHTS = "not enough rights: the bot may no longer post in this channel"


def can_post(member: ChatMember) -> bool:
    """In a channel only the owner and administrators with the right to post may post."""
    if isinstance(member, ChatMemberOwner):
        return True
    return isinstance(member, ChatMemberAdministrator) and member.can_post_messages is not False


async def my_chat_member(update: Update, context: PTBContext) -> None:
    change = update.my_chat_member
    if change is None:
        return
    store = runtime_of(context).services.store
    chat_id = change.chat.id
    if change.new_chat_member.status in _GONE:
        if store.get_chat(chat_id) is not None:
            store.deactivate_chat(chat_id, f"bot {change.new_chat_member.status}")
            log.info("chat %s removed the bot; its alerts stop", chat_id)
    elif change.chat.type == Chat.CHANNEL and not can_post(change.new_chat_member):
        # Demoted: a send would fail anyway, and treating this update as "re-added" would
        # undo the deactivation of a send that failed first.
        if store.get_chat(chat_id) is not None:
            store.deactivate_chat(chat_id, NO_RIGHTS)
            log.info("channel %s took the bot's right to post; its alerts stop", chat_id)
    elif store.get_chat(chat_id) is not None:
        # Unblocked / re-added: the subscriptions kept while inactive apply again.
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
