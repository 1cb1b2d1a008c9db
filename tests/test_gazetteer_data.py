"""Integrity checks for the curated gazetteers shipped in ``extractors/data``.

The gazetteers are hand-curated package data read by the extraction pipeline.
These tests are the validator for anyone editing them: every file must parse,
follow the entry schema of ``docs/GAZETTEER.md``, keep surfaces unique within a
type (after the case/hyphen/space folding the canonicaliser applies), declare
every surface shared between types as ambiguous, and stay clear of the
generic-phrase stop-list.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parent.parent / "extractors" / "data"

GAZETTEERS = {
    "datasets.jsonl": ("DATASET", 400),
    "models.jsonl": ("MODEL", 400),
    "methods.jsonl": ("METHOD", 300),
    "tasks.jsonl": ("TASK", 200),
}
TYPES = {"DATASET", "MODEL", "METHOD", "TASK"}
FIELDS = {"nlp", "cv", "ml", "rl", "speech", "multimodal", "graph", "science", "ir"}
REQUIRED_KEYS = {"name", "type", "aliases", "case_sensitive"}
OPTIONAL_KEYS = {"ambiguous", "parent", "field"}
GENERIC_FILE = DATA_DIR / "generic_phrases.txt"
MIN_GENERIC_PHRASES = 200

_FOLD_DROP = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014_]+")


def fold(surface: str) -> str:
    """Fold a surface the way the canonicaliser does: NFKC, case, hyphens, spaces, underscores."""
    return _FOLD_DROP.sub("", unicodedata.normalize("NFKC", surface).casefold())


def fold_keep_case(surface: str) -> str:
    """Like :func:`fold` but keeping letter case (for case-sensitive entries)."""
    return _FOLD_DROP.sub("", unicodedata.normalize("NFKC", surface))


def load_entries(filename: str) -> list[tuple[int, dict]]:
    """Parse one gazetteer; fail with the file name and line number on any malformed line."""
    path = DATA_DIR / filename
    raw = path.read_bytes()
    text = raw.decode("utf-8")  # raises on invalid UTF-8
    assert text.endswith("\n"), f"{path}: must end with a newline"
    entries = []
    for lineno, line in enumerate(text.split("\n")[:-1], 1):
        assert line.strip(), f"{path}:{lineno}: blank line"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            pytest.fail(f"{path}:{lineno}: invalid JSON: {exc}")
        assert isinstance(obj, dict), f"{path}:{lineno}: not a JSON object"
        entries.append((lineno, obj))
    return entries


def load_generic_phrases() -> list[tuple[int, str]]:
    """The stop-list phrases with their line numbers (comments and blank lines skipped)."""
    phrases = []
    for lineno, line in enumerate(GENERIC_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        phrases.append((lineno, line))
    return phrases


@pytest.fixture(scope="module")
def all_entries() -> dict[str, list[dict]]:
    """Every gazetteer's entries keyed by type."""
    by_type = {}
    for filename, (etype, _) in GAZETTEERS.items():
        by_type[etype] = [obj for _, obj in load_entries(filename)]
    return by_type


def surfaces(entry: dict) -> list[str]:
    """The canonical name followed by all aliases of an entry."""
    return [entry["name"], *entry["aliases"]]


