"""Config failures in the operator's words: which key, which line, what is wrong.

PyYAML's complaints ("expected <block end>, but found '?'") and pydantic's ("Input should be
a valid integer") speak of parsers and Python types; someone editing `config.yaml` needs the
key path (``feeds[2].interval``), the line, and what usually causes it. `bot.config` turns
every failure into these messages through this one module.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError

__all__ = ["LineMap", "validation_problems", "yaml_problem"]


class LineMap:
    """Key path → line number, from the composed YAML node tree."""

    def __init__(self, root: yaml.Node | None) -> None:
        self.lines: dict[tuple[str | int, ...], int] = {}
        if root is not None:
            self._walk(root, ())

    def _walk(self, node: yaml.Node, path: tuple[str | int, ...]) -> None:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                k = (*path, str(key.value))
                self._walk(value, k)
                self.lines[k] = key.start_mark.line + 1  # the key's line, not its value's
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, (*path, i))

    def line(self, path: tuple[str | int, ...]) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


def _format_loc(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or "(top level)"


def _clean_loc(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    # pydantic inserts validator names such as "function-after[...]" into locations.
    return tuple(
        p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function")))
    )


#: pydantic error type → what is wrong, in the config's words (pydantic's own texts speak of
#: "Input" and Python types).
_PLAIN = {
    "extra_forbidden": "unknown setting",
    "missing": "is required",
    "list_type": "must be a list: one `- item` per line, or [a, b]",
    "dict_type": "must be a group of settings (key: value lines indented below it)",
    "model_type": "must be a group of settings (key: value lines indented below it)",
    "model_attributes_type": "must be a group of settings (key: value lines indented below it)",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text (put it in quotes if it looks like a number or yes/no)",
    "string_pattern_mismatch": "must be 1-32 letters, digits, '_', '.' or '-', "
    "starting with a letter or digit",
}


def _plain_message(err: Any) -> str:
    kind = err["type"]
    if kind in _PLAIN:
        return _PLAIN[kind]
    if kind == "too_short":
        return (
            "must not be empty" if isinstance(err.get("input"), str) else "needs at least one entry"
        )
    msg = str(err["msg"]).removeprefix("Value error, ")
    for prefix, plain in (
        ("Input should", "must"),
        ("String should", "must"),
        ("List should", "must"),
    ):
        if msg.startswith(prefix):
            return plain + msg[len(prefix) :]
    return msg


def yaml_problem(exc: yaml.YAMLError) -> str:
    """The parser's complaint ("expected <block end>, but found '?'") says little to someone
    editing a config: say where, and what usually causes it."""
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
    problem = str(getattr(exc, "problem", None) or exc)
    if "\t" in problem:
        hint = "indent with spaces, not tabs"
    elif "mapping values are not allowed" in problem:
        hint = "a value holds ': ' — put the value in quotes, or check that the line above ends"
        hint += " where you meant it to"
    elif "could not determine a constructor" in problem:
        hint = "YAML tags such as !!python/... are not allowed: write plain values"
    elif "found character '%'" in problem or "found character '@'" in problem:
        hint = "a value starts with a character YAML reserves — put the value in quotes"
    else:
        hint = (
            "check the indentation of this line against the lines above it (keys of one group "
            "line up; list items start with '- '), and that every quote is closed"
        )
    return f"not valid YAML at {where}: {hint}"


def validation_problems(exc: ValidationError, lines: LineMap) -> list[str]:
    """One message per pydantic error: key path, what is wrong, and the line."""
    problems = []
    for err in exc.errors():
        loc = _clean_loc(tuple(err["loc"]))
        line = lines.line(loc)
        problem = f"{_format_loc(loc)}: {_plain_message(err)}"
        problems.append(problem + (f" (line {line})" if line else ""))
    return problems
