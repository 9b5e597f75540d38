"""The chat commands and buttons, one module each; `registry` puts them on a PTB Application.

The registry is a module of its own, not this package's __init__, so that a command (/help
lists the menu) can be handed the registry's view without importing the package it is in.
"""
