"""Every named query of the library, run on the embedded engine over the hand-built graph: exact rows."""

from __future__ import annotations

import math

import pytest

from kg.cypher.backend import CypherError
from kg.cypher.embedded import EmbeddedBackend
from kg.cypher.named import AmbiguousNameError, ParameterError, resolve_name, run_named
from queries import QueryFileError, get_query, list_queries, parse_query
from tests.cypher_fixtures import (
    ADE20K,
    COCO,
    IMAGENET,
    INSERTNERF,
    LORA,
    P1,
    P2,
    P3,
    P4,
    P5,
    P6,
    REPO,
    SAM_METHOD,
    SAM_MODEL,
    SEMSEG,
    TITLES,
    backend,  # noqa: F401  (fixture)
    corpus_dir,  # noqa: F401  (fixture)
)

# -- the library itself ------------------------------------------------------------------------------

EXPECTED_QUERIES = {
    "citations",
    "concept-cooccurrence",
    "paper-concepts",
    "papers-sharing-datasets",
    "papers-sharing-methods",
    "papers-using-concept",
    "path-between-papers",
    "resolve-concept",
    "resolve-paper",
    "similar-papers",
    "top-concepts",
}


def test_library_lists_every_query_with_header() -> None:
    named = list_queries()
    assert {query.name for query in named} == EXPECTED_QUERIES
    for query in named:
        assert query.description, query.name
        assert query.text.lstrip().upper().startswith("MATCH"), query.name
        assert "ORDER BY" in query.text, f"{query.name} needs a deterministic ORDER BY"
        for param in query.params:
            assert param.meaning, f"{query.name}: {param.name} has no meaning"
            assert f"${param.name}" in query.text, f"{query.name} never uses ${param.name}"


def test_header_parsing() -> None:
    query = get_query("papers-sharing-datasets")
    assert query.param_names() == ["paper", "limit"]
    assert query.param("paper").type == "paper" and query.param("paper").required
    assert query.param("limit").default == 20 and not query.param("limit").required
    assert get_query("top-concepts").param("kind").default == ""


def test_dialect_variant_and_bad_headers() -> None:
    text = (
        "// name: x-y\n// params: n (int, default 3) — how many\n// answers: a\n//   continued\n"
        "MATCH (n) RETURN n LIMIT $n\n// dialect: neo4j\nMATCH (m) RETURN m LIMIT $n\n"
    )
    query = parse_query("x-y.cypher", text)
    assert query.description == "a continued"
    assert query.text_for("arcadedb") == "MATCH (n) RETURN n LIMIT $n\n"
    assert query.text_for("neo4j") == "MATCH (m) RETURN m LIMIT $n\n"
    with pytest.raises(QueryFileError, match=r"^bad.cypher:2: unknown parameter type 'number'"):
        parse_query("bad.cypher", "// name: bad\n// params: n (number) — x\n// answers: y\nRETURN 1")
    with pytest.raises(QueryFileError, match=r"^bad.cypher:1: the header has no '// answers:' line"):
        parse_query("bad.cypher", "// name: bad\nRETURN 1")
    with pytest.raises(KeyError, match="no named query 'nope'; available: citations, "):
        get_query("nope")
    with pytest.raises(KeyError):
        get_query("../queries/citations")


# -- exact rows ---------------------------------------------------------------------------------------


def rows(backend: EmbeddedBackend, name: str, **params: object) -> list[list[object]]:  # noqa: F811
    return run_named(backend, name, params).rows


def test_papers_using_concept(backend: EmbeddedBackend) -> None:  # noqa: F811
    result = run_named(backend, "papers-using-concept", {"concept": "coco"})
    assert result.columns == ["paper", "title", "year", "role"]
    assert result.rows == [
        [P2, TITLES[P2], 2024, "USES"],
        [P3, TITLES[P3], 2023, "USES"],
        [P4, TITLES[P4], 2022, "USES"],
        [P5, TITLES[P5], None, "USES"],
    ]
    assert rows(backend, "papers-using-concept", concept="Sharpness-Aware Minimization") == [
        [P4, TITLES[P4], 2022, "PROPOSES"],
        [P3, TITLES[P3], 2023, "USES"],
    ]
    assert rows(backend, "papers-using-concept", concept=COCO, limit=1) == [[P2, TITLES[P2], 2024, "USES"]]


def test_papers_sharing_datasets(backend: EmbeddedBackend) -> None:  # noqa: F811
    result = run_named(backend, "papers-sharing-datasets", {"paper": "Diffusion Models"})
    assert result.columns == ["paper", "title", "shared_count", "datasets"]
    assert result.rows == [
        [P5, TITLES[P5], 3, ["ADE20K", "COCO", "ImageNet"]],
        [P4, TITLES[P4], 2, ["COCO", "ImageNet"]],
        [P1, TITLES[P1], 1, ["ImageNet"]],
        [P3, TITLES[P3], 1, ["COCO"]],
    ]
    assert rows(backend, "papers-sharing-datasets", paper=P6) == []
    # The limit cuts the ranking, ties broken by paper id, and the listed datasets stay whole.
    assert rows(backend, "papers-sharing-datasets", paper="Diffusion Models", limit=3) == result.rows[:3]
    assert rows(backend, "papers-sharing-datasets", paper="Diffusion Models", limit=1) == [
        [P5, TITLES[P5], 3, ["ADE20K", "COCO", "ImageNet"]],
    ]