@pytest.mark.parametrize("filename", sorted(GAZETTEERS))
def test_entries_follow_schema(filename: str) -> None:
    etype, _ = GAZETTEERS[filename]
    for lineno, obj in load_entries(filename):
        where = f"{filename}:{lineno}"
        keys = set(obj)
        assert keys >= REQUIRED_KEYS, f"{where}: missing keys {sorted(REQUIRED_KEYS - keys)}"
        unknown = keys - REQUIRED_KEYS - OPTIONAL_KEYS
        assert not unknown, f"{where}: unknown keys {sorted(unknown)}"
        assert obj["type"] == etype, f"{where}: type {obj['type']!r} in a {etype} file"
        assert isinstance(obj["case_sensitive"], bool), f"{where}: case_sensitive must be a boolean"
        assert isinstance(obj["aliases"], list), f"{where}: aliases must be a list"
        for surface in surfaces(obj):
            assert isinstance(surface, str) and surface, f"{where}: empty or non-string surface"
            tidy = surface == surface.strip() and "  " not in surface
            assert tidy, f"{where}: stray whitespace in {surface!r}"
            assert surface == unicodedata.normalize("NFC", surface), f"{where}: {surface!r} is not NFC"
        if "ambiguous" in obj:
            amb = obj["ambiguous"]
            assert isinstance(amb, list) and amb, f"{where}: ambiguous must be a non-empty list"
            assert len(set(amb)) == len(amb), f"{where}: repeated type in ambiguous"
            assert set(amb) <= TYPES - {etype}, f"{where}: ambiguous must name other types, got {amb}"
        if "parent" in obj:
            assert isinstance(obj["parent"], str) and obj["parent"] != obj["name"], f"{where}: bad parent"
        if "field" in obj:
            assert obj["field"] in FIELDS, f"{where}: unknown field {obj['field']!r}"


@pytest.mark.parametrize("filename", sorted(GAZETTEERS))
def test_entries_sorted_by_name(filename: str) -> None:
    names = [obj["name"] for _, obj in load_entries(filename)]
    assert names == sorted(names, key=lambda n: (n.casefold(), n))


@pytest.mark.parametrize("filename", sorted(GAZETTEERS))
def test_minimum_counts(filename: str) -> None:
    _, minimum = GAZETTEERS[filename]
    assert len(load_entries(filename)) >= minimum


@pytest.mark.parametrize("filename", sorted(GAZETTEERS))
def test_no_duplicate_surface_within_type(filename: str) -> None:
    owner: dict[str, str] = {}
    for lineno, obj in load_entries(filename):
        for surface in surfaces(obj):
            key = fold(surface)
            assert key, f"{filename}:{lineno}: {surface!r} folds to nothing"
            if key in owner and owner[key] != obj["name"]:
                pytest.fail(
                    f"{filename}:{lineno}: {surface!r} of {obj['name']!r} already belongs to {owner[key]!r}"
                )
            owner[key] = obj["name"]


@pytest.mark.parametrize("filename", sorted(GAZETTEERS))
def test_no_trivial_alias_variants(filename: str) -> None:
    """An alias that only differs by case/hyphen/space is noise, unless the entry is case-sensitive."""
    for lineno, obj in load_entries(filename):
        fold_fn = fold_keep_case if obj["case_sensitive"] else fold
        seen: set[str] = set()
        for surface in surfaces(obj):
            key = fold_fn(surface)
            where = f"{filename}:{lineno}"
            assert key not in seen, f"{where}: {surface!r} is a trivial variant in {obj['name']!r}"
            seen.add(key)


@pytest.mark.parametrize("filename", sorted(GAZETTEERS))
def test_parents_exist_in_same_type(filename: str) -> None:
    entries = load_entries(filename)
    names = {obj["name"] for _, obj in entries}
    for lineno, obj in entries:
        if "parent" in obj:
            assert obj["parent"] in names, f"{filename}:{lineno}: unknown parent {obj['parent']!r}"


def test_cross_type_surfaces_are_declared_ambiguous(all_entries: dict[str, list[dict]]) -> None:
    holders: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for etype, entries in all_entries.items():
        for obj in entries:
            for key in {fold(s) for s in surfaces(obj)}:
                holders[key].append((etype, obj))
    shared = {key: held for key, held in holders.items() if len({t for t, _ in held}) > 1}
    for key, held in shared.items():
        types_here = {t for t, _ in held}
        for etype, obj in held:
            declared = set(obj.get("ambiguous", []))
            missing = types_here - {etype} - declared
            assert not missing, (
                f"{etype} {obj['name']!r}: surface {key!r} is also {sorted(missing)}; declare it ambiguous"
            )


