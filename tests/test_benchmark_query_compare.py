"""benchmarks.query_compare on the hand-built graph: timings per text, row agreement, failures kept apart."""

from __future__ import annotations

from benchmarks.query_compare import compare_texts
from kg.cypher.embedded import EmbeddedBackend
from queries import get_query
from tests.cypher_fixtures import (
    P1,
    P2,
    P5,
    backend,  # noqa: F401  (fixture)
    corpus_dir,  # noqa: F401  (fixture)
)

SHARING = get_query("papers-sharing-datasets").text
#: The same ranking without the shared names: its rows differ from the library query's on every paper
#: that shares a dataset.
COUNTS_ONLY = """
MATCH (p:Paper {id: $paper})-[:PROPOSES|USES]->(c:Concept)<-[:PROPOSES|USES]-(other:Paper)
WHERE c.kind = 'Dataset' AND other <> p
WITH other, count(DISTINCT c) AS shared_count
RETURN other.id AS paper, shared_count ORDER BY shared_count DESC, paper LIMIT $limit
"""
BROKEN = "MATCH (p:Paper {id: $paper}) RETURN p.id AS paper, nosuchfunction(p) AS x LIMIT $limit"


def test_compare_texts_times_each_text_and_counts_disagreements(backend: EmbeddedBackend) -> None:  # noqa: F811
    papers = [P1, P2, P5, P2, P1]
    texts = {"library": SHARING, "again": SHARING, "counts": COUNTS_ONLY, "broken": BROKEN}
    library, again, counts, broken = compare_texts(backend, texts, papers, limit=3, warmup=2)
    assert [r.path for r in (library, again, counts, broken)] == list(texts)
    assert len(library.latencies_ms) == 3 and all(ms > 0 for ms in library.latencies_ms)
    assert len(again.latencies_ms) == 3 and again.differs_from_first == 0
    assert counts.differs_from_first == len(papers)  # every one of these papers shares a dataset
    assert broken.failed_on == P1 and broken.latencies_ms == [] and broken.error
