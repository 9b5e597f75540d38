"""What is not a known command: unknown commands get a pointer to /help, plain text in a
private chat gets a hint. Everything else (group chatter, stickers, edits) is ignored on
purpose: a bot that answers every message in a group gets removed."""

from __future__ import annotations

from telegram import Update

from bot.telegram.handlers.common import CommandContext, PTBContext, chat_language, runtime_of


async def unknown_command(update: Update, context: PTBContext) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None or not message.text:
        return
    word = message.text.split(maxsplit=1)[0]
    _, _, addressee = word.partition("@")
    if addressee and addressee.casefold() != (context.bot.username or "").casefold():
        return  # "/foo@otherbot" in a group is for another bot
    runtime = runtime_of(context)
    ctx = CommandContext(update, context, runtime, chat, chat_language(runtime, chat.id))
    await ctx.reply(ctx.text("unknown_command"))


async def text_hint(update: Update, context: PTBContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    runtime = runtime_of(context)
    ctx = CommandContext(update, context, runtime, chat, chat_language(runtime, chat.id))
    await ctx.reply(ctx.text("text_hint"))
