"""`can_post`: which of the bot's memberships, as Telegram reports them in `my_chat_member`,
still let it send. The channel end to end is in test_topic_channels.py; groups where the bot
is restricted are judged here from the update's JSON, which the stand-in does not send."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import ChatMember

from bot.telegram.handlers.membership import can_post

BOT = {"id": 4242, "is_bot": True, "first_name": "topicbot"}
ADMIN_RIGHTS = dict.fromkeys(
    (
        "can_be_edited can_manage_chat can_change_info can_delete_messages can_invite_users "
        "can_restrict_members can_pin_messages can_promote_members can_manage_video_chats "
        "is_anonymous can_post_stories can_edit_stories can_delete_stories"
    ).split(),
    False,
)
RESTRICTED_RIGHTS = dict.fromkeys(
    (
        "can_change_info can_invite_users can_pin_messages can_send_polls "
        "can_send_other_messages can_add_web_page_previews can_manage_topics can_send_audios "
        "can_send_documents can_send_photos can_send_videos can_send_video_notes "
        "can_send_voice_notes can_edit_tag can_react_to_messages"
    ).split(),
    True,
)


def member(status: str, **fields: Any) -> ChatMember:
    extra: dict[str, Any] = {}
    if status == "administrator":
        extra = ADMIN_RIGHTS
    elif status == "restricted":
        extra = RESTRICTED_RIGHTS | {"until_date": 0}
    parsed = ChatMember.de_json({"status": status, "user": BOT} | extra | fields, None)
    assert parsed is not None
    return parsed


@pytest.mark.parametrize(
    ("chat_type", "status", "fields", "expected"),
    [
        ("private", "member", {}, True),  # unblocked
        ("group", "member", {}, True),
        ("supergroup", "administrator", {}, True),
        ("supergroup", "restricted", {"is_member": True, "can_send_messages": False}, False),
        ("supergroup", "restricted", {"is_member": True, "can_send_messages": True}, True),
        ("supergroup", "restricted", {"is_member": False, "can_send_messages": True}, False),
        ("channel", "member", {}, False),  # demoted
        ("channel", "administrator", {"can_post_messages": True}, True),
        ("channel", "administrator", {"can_post_messages": False}, False),
        ("channel", "creator", {"is_anonymous": False}, True),
    ],
)
def test_the_bot_may_post_only_where_its_membership_allows_sending(
    chat_type: str, status: str, fields: dict[str, Any], expected: bool
) -> None:
    assert can_post(chat_type, member(status, **fields)) is expected
