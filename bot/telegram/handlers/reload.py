"""/reload (operators): re-read config.yaml without a restart.

New topics, feeds and folders take effect at once; an invalid file is answered with its
problems (key path and line) while the running configuration carries on untouched.
"""

from __future__ import annotations

import asyncio
import html
import logging

from bot.config import default_config_path, load_config
from bot.errors import ConfigError, ModelError
from bot.runtime import load_classifier
from bot.telegram.handlers.common import BotRuntime, ChatCommand, CommandContext, html_list

log = logging.getLogger(__name__)


async def reload_config(runtime: BotRuntime) -> tuple[bool, list[str]]:
    """(True, notes) once the new config runs, or (False, problems) with nothing changed."""
    async with runtime.reload_lock:
        path = runtime.config_path or default_config_path()
        try:
            new = await asyncio.to_thread(load_config, path)
            classifier = await asyncio.to_thread(load_classifier, new)
        except ConfigError as exc:
            log.warning("reload: %s is invalid: %s", path, "; ".join(exc.problems))
            return False, list(exc.problems)
        except ModelError as exc:
            return False, [f"classifier: {exc}"]
        old = runtime.services.config
        notes = []
        if new.store_url != old.store_url:
            notes.append("storage.path / storage.url take effect after a restart")
        if new.telegram.api_url != old.telegram.api_url:
            notes.append("telegram.api_url takes effect after a restart")
        await runtime.swap_config(new, classifier)
        log.info(
            "reloaded %s: %d topics, %d feeds, %d folders",
            path,
            len(new.topics),
            len(runtime.services.pipeline.feeds),
            len(runtime.services.pipeline.folders),
        )
        return True, notes


class Reload(ChatCommand):
    name = "reload"
    menu = False
    permission = "operator"

    async def handle(self, ctx: CommandContext) -> None:
        ok, notes = await reload_config(ctx.runtime)
        if not ok:
            problems = html_list(f"• {html.escape(p[:500], quote=False)}" for p in notes)
            await ctx.reply(ctx.text("reload_failed", problems=problems))
            return
        config = ctx.config
        text = ctx.text(
            "reload_ok",
            topics=len(config.topics),
            feeds=sum(f.enabled for f in config.feeds),
            folders=sum(f.enabled for f in config.folders),
        )
        for note in notes:
            text += "\n" + ctx.text("reload_note", note=note)
        await ctx.reply(text)


COMMAND = Reload()
