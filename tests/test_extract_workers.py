"""Pass 1 in worker processes gives exactly the single-process result, with the caller's pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import extractors.workers as workers
from extractors import extract_corpus, make_pipeline, paper_text
from extractors.components import SPAN_KEY, findings_only
from extractors.workers import MIN_PAPERS_PER_PROCESS, auto_processes
from kg.records import Paper
from kg.sources import read_papers

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _dump(results) -> list[str]:
    return [json.dumps(r.to_json(), sort_keys=True) for r in results]


def test_two_processes_give_the_single_process_result(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "CHUNK_SIZE", 40)  # several chunks in flight per worker
    papers = read_papers([SAMPLE]).papers
    assert len(papers) > 4 * 40
    nlp = make_pipeline()
    single = _dump(extract_corpus(papers, nlp, n_process=1))
    seen: list[int] = []
    parallel = _dump(extract_corpus(papers, nlp, n_process=2, progress=seen.append))
    assert parallel == single
    assert sum(seen) == len(papers)  # progress is reported per finished chunk
    assert max(seen) == 40


def test_workers_run_the_callers_pipeline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(workers, "CHUNK_SIZE", 3)
    gazetteer = tmp_path / "extra.jsonl"
    gazetteer.write_text('{"name": "qorblax", "type": "METHOD"}\n')
    nlp = make_pipeline(gazetteer_paths=[str(gazetteer)])
    papers = [Paper.create(f"Study {i}", f"We apply qorblax to the data, part {i}.", id=f"p{i}")
              for i in range(10)]
    results = extract_corpus(papers, nlp, n_process=2)
    assert [[(e.type, e.name, e.rule) for e in r.entities] for r in results] == [
        [("METHOD", "qorblax", "gazetteer")]] * 10
    assert extract_corpus(papers[:1], make_pipeline(), n_process=1)[0].entities == []


def test_auto_processes_uses_workers_only_where_they_pay() -> None:
    assert auto_processes(0, cpus=8) == 1
    assert auto_processes(MIN_PAPERS_PER_PROCESS - 1, cpus=8) == 1
    assert auto_processes(2 * MIN_PAPERS_PER_PROCESS, cpus=8) == 2
    assert auto_processes(100 * MIN_PAPERS_PER_PROCESS, cpus=8) == 8
    assert auto_processes(100 * MIN_PAPERS_PER_PROCESS, cpus=2) == 2


def test_findings_only_documents_give_the_findings_of_annotated_ones() -> None:
    papers = read_papers([SAMPLE]).papers
    nlp = make_pipeline()
    texts = [paper_text(p.title, p.abstract) for p in papers]
    annotated = [nlp(text) for text in texts]
    marked = [nlp(findings_only(nlp.make_doc(text))) for text in texts]
    expected = [workers.findings_of(d) for d in annotated]
    assert [workers.findings_of(d) for d in marked] == expected
    assert sum(len(d.ents) for d in annotated) > 100
    # the marked documents carry no token annotation: no entities, spans or sentence starts
    assert all(not d.ents and SPAN_KEY not in d.spans and not d.has_annotation("SENT_START") for d in marked)
    assert list(workers.iter_findings(iter(texts), nlp)) == expected
