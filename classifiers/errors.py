"""Errors of the classifiers package; the bot maps them onto its own hierarchy.

`classifiers` must not import `bot`, so it cannot subclass `bot.errors.ModelError`.
"""

from __future__ import annotations


class ModelError(Exception):
    """A model file cannot be used: unreadable, untrusted, or made for other topics or
    library versions. The message says why and what to do."""
