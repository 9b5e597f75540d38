"""One module per `topicbot` subcommand.

Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``;
`bot.cli` discovers them, so adding a command never means editing a central table.
"""
