"""Column names of a query read from its final ``RETURN`` clause.

An engine that returns rows as maps (the embedded engine) gives no column
names when a query matches nothing; the table, CSV and JSON output still need
them. They follow the openCypher rule Neo4j uses too: the alias after ``AS``,
else the expression as written.
"""

from __future__ import annotations

from kg.cypher.backend import CypherError
from kg.cypher.guard import Token, tokenize

__all__ = ["return_columns"]

_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLAUSE_END = {"ORDER", "SKIP", "LIMIT", "UNION", "OFFSET"}


def return_columns(query: str) -> list[str]:
    """The column names of *query*'s last top-level ``RETURN`` (empty if none, or ``RETURN *``).

    Examples
    --------
    >>> return_columns("MATCH (p:Paper) RETURN p.id AS id, count(*) ORDER BY id")
    ['id', 'count(*)']
    """
    try:
        tokens = list(tokenize(query))
    except CypherError:
        return []
    depth = 0
    start = None
    for index, token in enumerate(tokens):
        if token.kind == "symbol" and token.text in _OPENERS:
            depth += 1
        elif token.kind == "symbol" and token.text in _OPENERS.values():
            depth -= 1
        elif depth == 0 and token.kind == "word" and token.text.upper() == "RETURN":
            start = index + 1
    if start is None:
        return []
    items: list[list[Token]] = [[]]
    depth = 0
    for token in tokens[start:]:
        if token.kind == "symbol" and token.text in _OPENERS:
            depth += 1
        elif token.kind == "symbol" and token.text in _OPENERS.values():
            depth -= 1
        if depth == 0 and ((token.kind == "word" and token.text.upper() in _CLAUSE_END) or token.text == ";"):
            break
        if depth == 0 and token.kind == "symbol" and token.text == ",":
            items.append([])
            continue
        items[-1].append(token)
    if items[0] and items[0][0].kind == "word" and items[0][0].text.upper() == "DISTINCT":
        items[0] = items[0][1:]
    names = []
    for item in items:
        if not item or (len(item) == 1 and item[0].text == "*"):
            return []
        if len(item) >= 3 and item[-2].kind == "word" and item[-2].text.upper() == "AS":
            names.append(item[-1].text.strip("`").replace("``", "`"))
        else:
            names.append(_source_text(query, item))
    return names


def _source_text(query: str, tokens: list[Token]) -> str:
    """The text of *query* from the first to the end of the last token, as the user wrote it."""
    lines = query.split("\n")

    def offset(line: int, column: int) -> int:
        return sum(len(text) + 1 for text in lines[: line - 1]) + column - 1

    first, last = tokens[0], tokens[-1]
    return query[offset(first.line, first.column) : offset(last.line, last.column) + len(last.text)].strip()