def test_generic_phrases_file_is_clean() -> None:
    text = GENERIC_FILE.read_text(encoding="utf-8")
    assert text.startswith("#"), "generic_phrases.txt must start with a comment header"
    phrases = load_generic_phrases()
    assert len(phrases) >= MIN_GENERIC_PHRASES
    seen: dict[str, int] = {}
    for lineno, phrase in phrases:
        where = f"generic_phrases.txt:{lineno}"
        assert phrase == phrase.strip() and "  " not in phrase, f"{where}: stray whitespace"
        assert phrase == phrase.lower(), f"{where}: {phrase!r} must be lower case"
        assert phrase not in seen, f"{where}: duplicate of line {seen[phrase]}"
        seen[phrase] = lineno


def test_concept_surfaces_are_not_generic(all_entries: dict[str, list[dict]]) -> None:
    """No surface may fold onto a stop-list phrase.

    A case-sensitive entry only matches its exact case, so it clashes only if its
    case-kept fold equals the (lower-case) phrase: "MultiPL-E" is fine, "multiple" is not.
    """
    phrases = {p for _, p in load_generic_phrases()}
    generic = {fold(p) for p in phrases}
    for etype, entries in all_entries.items():
        for obj in entries:
            fold_fn = fold_keep_case if obj["case_sensitive"] else fold
            for surface in surfaces(obj):
                where = f"{etype} {obj['name']!r}"
                assert fold_fn(surface) not in generic, f"{where}: {surface!r} is on the stop-list"
                # The stop-list is applied case-insensitively to every candidate, singular or plural.
                low = " ".join(surface.lower().split())
                for form in (low, low + "s", low[:-1] if low.endswith("s") else low):
                    assert form not in phrases, f"{where}: {surface!r} would be dropped as {form!r}"


def test_case_insensitive_surfaces_do_not_fold_onto_common_words() -> None:
    """A surface that folds onto a stop-list word must be case-sensitive (e.g. MultiPL-E vs "multiple")."""
    generic = {fold(p) for _, p in load_generic_phrases()}
    entry = next(obj for _, obj in load_entries("datasets.jsonl") if obj["name"] == "MultiPL-E")
    assert fold("MultiPL-E") in generic
    assert entry["case_sensitive"] is True


def test_stop_list_covers_core_generic_phrases() -> None:
    phrases = {p for _, p in load_generic_phrases()}
    for phrase in (
        "large language models",
        "language model",
        "neural networks",
        "deep learning",
        "training",
        "fine-tuning",
        "benchmark",
        "dataset",
        "baseline",
        "state-of-the-art",
        "transformer",
        "our method",
        "this paper",
        "experiments",
        "model",
        "however",
        "moreover",
        "specifically",
        "diffusion models",
        "reinforcement learning",
    ):
        assert phrase in phrases, phrase


def _find(all_entries: dict[str, list[dict]], etype: str, name: str) -> dict:
    matches = [obj for obj in all_entries[etype] if obj["name"] == name]
    assert len(matches) == 1, f"{etype} {name!r} not found exactly once"
    return matches[0]


@pytest.mark.parametrize(
    ("etype", "name", "alias"),
    [
        ("METHOD", "Proximal Policy Optimization", "PPO"),
        ("METHOD", "Low-Rank Adaptation", "LoRA"),
        ("METHOD", "Reinforcement Learning from Human Feedback", "RLHF"),
        ("METHOD", "Direct Preference Optimization", "DPO"),
        ("METHOD", "Group Relative Policy Optimization", "GRPO"),
        ("METHOD", "Sharpness-Aware Minimization", "SAM"),
        ("METHOD", "Retrieval-Augmented Generation", "RAG"),
        ("MODEL", "CLIP", "Contrastive Language-Image Pre-training"),
        ("MODEL", "Segment Anything Model", "SAM"),
        ("MODEL", "ViT", "Vision Transformer"),
        ("DATASET", "MS MARCO", "Microsoft Machine Reading Comprehension"),
        ("DATASET", "GSM8K", "Grade School Math 8K"),
        ("DATASET", "ARC", "AI2 Reasoning Challenge"),
        ("TASK", "out-of-distribution detection", "OOD detection"),
        ("TASK", "visual question answering", "VQA"),
    ],
)
def test_known_aliases(all_entries: dict[str, list[dict]], etype: str, name: str, alias: str) -> None:
    assert alias in _find(all_entries, etype, name)["aliases"]