def test_papers_sharing_methods(backend: EmbeddedBackend) -> None:  # noqa: F811
    assert rows(backend, "papers-sharing-methods", paper="diffusion policies") == [
        [P1, TITLES[P1], 1, ["LoRA"]],
        [P2, TITLES[P2], 1, ["LoRA"]],
        [P4, TITLES[P4], 1, ["SAM"]],
    ]


def test_similar_papers_weights_shared_concepts_by_rarity(backend: EmbeddedBackend) -> None:  # noqa: F811
    def weight(*papers_per_concept: int) -> float:
        return round(sum(1 / math.log(n) for n in papers_per_concept), 4)

    # P2's concepts: ImageNet (4 papers), COCO (4), ADE20K (2), LoRA (3), SAM model (1), semseg (2)
    result = run_named(backend, "similar-papers", {"paper": P2})
    assert result.columns == ["paper", "title", "score", "shared"]
    assert result.rows == [
        [P5, TITLES[P5], weight(2, 4, 4, 2), ["ADE20K", "COCO", "ImageNet", "semantic segmentation"]],
        [P1, TITLES[P1], weight(4, 3), ["ImageNet", "LoRA"]],
        [P3, TITLES[P3], weight(4, 3), ["COCO", "LoRA"]],
        [P4, TITLES[P4], weight(4, 4), ["COCO", "ImageNet"]],
    ]
    # A rare shared concept outweighs a common one: P5 shares ImageNet (4) with P1 but InsertNeRF (2) too.
    assert rows(backend, "similar-papers", paper=P1, limit=2) == [
        [P5, TITLES[P5], weight(4, 2), ["ImageNet", "InsertNeRF"]],
        [P2, TITLES[P2], weight(4, 3), ["ImageNet", "LoRA"]],
    ]


def test_top_concepts(backend: EmbeddedBackend) -> None:  # noqa: F811
    result = run_named(backend, "top-concepts", {})
    assert result.columns == ["concept", "name", "kind", "papers"]
    assert result.rows == [
        [COCO, "COCO", "Dataset", 4],
        [IMAGENET, "ImageNet", "Dataset", 4],
        [LORA, "LoRA", "Method", 3],
        [ADE20K, "ADE20K", "Dataset", 2],
        [SAM_METHOD, "SAM", "Method", 2],
        [INSERTNERF, "InsertNeRF", "Model", 2],
        [SEMSEG, "semantic segmentation", "Task", 2],
        [SAM_MODEL, "SAM", "Model", 1],
    ]
    assert rows(backend, "top-concepts", kind="dataset", limit="2") == [
        [COCO, "COCO", "Dataset", 4],
        [IMAGENET, "ImageNet", "Dataset", 4],
    ]
    assert rows(backend, "top-concepts", kind="Task") == [[SEMSEG, "semantic segmentation", "Task", 2]]


def test_concept_cooccurrence(backend: EmbeddedBackend) -> None:  # noqa: F811
    assert rows(backend, "concept-cooccurrence", concept="ImageNet") == [
        [COCO, "COCO", "Dataset", 3],
        [ADE20K, "ADE20K", "Dataset", 2],
        [LORA, "LoRA", "Method", 2],
        [INSERTNERF, "InsertNeRF", "Model", 2],
        [SEMSEG, "semantic segmentation", "Task", 2],
        [SAM_METHOD, "SAM", "Method", 1],
        [SAM_MODEL, "SAM", "Model", 1],
    ]
    assert rows(backend, "concept-cooccurrence", concept="ImageNet", kind="method") == [
        [LORA, "LoRA", "Method", 2],
        [SAM_METHOD, "SAM", "Method", 1],
    ]


def test_citations_both_directions(backend: EmbeddedBackend) -> None:  # noqa: F811
    result = run_named(backend, "citations", {"paper": P4})
    assert result.columns == ["direction", "paper", "title", "year", "source"]
    assert result.rows == [
        ["cited-by", P2, TITLES[P2], 2024, "metadata"],
        ["cited-by", P3, TITLES[P3], 2023, "metadata"],
    ]
    assert rows(backend, "citations", paper="A Survey of Benchmarks") == [
        ["cites", P1, TITLES[P1], 2024, f"inferred:{INSERTNERF}"],
    ]
    assert rows(backend, "citations", paper=P1) == [
        ["cited-by", P5, TITLES[P5], None, f"inferred:{INSERTNERF}"],
    ]
    assert rows(backend, "citations", paper=P6) == []


