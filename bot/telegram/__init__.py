"""Telegram mode: the PTB Application, chat commands, and alert delivery to chats."""
