"""Run a query of the library (:mod:`queries`) on any backend: check parameters, resolve names, run.

Parameters declared ``paper`` or ``concept`` accept what a person types — an
id, an exact title/name/alias, or a unique case-insensitive prefix — and are
resolved to a node id by the library's own ``resolve-paper`` /
``resolve-concept`` queries on the same backend, so resolution behaves the same
on the embedded engine and on Neo4j. A name matching several nodes equally well
is an error listing the candidates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from kg.cypher.backend import CypherBackend, CypherError, QueryResult
from kg.records import reference_id
from queries import NamedQuery, QueryParam, get_query

__all__ = ["AmbiguousNameError", "ParameterError", "coerce_param", "resolve_name", "run_named"]

#: How many candidates an ambiguous-name error lists.
MAX_CANDIDATES: Final[int] = 20

_RESOLVERS: Final[dict[str, str]] = {"paper": "resolve-paper", "concept": "resolve-concept"}

#: Exact-id lookups tried before the full resolver: they use the id index, the resolver scans titles/names.
_ID_LOOKUPS: Final[dict[str, str]] = {
    "paper": "MATCH (n:Paper {id: $name}) RETURN n.id AS id",
    "concept": "MATCH (n:Concept {id: $name}) RETURN n.id AS id",
}


class ParameterError(CypherError):
    """A named query was given an unknown, missing or ill-typed parameter."""


class AmbiguousNameError(CypherError):
    """A paper or concept name that matches several nodes; ``candidates`` holds ``(id, label)`` pairs."""

    def __init__(self, message: str, candidates: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.candidates = candidates


def run_named(backend: CypherBackend, name: str, params: Mapping[str, Any] | None = None) -> QueryResult:
    """Run the library query *name* with *params* on *backend*.

    Parameters
    ----------
    backend
        Any :class:`~kg.cypher.backend.CypherBackend`.
    name
        A query name from :func:`queries.list_queries`.
    params
        Values by parameter name; strings are converted to the declared type
        (``"5"`` for an ``int``), missing optional ones take their default.

    Raises
    ------
    CypherError
        Unknown query (message lists the names), :class:`ParameterError`,
        :class:`AmbiguousNameError`, a name matching nothing, or an engine error.
    """
    try:
        query = get_query(name)
    except KeyError as error:
        raise CypherError(str(error.args[0])) from None
    values = bind_params(query, params or {})
    for param in query.params:
        if param.type in _RESOLVERS:
            values[param.name] = resolve_name(backend, param.type, values[param.name])
    return backend.run(query.text_for(backend.dialect), values)


def bind_params(query: NamedQuery, params: Mapping[str, Any]) -> dict[str, Any]:
    """Declared parameters of *query* with *params* converted to their types and defaults filled in."""
    unknown = sorted(set(params) - set(query.param_names()))
    if unknown:
        declared = ", ".join(query.param_names()) or "none"
        raise ParameterError(f"{query.name} has no parameter {', '.join(unknown)} (parameters: {declared})")
    values: dict[str, Any] = {}
    for param in query.params:
        if param.name in params and params[param.name] is not None:
            values[param.name] = coerce_param(query.name, param, params[param.name])
        elif param.required:
            raise ParameterError(f"{query.name} needs --{param.name} ({param.type}): {param.meaning}")
        else:
            values[param.name] = param.default
    return values


def coerce_param(query_name: str, param: QueryParam, value: Any) -> Any:
    """*value* as the type *param* declares (strings parsed; ``int`` must be whole and ≥ 0 for limits)."""
    kind = param.type
    try:
        if kind == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            number = int(value)
            if param.name == "limit" and number < 0:
                raise ValueError
            return number
        if kind == "float":
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        if kind == "bool":
            if isinstance(value, bool):
                return value
            lowered = str(value).strip().lower()
            if lowered in ("true", "yes", "1"):
                return True
            if lowered in ("false", "no", "0"):
                return False
            raise ValueError
    except (TypeError, ValueError):
        raise ParameterError(f"{query_name}: --{param.name} must be {_a(kind)}, got {value!r}") from None
    return str(value)


def resolve_name(backend: CypherBackend, kind: str, name: str) -> str:
    """The id of the paper or concept *name* refers to.

    Parameters
    ----------
    kind
        ``"paper"`` or ``"concept"``.
    name
        An id, an exact title/name (a concept's alias too), or the start of one
        in any case.

    Raises
    ------
    CypherError
        Nothing matches.
    AmbiguousNameError
        Several nodes match equally well (several with the same best rank).
    """
    name = str(name).strip()
    if not name:
        raise ParameterError(f"an empty {kind} name matches nothing")
    # an arXiv id with a version or an arxiv.org/doi.org URL normalises to a paper id
    ids = dict.fromkeys([name, reference_id(name)] if kind == "paper" else [name])
    for node_id in ids:
        by_id = backend.run(_ID_LOOKUPS[kind], {"name": node_id}).rows
        if by_id:
            return str(by_id[0][0])
    resolver = get_query(_RESOLVERS[kind])
    rows = backend.run(resolver.text_for(backend.dialect), {"name": name}).records()
    if not rows:
        raise CypherError(
            f"no {kind} matches {name!r} (try an id, the exact {_title(kind)} or its first words)"
        )
    best = [row for row in rows if row["rank"] == rows[0]["rank"]]
    if len(best) == 1:
        return str(best[0]["id"])
    candidates = [(str(row["id"]), _describe(kind, row)) for row in best[:MAX_CANDIDATES]]
    more = " and more" if len(best) > MAX_CANDIDATES else ""
    listing = "; ".join(f"{node_id} ({label})" for node_id, label in candidates)
    raise AmbiguousNameError(
        f"{name!r} matches {len(best) if not more else f'{MAX_CANDIDATES}+'} {kind}s; "
        f"give an id or a longer {_title(kind)}: {listing}{more}",
        candidates,
    )


def _describe(kind: str, row: Mapping[str, Any]) -> str:
    if kind == "paper":
        return f"{row['title']}, {row['year']}" if row.get("year") is not None else str(row["title"])
    return f"{row['name']}, {row['kind']}"


def _title(kind: str) -> str:
    return "title" if kind == "paper" else "name"


def _a(kind: str) -> str:
    return {"int": "a whole number", "float": "a number", "bool": "true or false"}.get(kind, f"a {kind}")
