"""Save and load the graph: a documented, deterministic, atomically written JSON format.

A graph directory holds

``graph.json``
    One JSON object: ``format`` (``"paper-kg-graph"``), ``version``,
    ``directed``/``multigraph`` (always true), ``graph`` (graph attributes),
    ``nodes`` — ``{"id": …, "attrs": {…}}`` sorted by id — and ``edges`` —
    ``{"source": …, "target": …, "key": …, "attrs": {…}}`` sorted by
    (source, target, key). Object keys are sorted, text is UTF-8, one node or
    edge per line. The same graph always gives the same bytes. Lines are
    written and read with orjson (about 7x faster to write and 3x faster to
    read than the standard library's ``json``, byte for byte the same output
    on every graph the builders make; docs/PERFORMANCE.md). Integers must
    fit in 64 bits, the range orjson reads back exactly.
``manifest.json``
    ``format`` (``"paper-kg-manifest"``), ``version``, ``fingerprint`` (SHA-256
    of ``graph.json``), ``bytes``, node counts per label, edge counts per
    type, and the ``inputs`` the graph was built from. Cheap to read: engines
    compare the fingerprint to know when their copy of the graph is stale.

Both files are written to a temporary file in the same directory and moved
into place with :func:`os.replace`, graph first, so a reader sees either the
old graph or the new one. Other content of the directory (for instance the
embedded engine's ``engine/`` folder and HTML views) is left alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx
import orjson

from kg.gc_tuning import gc_paused

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "GRAPH_FILE",
    "MANIFEST_FILE",
    "GraphFileError",
    "graph_fingerprint",
    "graph_lines",
    "iter_saved",
    "load_graph",
    "read_manifest",
    "save_graph",
    "write_graph_files",
]

FORMAT = "paper-kg-graph"
MANIFEST_FORMAT = "paper-kg-manifest"
#: Bumped whenever the layout of ``graph.json`` changes incompatibly.
FORMAT_VERSION = 1
GRAPH_FILE = "graph.json"
MANIFEST_FILE = "manifest.json"

_SORTED = orjson.OPT_SORT_KEYS


class GraphFileError(RuntimeError):
    """A graph directory that is missing, incomplete, corrupt or of another format version."""


def _sort_key(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"node ids and edge keys must be strings to be saved, got {value!r}")
    return value


def _graph_lines(graph: nx.MultiDiGraph) -> Iterator[str]:
    """The lines of ``graph.json``; nodes and edges streamed in sorted order."""
    nodes = ((node, graph.nodes[node]) for node in sorted(graph.nodes, key=_sort_key))
    edges = (
        (source, target, key, graph.edges[source, target, key])
        for source, target, key in sorted(graph.edges(keys=True), key=lambda e: (e[0], e[1], _sort_key(e[2])))
    )
    return graph_lines(graph.graph, nodes, edges)


def graph_lines(
    attrs: dict[str, Any],
    nodes: Iterable[tuple[str, dict[str, Any]]],
    edges: Iterable[tuple[str, str, str, dict[str, Any]]],
) -> Iterator[bytes]:
    """The lines of ``graph.json`` for graph attributes *attrs* and *nodes*/*edges* already in file order.

    *nodes* are ``(id, attributes)`` sorted by id, *edges* ``(source, target,
    key, attributes)`` sorted by (source, target, key); both are serialised
    one at a time, so they can be generated on the fly. Yields UTF-8 bytes.

    Raises
    ------
    TypeError
        When a value is not JSON (or an integer beyond 64 bits, or an object key
        that is not a string); the message names the node or edge.
    """
    header = {"directed": True, "format": FORMAT, "graph": attrs, "multigraph": True,
              "version": FORMAT_VERSION}
    try:
        head = orjson.dumps(header, option=_SORTED)
    except TypeError as exc:
        raise _unsaveable("the graph attributes", exc) from None
    yield head[:-1] + b',"nodes":[\n'
    dumps, sort = orjson.dumps, _SORTED
    first = True
    for node, data in nodes:
        item = {"attrs": data, "id": node}
        try:
            line = dumps(item, option=sort)
        except TypeError as exc:
            raise _unsaveable(f"node {node!r}", exc) from None
        yield line if first else b",\n" + line
        first = False
    yield b'],"edges":[\n' if first else b'\n],"edges":[\n'  # an empty section has no line
    first = True
    for source, target, key, data in edges:
        item = {"attrs": data, "key": key, "source": source, "target": target}
        try:
            line = dumps(item, option=sort)
        except TypeError as exc:
            raise _unsaveable(f"edge {source!r} -> {target!r} ({key!r})", exc) from None
        yield line if first else b",\n" + line
        first = False
    yield b"]}\n" if first else b"\n]}\n"


def _unsaveable(what: str, error: TypeError) -> TypeError:
    """The error for *what* (a node, an edge, the graph attributes) that orjson could not serialise."""
    return TypeError(f"{what} cannot be saved as JSON: {error}")


def _atomic_write(path: Path, chunks: Iterable[bytes]) -> tuple[str, int]:
    """Write *chunks* to *path* through a temporary file + :func:`os.replace`; return (sha256, size)."""
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            batch: list[bytes] = []
            for chunk in chunks:
                batch.append(chunk)
                if len(batch) >= 2048:
                    data = b"".join(batch)
                    digest.update(data)
                    handle.write(data)
                    size += len(data)
                    batch.clear()
            data = b"".join(batch)
            digest.update(data)
            handle.write(data)
            size += len(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size


def save_graph(
    graph: nx.MultiDiGraph, directory: str | os.PathLike[str], *, inputs: Sequence[str] = ()
) -> dict[str, Path]:
    """Write *graph* to *directory* (created if needed) as ``graph.json`` + ``manifest.json``.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        Node ids and edge keys must be strings; attributes must be JSON
        values (str, int, float, bool, None, lists and dicts of them, with
        string keys; integers within 64 bits). A NaN or infinite float is
        written as ``null``, as orjson does.
    directory : path
        The graph directory. Files other than the two written are kept.
    inputs : sequence of str, optional
        The input paths the graph was built from, recorded in the manifest.

    Returns
    -------
    dict
        ``{"graph": path of graph.json, "manifest": path of manifest.json}``.

    Raises
    ------
    TypeError
        If an id, key or attribute cannot be represented in JSON.
    """
    node_counts = Counter(str(label) for _, label in graph.nodes(data="label"))
    edge_counts = Counter(str(rel) for *_, rel in graph.edges(data="type"))
    return write_graph_files(directory, _graph_lines(graph), node_counts=node_counts, edge_counts=edge_counts,
                             inputs=inputs)


def write_graph_files(
    directory: str | os.PathLike[str],
    lines: Iterable[bytes],
    *,
    node_counts: Mapping[str, int],
    edge_counts: Mapping[str, int],
    inputs: Sequence[str] = (),
) -> dict[str, Path]:
    """Write the *lines* of ``graph.json`` (see :func:`graph_lines`) and its ``manifest.json``, atomically.

    *node_counts* (per label) and *edge_counts* (per type) go into the
    manifest; their sums are the totals. Returns the paths as :func:`save_graph`.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    graph_path = directory / GRAPH_FILE
    manifest_path = directory / MANIFEST_FILE
    fingerprint, size = _atomic_write(graph_path, lines)
    manifest = {
        "bytes": size,
        "counts": {
            "edges": dict(sorted(edge_counts.items())),
            "nodes": dict(sorted(node_counts.items())),
            "total_edges": sum(edge_counts.values()),
            "total_nodes": sum(node_counts.values()),
        },
        "fingerprint": fingerprint,
        "format": MANIFEST_FORMAT,
        "graph_file": GRAPH_FILE,
        "inputs": list(inputs),
        "version": FORMAT_VERSION,
    }
    text = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    _atomic_write(manifest_path, [text.encode("utf-8")])
    return {"graph": graph_path, "manifest": manifest_path}


def read_manifest(directory: str | os.PathLike[str]) -> dict[str, Any]:
    """The parsed ``manifest.json`` of a graph directory.

    Raises
    ------
    GraphFileError
        If the directory or manifest is missing, not JSON, or of another format/version.
    """
    directory = Path(directory)
    path = directory / MANIFEST_FILE
    if not directory.is_dir():
        raise GraphFileError(
            f"no graph directory at {directory} (build one with `kg build INPUT… -o {directory}`)"
        )
    if not path.is_file():
        if (directory / GRAPH_FILE).is_file():
            raise GraphFileError(f"{path} is missing: the graph in {directory} is incomplete; rebuild it")
        raise GraphFileError(f"no graph in {directory} (build one with `kg build INPUT… -o {directory}`)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GraphFileError(f"{path} is corrupt: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise GraphFileError(f"{path} is not a paper-kg manifest")
    if manifest.get("version") != FORMAT_VERSION:
        raise GraphFileError(
            f"{path} has format version {manifest.get('version')!r}; this paper-kg reads version "
            f"{FORMAT_VERSION}: rebuild the graph with `kg build`"
        )
    if not isinstance(manifest.get("fingerprint"), str):
        raise GraphFileError(f"{path} has no fingerprint")
    return manifest


def graph_fingerprint(directory: str | os.PathLike[str]) -> str:
    """SHA-256 (hex) of the saved ``graph.json``, read from the manifest (no hashing).

    It changes exactly when the saved graph changes, so a derived copy (the
    embedded Cypher engine's database) can tell whether it must be refreshed.

    Raises
    ------
    GraphFileError
        If *directory* holds no valid manifest.
    """
    return str(read_manifest(directory)["fingerprint"])


#: One element of a saved graph, in file order: ``("node", id, attrs)`` or
#: ``("edge", (source, target, key), attrs)``; the first item is ``("graph", None, graph attrs)``.
SavedItem = tuple[str, Any, dict[str, Any]]


def iter_saved(directory: str | os.PathLike[str], *, share_values: bool = True) -> Iterator[SavedItem]:
    """Stream the elements of the graph saved in *directory* without building a graph.

    Nodes come sorted by id, then edges sorted by (source, target, key), as
    :func:`save_graph` writes them. The bytes are hashed as they are read and
    checked against the manifest when the end is reached; a mismatch raises
    :class:`GraphFileError` then (and in place of any parse error it explains).
    With *share_values* (the default) attribute names and short string values
    are interned, so elements kept in memory share them; a caller that hands
    each element on and lets it go (the engine rebuild) turns it off.

    Raises
    ------
    GraphFileError
        As :func:`load_graph`.
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    path = directory / GRAPH_FILE
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise GraphFileError(f"{path} is missing; rebuild the graph with `kg build`") from None
    digest = hashlib.sha256()
    with handle:
        try:
            yield from _read_items(path, handle, digest, share_values)
        except GraphFileError:
            digest.update(handle.read())
            if digest.hexdigest() != manifest["fingerprint"]:
                raise _mismatch(path) from None
            raise
    if digest.hexdigest() != manifest["fingerprint"]:
        raise _mismatch(path)


def load_graph(directory: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Load the graph saved in *directory* by :func:`save_graph`.

    The file is read line by line (one node or edge per line), so memory holds
    the graph and one line, never the whole parsed document. The bytes are
    checked against the manifest's fingerprint, so a truncated or edited file
    is reported rather than half-loaded.

    Returns
    -------
    networkx.MultiDiGraph
        Equal to the saved graph: same nodes, edges, keys and attributes.

    Raises
    ------
    GraphFileError
        If the graph is missing, corrupt, or of another format version; the
        message names the file (and the line, for a line that is not JSON).
    """
    graph = nx.MultiDiGraph()
    nodes: list[tuple[Any, dict[str, Any]]] = []
    edges: list[tuple[Any, Any, Any, dict[str, Any]]] = []
    node_count = 0
    with gc_paused():
        for kind, key, attrs in iter_saved(directory):
            if kind == "node":
                nodes.append((key, attrs))
                node_count += 1
                if len(nodes) >= _BATCH:
                    graph.add_nodes_from(nodes)
                    nodes.clear()
            elif kind == "edge":
                if nodes:
                    graph.add_nodes_from(nodes)
                    nodes.clear()
                edges.append((*key, attrs))
                if len(edges) >= _BATCH:
                    graph.add_edges_from(edges)
                    edges.clear()
            else:
                graph.graph.update(attrs)
        graph.add_nodes_from(nodes)
        graph.add_edges_from(edges)
    if graph.number_of_nodes() != node_count:
        path = Path(directory) / GRAPH_FILE
        raise GraphFileError(f"{path} is corrupt: an edge names a node that is not in the file")
    return graph


_BATCH = 10_000


def _mismatch(path: Path) -> GraphFileError:
    return GraphFileError(
        f"{path} does not match its manifest (truncated, edited or half-written); rebuild it with `kg build`"
    )


#: String values up to this length are shared between elements when loading (see :func:`_shared`).
_SHARED_VALUE_LENGTH = 40


def _shared(attrs: dict[str, Any]) -> dict[str, Any]:
    """*attrs* with its keys and short string values interned.

    Each line is parsed on its own, so without this every edge would carry its
    own copies of ``"evidence"``, ``"confidence"``, ``"USES"``, ``"gazetteer"``
    … — about a quarter of a loaded graph's memory.
    """
    return {
        sys.intern(key): sys.intern(value)
        if isinstance(value, str) and len(value) <= _SHARED_VALUE_LENGTH
        else value
        for key, value in attrs.items()
    }


def _read_items(path: Path, handle: BinaryIO, digest: Any, share_values: bool = True) -> Iterator[SavedItem]:
    """Parse ``graph.json`` as :func:`_graph_lines` lays it out, hashing every byte read."""
    share = _shared if share_values else dict

    def lines() -> Iterator[tuple[int, bytes]]:
        for number, raw in enumerate(handle, start=1):
            digest.update(raw)
            yield number, raw

    def corrupt(number: int, why: str) -> GraphFileError:
        return GraphFileError(f"{path}:{number} is corrupt: {why}")

    stream = lines()
    number, head = next(stream, (1, b""))
    if not head.rstrip().endswith(b'"nodes":['):
        raise GraphFileError(f"{path} is not a paper-kg graph file")
    try:
        header = json.loads(head.rstrip()[: -len(b',"nodes":[')] + b"}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise GraphFileError(f"{path} is not a paper-kg graph file") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise GraphFileError(f"{path} is not a paper-kg graph file")
    if header.get("version") != FORMAT_VERSION:
        raise GraphFileError(
            f"{path} has format version {header.get('version')!r}; this paper-kg reads version "
            f"{FORMAT_VERSION}: rebuild the graph with `kg build`"
        )
    yield "graph", None, dict(header.get("graph") or {})
    section = "nodes"
    for number, raw in stream:
        line = raw.rstrip(b"\n")
        if line == b'],"edges":[' and section == "nodes":
            section = "edges"
            continue
        if line == b"]}" and section == "edges":
            section = "end"
            continue
        if section == "end":
            raise corrupt(number, "content after the end of the graph")
        if not line and raw == b"\n" and section in ("nodes", "edges"):
            continue  # earlier versions wrote an empty section as one blank line
        try:
            item = orjson.loads(line.removesuffix(b","))
            if section == "nodes":
                parsed: SavedItem = ("node", item["id"], share(item["attrs"]))
            else:
                parsed = ("edge", (item["source"], item["target"], item["key"]), share(item["attrs"]))
        except (orjson.JSONDecodeError, UnicodeDecodeError) as exc:
            raise corrupt(number, f"not JSON ({exc})") from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise corrupt(number, f"malformed {section[:-1]} ({exc!r})") from None
        yield parsed
    if section != "end":
        raise GraphFileError(f"{path} is corrupt: it ends before the end of the graph")
