"""The named Cypher query library: one ``.cypher`` file per query, read through this tiny loader.

Each file starts with a header of ``//`` comment lines::

    // name: papers-sharing-datasets
    // params: paper (paper) — the paper to compare with: id, exact title or unique title prefix
    // params: limit (int, default 20) — at most this many papers
    // answers: Which papers work with the same datasets as this paper? …

Parameter types are ``string``, ``int``, ``float``, ``bool``, and ``paper`` /
``concept`` — a name the runner resolves to a node id (by id, exact
title/name/alias, or a unique case-insensitive prefix) before the query runs,
so query text only ever sees ids. A parameter with ``default …`` is optional.

The same text runs on the embedded engine and on Neo4j. Should a dialect ever
need different text, the file carries it after a ``// dialect: neo4j`` line
(see :meth:`NamedQuery.text_for`).

>>> from queries import get_query
>>> get_query("top-concepts").param_names()
['kind', 'limit']
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Final

__all__ = [
    "PARAM_TYPES",
    "NamedQuery",
    "QueryFileError",
    "QueryParam",
    "get_query",
    "list_queries",
    "parse_query",
]

#: Types a parameter may declare.
PARAM_TYPES: Final[frozenset[str]] = frozenset({"string", "int", "float", "bool", "paper", "concept"})

_FIELD = re.compile(r"^//\s*([a-z]+):\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*\((?P<type>\w+)(?:,\s*default\s+(?P<default>.+?))?\)\s*(?:[—–-]+\s*(?P<meaning>.*))?$"
)
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class QueryFileError(ValueError):
    """A query file whose header cannot be read; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class QueryParam:
    """One declared parameter of a named query."""

    name: str
    type: str
    meaning: str = ""
    required: bool = True
    default: Any = None


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query of the library: its name, parameters, what it answers and its Cypher text."""

    name: str
    params: tuple[QueryParam, ...]
    description: str
    text: str
    variants: dict[str, str] = field(default_factory=dict)

    def text_for(self, dialect: str) -> str:
        """The query text for *dialect* (``"arcadedb"`` or ``"neo4j"``): its variant if it has one."""
        return self.variants.get(dialect, self.text)

    def param_names(self) -> list[str]:
        """Declared parameter names, in declaration order."""
        return [param.name for param in self.params]

    def param(self, name: str) -> QueryParam:
        """The declared parameter *name* (``KeyError`` if there is none)."""
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(name)


def parse_query(source: str, text: str) -> NamedQuery:
    """Parse one query file's *text*; *source* names it in error messages.

    Raises
    ------
    QueryFileError
        A header without ``name`` or ``answers``, a malformed ``params`` line,
        an unknown parameter type or an unreadable default.
    """
    lines = text.splitlines()
    fields: dict[str, str] = {}
    params: list[QueryParam] = []
    body_start = len(lines)
    last_key = None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped.startswith("//"):
            body_start = number - 1
            break
        match = _FIELD.match(stripped)
        if match and match.group(1) == "dialect":
            body_start = number - 1
            break
        if match:
            key, value = match.groups()
            last_key = key
            if key == "params":
                params.append(_parse_param(source, number, value.strip()))
            else:
                fields[key] = value.strip()
        elif last_key and last_key != "params" and stripped.lstrip("/").strip():
            fields[last_key] += " " + stripped.lstrip("/").strip()
    for key in ("name", "answers"):
        if not fields.get(key):
            raise QueryFileError(f"{source}:1: the header has no '// {key}:' line")
    if not _NAME.match(fields["name"]):
        raise QueryFileError(
            f"{source}:1: query name {fields['name']!r} must be lower-case words joined by '-'"
        )
    main_text, variants = _split_dialects(source, lines[body_start:], body_start)
    if not main_text.strip():
        raise QueryFileError(f"{source}: no query text after the header")
    return NamedQuery(
        name=fields["name"],
        params=tuple(params),
        description=fields["answers"],
        text=main_text.strip() + "\n",
        variants=variants,
    )


def list_queries() -> list[NamedQuery]:
    """Every query of the library, sorted by name."""
    found = []
    for entry in resources.files(__name__).iterdir():
        if entry.name.endswith(".cypher"):
            found.append(parse_query(entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda query: query.name)


def get_query(name: str) -> NamedQuery:
    """The query called *name*.

    Raises
    ------
    KeyError
        No such query; the message lists the available names.
    """
    entry = resources.files(__name__).joinpath(f"{name}.cypher")
    if _NAME.match(name) and entry.is_file():
        return parse_query(entry.name, entry.read_text(encoding="utf-8"))
    available = ", ".join(query.name for query in list_queries())
    raise KeyError(f"no named query {name!r}; available: {available}")


def _parse_param(source: str, number: int, value: str) -> QueryParam:
    match = _PARAM.match(value)
    if not match:
        raise QueryFileError(
            f"{source}:{number}: expected 'name (type[, default VALUE]) — meaning', got {value!r}"
        )
    name, type_, default_text, meaning = match.group("name", "type", "default", "meaning")
    if type_ not in PARAM_TYPES:
        raise QueryFileError(
            f"{source}:{number}: unknown parameter type {type_!r} (use {', '.join(sorted(PARAM_TYPES))})"
        )
    if default_text is None:
        return QueryParam(name, type_, (meaning or "").strip())
    try:
        default = json.loads(default_text)
    except json.JSONDecodeError:
        raise QueryFileError(f"{source}:{number}: default {default_text!r} is not a JSON value") from None
    return QueryParam(name, type_, (meaning or "").strip(), required=False, default=default)


def _split_dialects(source: str, lines: list[str], offset: int) -> tuple[str, dict[str, str]]:
    main: list[str] = []
    variants: dict[str, list[str]] = {}
    current = main
    for number, line in enumerate(lines, start=offset + 1):
        match = _FIELD.match(line.strip())
        if match and match.group(1) == "dialect":
            dialect = match.group(2).strip()
            if dialect not in ("arcadedb", "neo4j"):
                raise QueryFileError(f"{source}:{number}: unknown dialect {dialect!r} (arcadedb or neo4j)")
            current = variants.setdefault(dialect, [])
            continue
        current.append(line)
    return "\n".join(main), {key: "\n".join(value).strip() + "\n" for key, value in variants.items()}
