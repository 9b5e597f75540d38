"""/digest off|hourly|daily [HH:MM]: alerts one by one, or one digest per hour or per day.

Times are Copenhagen time. Alerts already waiting are re-timed at once (`Store.set_delivery`)
into the first digest; a chat going back to instant alerts first gets what it collected so far
as one digest (if that cannot be sent now, those alerts follow one by one).
"""

from __future__ import annotations

from bot.delivery_modes import DEFAULT_DIGEST_AT, DeliveryPrefs, parse_hhmm
from bot.telegram.handlers.common import ChatCommand, CommandContext

_MODES = {
    "off": "instant",
    "fra": "instant",
    "instant": "instant",
    "straks": "instant",
    "hourly": "hourly",
    "timevis": "hourly",
    "time": "hourly",
    "daily": "daily",
    "dagligt": "daily",
    "daglig": "daily",
    "dag": "daily",
}


def delivery_text(ctx: CommandContext, prefs: DeliveryPrefs) -> str:
    """The chat's delivery mode in a sentence (also used by /mysubs)."""
    if prefs.delivery == "daily":
        return ctx.text("digest_now_daily", time=prefs.digest_at or DEFAULT_DIGEST_AT)
    return ctx.text(f"digest_now_{'hourly' if prefs.delivery == 'hourly' else 'instant'}")


def wake_delivery(ctx: CommandContext) -> None:
    """Released alerts should not wait for the delivery loop's next idle tick."""
    delivery = getattr(ctx.runtime, "delivery", None)
    if delivery is not None:
        delivery.wake()


class Digest(ChatCommand):
    name = "digest"
    permission = "chat_admin"

    async def handle(self, ctx: CommandContext) -> None:
        store = ctx.services.store
        if not ctx.args:
            prefs = store.delivery_prefs(ctx.chat_id)
            await ctx.reply(delivery_text(ctx, prefs) + "\n" + ctx.text("digest_usage"))
            return
        words = [a.casefold() for a in ctx.args]
        at = parse_hhmm(words[-1])
        if at is not None:
            words = words[:-1] or ["daily"]
        mode = _MODES.get(words[0]) if len(words) == 1 else None
        if mode is None or (at is not None and mode != "daily"):
            await ctx.reply(ctx.text("digest_usage"))
            return
        ctx.ensure_chat()
        sender = getattr(ctx.runtime, "sender", None)
        if mode == "instant" and store.delivery_prefs(ctx.chat_id).is_digest and sender:
            await sender.digests.flush(ctx.chat_id)  # what was collected, as one digest
        store.set_delivery(ctx.chat_id, mode, at)
        wake_delivery(ctx)
        await ctx.reply(delivery_text(ctx, store.delivery_prefs(ctx.chat_id)))


COMMAND = Digest()
