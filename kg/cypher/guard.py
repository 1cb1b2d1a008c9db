"""Refuse Cypher that would change the graph, before it reaches any engine.

``kg query`` and the named queries are read-only unless the user asks for
writes. :func:`ensure_read_only` looks at the query's *tokens*, not its raw
text: a small tokenizer skips string literals, comments, backtick-quoted names
and parameters, so ``RETURN 'DELETE'`` or ``// CREATE`` are fine while
``detach delete n`` (any case) is refused. Words used as property keys
(``n.set``), map keys (``{create: 1}``), labels or relationship types
(``:Merge``) are names, not clauses, and are allowed too.

Refused: the update clauses ``CREATE``, ``MERGE``, ``SET``, ``DELETE``,
``DETACH``, ``REMOVE``, ``FOREACH``, ``INSERT``, ``DROP``; ``LOAD CSV``;
``… IN TRANSACTIONS``; administration (``ALTER``, ``GRANT``, ``DENY``,
``REVOKE``, ``RENAME``, ``START``/``STOP`` database, ``TERMINATE``); and
``CALL`` of any procedure outside a short list of read-only ones (so every
``apoc.*`` and every writing ``db.*``/``dbms.*`` procedure).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from kg.cypher.backend import CypherError

__all__ = [
    "READ_ONLY_PROCEDURES",
    "Token",
    "WriteQueryError",
    "ensure_read_only",
    "tokenize",
    "write_clauses",
]


class WriteQueryError(CypherError):
    """A query refused because it would write while writes were not allowed."""


@dataclass(frozen=True, slots=True)
class Token:
    """A word or symbol of a query, with where it starts (1-based line and column)."""

    kind: str  # "word", "symbol", "string", "name" (backtick), "param", "number"
    text: str
    line: int
    column: int


#: Words that start a clause which writes (or administers) the database.
_WRITE_WORDS: Final[frozenset[str]] = frozenset(
    {
        "CREATE",
        "MERGE",
        "SET",
        "DELETE",
        "DETACH",
        "REMOVE",
        "FOREACH",
        "INSERT",
        "DROP",
        "ALTER",
        "GRANT",
        "DENY",
        "REVOKE",
        "RENAME",
        "TERMINATE",
    }
)

#: Procedures that only read (schema and server introspection); any other ``CALL proc`` is refused.
READ_ONLY_PROCEDURES: Final[frozenset[str]] = frozenset(
    {
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.indexes",
        "db.constraints",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
        "db.info",
        "db.ping",
        "dbms.components",
        "dbms.procedures",
        "dbms.functions",
        "dbms.listconfig",
        "dbms.showcurrentuser",
    }
)

#: A word right after one of these symbols is a name (property, label, type), never a clause.
_NAME_PREFIXES: Final[frozenset[str]] = frozenset({".", ":", "|", "&", "!"})

_SYMBOLS_2: Final[frozenset[str]] = frozenset({"<>", "<=", ">=", "=~", "+=", "->", "<-", "..", "::"})


def tokenize(query: str) -> Iterator[Token]:
    """Split *query* into tokens, dropping whitespace and comments.

    Raises
    ------
    CypherError
        An unterminated string, backtick name or block comment (refused rather
        than guessed at, because a guess could hide a write clause).
    """
    i, n = 0, len(query)
    line, line_start = 1, 0

    def position(index: int) -> tuple[int, int]:
        return line, index - line_start + 1

    while i < n:
        ch = query[i]
        if ch == "\n":
            line, line_start = line + 1, i + 1
            i += 1
        elif ch.isspace():
            i += 1
        elif query.startswith("//", i):
            end = query.find("\n", i)
            i = n if end < 0 else end
        elif query.startswith("/*", i):
            end = query.find("*/", i + 2)
            if end < 0:
                raise CypherError(
                    f"unterminated /* comment starting at line {line}, column {i - line_start + 1}"
                )
            for j in range(i, end):
                if query[j] == "\n":
                    line, line_start = line + 1, j + 1
            i = end + 2
        elif ch in "'\"":
            start_line, start_col = position(i)
            j = i + 1
            while j < n and query[j] != ch:
                if query[j] == "\\":
                    j += 1
                elif query[j] == "\n":
                    line, line_start = line + 1, j + 1
                j += 1
            if j >= n:
                raise CypherError(f"unterminated string starting at line {start_line}, column {start_col}")
            yield Token("string", query[i : j + 1], start_line, start_col)
            i = j + 1
        elif ch == "`":
            start_line, start_col = position(i)
            j = i + 1
            while True:
                j = query.find("`", j)
                if j < 0:
                    raise CypherError(
                        f"unterminated `name` starting at line {start_line}, column {start_col}"
                    )
                if query.startswith("``", j):  # an escaped backtick inside the name
                    j += 2
                    continue
                break
            text = query[i : j + 1]
            yield Token("name", text, start_line, start_col)
            newlines = text.count("\n")
            if newlines:
                line, line_start = line + newlines, i + text.rfind("\n") + 1
            i = j + 1
        elif ch == "$":
            j = i + 1
            if j < n and query[j] == "`":
                end = query.find("`", j + 1)
                j = n if end < 0 else end + 1
            else:
                while j < n and (query[j].isalnum() or query[j] == "_"):
                    j += 1
            yield Token("param", query[i:j], *position(i))
            i = j
        elif ch.isalpha() or ch == "_":
            j = i + 1
            while j < n and (query[j].isalnum() or query[j] == "_"):
                j += 1
            yield Token("word", query[i:j], *position(i))
            i = j
        elif ch.isdigit():
            j = i + 1
            while j < n and (
                query[j].isalnum() or query[j] == "_" or (query[j] == "." and query[j + 1 : j + 2].isdigit())
            ):
                j += 1
            yield Token("number", query[i:j], *position(i))
            i = j
        else:
            width = 2 if query[i : i + 2] in _SYMBOLS_2 else 1
            yield Token("symbol", query[i : i + width], *position(i))
            i += width


def write_clauses(query: str) -> list[tuple[str, Token]]:
    """What makes *query* a write: ``(description, token)`` pairs, empty for a read-only query.

    The description names the clause (``"DELETE"``, ``"LOAD CSV"``, ``"CALL { … } IN
    TRANSACTIONS"``, ``"CALL apoc.create.node (not a known read-only procedure)"``);
    the token says where it starts.
    """
    tokens = list(tokenize(query))
    found: list[tuple[str, Token]] = []
    for index, token in enumerate(tokens):
        if token.kind != "word":
            continue
        previous = tokens[index - 1] if index else None
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if previous is not None and previous.kind == "symbol" and previous.text in _NAME_PREFIXES:
            continue  # n.set, :Merge, [:USES|CREATE]
        if following is not None and following.kind == "symbol" and following.text in (":", "::"):
            continue  # {create: 1}
        word = token.text.upper()
        next_word = following.text.upper() if following is not None and following.kind == "word" else ""
        if word in _WRITE_WORDS:
            found.append((word, token))
        elif word in ("START", "STOP") and next_word == "DATABASE":
            found.append((f"{word} DATABASE", token))
        elif word == "LOAD" and next_word == "CSV":
            found.append(("LOAD CSV", token))
        elif word == "IN" and next_word == "TRANSACTIONS":
            found.append(("CALL { … } IN TRANSACTIONS", token))
        elif word == "CALL" and following is not None and following.kind == "word":
            name = _procedure_name(tokens, index + 1)
            if name.lower() not in READ_ONLY_PROCEDURES:
                found.append((f"CALL {name} (not a known read-only procedure)", token))
    return found


def ensure_read_only(query: str) -> None:
    """Raise :class:`WriteQueryError` if *query* contains a write clause outside strings and comments.

    Raises
    ------
    WriteQueryError
        Naming the first offending clause with its line and column, e.g.
        ``refused: DELETE at line 1, column 10: queries are read-only unless
        writes are allowed (kg query --write, or write=True in Python)``.
    CypherError
        The query has an unterminated string, name or comment.
    """
    offending = write_clauses(query)
    if not offending:
        return
    what, token = offending[0]
    raise WriteQueryError(
        f"refused: {what} at line {token.line}, column {token.column}: queries are read-only "
        "unless writes are allowed (kg query --write, or write=True in Python)"
    )


def _procedure_name(tokens: list[Token], start: int) -> str:
    """The dotted procedure name beginning at ``tokens[start]`` (``db.index.fulltext.queryNodes``)."""
    parts = [tokens[start].text]
    index = start + 1
    while (
        index + 1 < len(tokens)
        and tokens[index].kind == "symbol"
        and tokens[index].text == "."
        and tokens[index + 1].kind in ("word", "name")
    ):
        parts.append(tokens[index + 1].text.strip("`"))
        index += 2
    return ".".join(parts)