def test_sam_is_declared_ambiguous_both_ways(all_entries: dict[str, list[dict]]) -> None:
    assert "MODEL" in _find(all_entries, "METHOD", "Sharpness-Aware Minimization")["ambiguous"]
    assert "METHOD" in _find(all_entries, "MODEL", "Segment Anything Model")["ambiguous"]


@pytest.mark.parametrize(
    ("etype", "variant", "family"),
    [
        ("DATASET", "ImageNet-C", "ImageNet"),
        ("DATASET", "ImageNet-R", "ImageNet"),
        ("MODEL", "Qwen2.5-7B", "Qwen2.5"),
        ("MODEL", "Qwen2.5-1.5B", "Qwen2.5"),
        ("MODEL", "ResNet-50", "ResNet"),
        ("MODEL", "Llama 2", "LLaMA"),
    ],
)
def test_variants_are_separate_entries_with_parent(
    all_entries: dict[str, list[dict]], etype: str, variant: str, family: str
) -> None:
    entry = _find(all_entries, etype, variant)
    _find(all_entries, etype, family)
    assert entry["parent"] == family
    assert fold(family) not in {fold(s) for s in surfaces(entry)}


@pytest.mark.parametrize("name", ["MATH", "ARC", "The Pile"])
def test_ordinary_english_names_are_case_sensitive(all_entries: dict[str, list[dict]], name: str) -> None:
    assert _find(all_entries, "DATASET", name)["case_sensitive"] is True


def test_documented_counts_match_files() -> None:
    """docs/GAZETTEER.md states the entry and alias counts; they must match the shipped files."""
    doc = (DATA_DIR.parent.parent / "docs" / "GAZETTEER.md").read_text(encoding="utf-8")
    for filename in GAZETTEERS:
        entries = [obj for _, obj in load_entries(filename)]
        aliases = sum(len(obj["aliases"]) for obj in entries)
        row = re.search(rf"`extractors/data/{re.escape(filename)}`\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|", doc)
        assert row, f"docs/GAZETTEER.md has no count row for {filename}"
        assert (int(row.group(1)), int(row.group(2))) == (len(entries), aliases), filename
    phrases = re.search(r"`extractors/data/generic_phrases.txt`\s*\|\s*(\d+) phrases", doc)
    assert phrases and int(phrases.group(1)) == len(load_generic_phrases())


def test_surfaces_stay_distinct_under_the_pipeline_name_key(all_entries: dict[str, list[dict]]) -> None:
    """The corpus canonicaliser's key (which also drops punctuation and a plural "s") must not join
    two entries of one type, and keys shared across types must be declared ambiguous."""
    from extractors.canonical import name_key

    holders: dict[str, set[tuple[str, str]]] = defaultdict(set)
    declared: dict[tuple[str, str], set[str]] = {}
    for etype, entries in all_entries.items():
        for obj in entries:
            declared[(etype, obj["name"])] = set(obj.get("ambiguous", []))
            for surface in surfaces(obj):
                holders[name_key(surface)].add((etype, obj["name"]))
    for key, held in holders.items():
        names_by_type: dict[str, set[str]] = defaultdict(set)
        for etype, name in held:
            names_by_type[etype].add(name)
        for etype, names in names_by_type.items():
            assert len(names) == 1, f"key {key!r} joins {etype} entries {sorted(names)}"
        for etype, name in held:
            others = set(names_by_type) - {etype}
            assert others <= declared[(etype, name)], f"{etype} {name!r}: key {key!r} also {sorted(others)}"
