"""SQLite storage: one file holding articles, source state, chats, subscriptions and the outbox."""

from bot.store.db import Store
from bot.store.outbox_item import OutboxItem

__all__ = ["OutboxItem", "Store"]