def test_path_between_papers(backend: EmbeddedBackend) -> None:  # noqa: F811
    result = run_named(backend, "path-between-papers", {"source": P1, "target": "Diffusion Models"})
    assert result.columns == ["hops", "via", "relationships", "ids"]
    assert result.rows == [
        [2, [TITLES[P1], "ImageNet", TITLES[P2]], ["USES", "USES"], [P1, IMAGENET, P2]],
        [2, [TITLES[P1], "LoRA", TITLES[P2]], ["USES", "USES"], [P1, LORA, P2]],
    ]
    assert rows(backend, "path-between-papers", source=P2, target=P4) == [
        [1, [TITLES[P2], TITLES[P4]], ["CITES"], [P2, P4]]
    ]
    assert rows(backend, "path-between-papers", source=P1, target=P6) == []
    assert rows(backend, "path-between-papers", source=P1, target=P1) == []


def test_paper_concepts(backend: EmbeddedBackend) -> None:  # noqa: F811
    assert rows(backend, "paper-concepts", paper="InsertNeRF") == [
        ["PROPOSES", "Model", "InsertNeRF", INSERTNERF],
        ["USES", "Dataset", "ImageNet", IMAGENET],
        ["USES", "Method", "LoRA", LORA],
        ["HAS_CODE", "Repo", "https://github.com/example/InsertNeRF", REPO],
    ]


# -- name resolution ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (P3, P3),  # id
        ("2401.00004", P4),  # bare arXiv id
        ("10.1000/survey", P5),  # bare DOI
        ("arXiv:2401.00004v2", P4),  # arXiv id with a version
        ("https://arxiv.org/abs/2401.00004", P4),  # arXiv URL
        ("https://doi.org/10.1000/SURVEY", P5),  # DOI URL
        ("Isolated Paper", P6),  # exact title
        ("isolated paper", P6),  # title in another case
        ("Sharpness", P4),  # unique prefix
        ("  insertnerf:  ", P1),  # surrounding blanks ignored
    ],
)
def test_resolve_paper(backend: EmbeddedBackend, name: str, expected: str) -> None:  # noqa: F811
    assert resolve_name(backend, "paper", name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (LORA, LORA),
        ("ImageNet", IMAGENET),
        ("imagenet", IMAGENET),
        ("ILSVRC", IMAGENET),  # alias
        ("ms-coco", COCO),  # alias, any case
        ("Segment Anything Model", SAM_MODEL),
        ("ADE", ADE20K),  # unique prefix
        ("semantic", SEMSEG),
    ],
)
def test_resolve_concept(backend: EmbeddedBackend, name: str, expected: str) -> None:  # noqa: F811
    assert resolve_name(backend, "concept", name) == expected


def test_ambiguous_names_list_the_candidates(backend: EmbeddedBackend) -> None:  # noqa: F811
    with pytest.raises(AmbiguousNameError) as caught:
        run_named(backend, "papers-using-concept", {"concept": "SAM"})
    assert caught.value.candidates == [(SAM_METHOD, "SAM, Method"), (SAM_MODEL, "SAM, Model")]
    assert str(caught.value) == (
        "'SAM' matches 2 concepts; give an id or a longer name: "
        f"{SAM_METHOD} (SAM, Method); {SAM_MODEL} (SAM, Model)"
    )
    with pytest.raises(AmbiguousNameError) as caught:
        resolve_name(backend, "paper", "diffusion")
    assert caught.value.candidates == [(P2, f"{TITLES[P2]}, 2024"), (P3, f"{TITLES[P3]}, 2023")]
    # An exact name beats prefixes of other names: "COCO" is not ambiguous with nothing else, "S" is.
    with pytest.raises(AmbiguousNameError, match="'s' matches 3 concepts"):
        resolve_name(backend, "concept", "s")


def test_unknown_names_and_bad_parameters(backend: EmbeddedBackend) -> None:  # noqa: F811
    with pytest.raises(CypherError, match=r"^no paper matches 'Nonexistent' \(try an id"):
        run_named(backend, "citations", {"paper": "Nonexistent"})
    with pytest.raises(ParameterError, match=r"^citations needs --paper \(paper\)"):
        run_named(backend, "citations", {})
    with pytest.raises(ParameterError, match=r"^top-concepts has no parameter sort \(parameters: kind, "):
        run_named(backend, "top-concepts", {"sort": "x"})
    with pytest.raises(ParameterError, match=r"^top-concepts: --limit must be a whole number, got 'ten'$"):
        run_named(backend, "top-concepts", {"limit": "ten"})
    with pytest.raises(CypherError, match=r"^no named query 'top'; available: "):
        run_named(backend, "top", {})


def test_injection_attempt_in_a_name_changes_nothing(backend: EmbeddedBackend) -> None:  # noqa: F811
    def counts() -> list[list[object]]:
        return backend.run(
            "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS relationships"
        ).rows

    before = counts()
    assert before == [[15, 24]]
    hostile = "'}) DETACH DELETE n //"
    for kind in ("paper", "concept"):
        with pytest.raises(CypherError, match="matches"):
            resolve_name(backend, kind, hostile)
    with pytest.raises(CypherError):
        run_named(backend, "citations", {"paper": hostile})
    assert backend.run("MATCH (p:Paper) WHERE p.title = $t RETURN p.id AS id", {"t": hostile}).rows == []
    assert counts() == before
