"""/quiet 22-07 [silent|hold], /quiet off: quiet hours (Copenhagen time).

Inside them alerts arrive without a notification sound (``silent``, the default) or wait
until the period ends (``hold``); a digest due inside them does the same.
"""

from __future__ import annotations

from bot.delivery_modes import DeliveryPrefs, parse_quiet_range
from bot.telegram.handlers.common import ChatCommand, CommandContext
from bot.telegram.handlers.digest import wake_delivery

_OFF = frozenset({"off", "fra", "nej", "no"})
_MODES = {
    "silent": "silent",
    "lydløs": "silent",
    "lydløst": "silent",
    "stille": "silent",
    "hold": "hold",
    "vent": "hold",
    "wait": "hold",
}


def quiet_text(ctx: CommandContext, prefs: DeliveryPrefs) -> str:
    """The chat's quiet hours in a sentence (also used by /mysubs)."""
    if not prefs.has_quiet:
        return ctx.text("quiet_now_off")
    key = "quiet_now_hold" if prefs.quiet_mode == "hold" else "quiet_now_silent"
    return ctx.text(key, start=prefs.quiet_from, end=prefs.quiet_to)


class Quiet(ChatCommand):
    name = "quiet"
    permission = "chat_admin"

    async def handle(self, ctx: CommandContext) -> None:
        store = ctx.services.store
        words = [a.casefold() for a in ctx.args]
        if not words:
            prefs = store.delivery_prefs(ctx.chat_id)
            await ctx.reply(quiet_text(ctx, prefs) + "\n" + ctx.text("quiet_usage"))
            return
        if len(words) == 1 and words[0] in _OFF:
            ctx.ensure_chat()
            mode = store.delivery_prefs(ctx.chat_id).quiet_mode
            store.set_quiet(ctx.chat_id, None, None, mode)
            wake_delivery(ctx)
            await ctx.reply(ctx.text("quiet_now_off"))
            return
        named = _MODES.get(words[-1])
        if named is not None:
            words = words[:-1]
        span = parse_quiet_range("".join(words)) if words else None
        if span is None or named is None and len(words) > 3:
            await ctx.reply(ctx.text("quiet_usage"))
            return
        ctx.ensure_chat()
        store.set_quiet(ctx.chat_id, span[0], span[1], named or "silent")
        wake_delivery(ctx)
        await ctx.reply(quiet_text(ctx, store.delivery_prefs(ctx.chat_id)))


COMMAND = Quiet()
