"""Bulk runs switch the garbage collector to fewer passes and restore it afterwards."""

import gc

import pytest

from extractors import extract_corpus
from kg.gc_tuning import BULK_GC_THRESHOLDS, fewer_gc_passes
from kg.records import Paper


def test_extract_corpus_runs_with_bulk_thresholds_and_restores_them():
    before = gc.get_threshold()
    assert before != BULK_GC_THRESHOLDS
    seen = []
    papers = [Paper.create("GSM8K results", "We evaluate GPT-4 on GSM8K.", id="p1")]
    result = extract_corpus(papers, progress=lambda _n: seen.append(gc.get_threshold()))
    assert seen == [BULK_GC_THRESHOLDS]
    assert gc.get_threshold() == before
    assert {e.name for e in result[0].entities} == {"GSM8K", "GPT-4"}


def test_thresholds_are_restored_after_an_error_and_as_a_decorator():
    before = gc.get_threshold()

    @fewer_gc_passes()
    def failing() -> None:
        assert gc.get_threshold() == BULK_GC_THRESHOLDS
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        failing()
    assert gc.get_threshold() == before
