"""Extraction results share what they can: one sentence string per sentence, not one per mention."""

from extractors import extract_corpus
from kg.records import Paper


def test_mentions_of_one_sentence_share_its_text():
    abstract = "We evaluate GPT-4 and Llama-2-7B on GSM8K and MATH. Results vary."
    paper = Paper.create("Benchmarks", abstract, id="p")
    entities = extract_corpus([paper])[0].entities
    sentences = [e.sentence for e in entities]
    assert {e.name for e in entities} == {"GPT-4", "Llama-2-7B", "GSM8K", "MATH"}
    assert sentences[0] == "We evaluate GPT-4 and Llama-2-7B on GSM8K and MATH."
    assert all(s is sentences[0] for s in sentences)
