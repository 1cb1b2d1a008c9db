"""Extraction quality and speed benchmark.

Runs the extractors over an annotated split of the seed papers and prints
paper-level precision/recall/F1 per concept type (see
``benchmarks/devset/GUIDELINES.md`` and :mod:`benchmarks.scoring`), the
SciER sentence-level scores when the SciER development split is available,
and the extraction speed against spaCy's bare English tokenizer on the same
texts.

Usage (from the project root)::

    python -m benchmarks.extraction_quality [--split dev|dev2|test|test2|all|heldout] [--scier PATH]
        [--show-errors]
        [--devset DIR] [--speed-papers N] [--speed-runs K] [--profile] [--json PATH]

``dev`` and ``dev2`` are development splits (``dev2`` was annotated after
the rules had been tuned on ``dev``, so it is the fresher guide); ``test`` and
``test2`` are held out: run them to report numbers, never to tune (``test2``
was annotated blind after the rules had been tuned on both development
splits). ``all`` is dev then test, the pair whose numbers are reported over
time; ``heldout`` is test then test2, every paper never tuned on.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.scoring import (
    COMBINED,
    TYPES,
    GoldConcept,
    PaperMatch,
    PredictedConcept,
    Score,
    match_paper,
    role_agreement,
    score_by_rule,
    score_papers,
    score_scier,
)
from kg.records import Paper

__all__ = [
    "DEFAULT_SCIER",
    "DEVSET_DIR",
    "HELD_OUT",
    "SPLITS",
    "SPLIT_GROUPS",
    "BenchmarkError",
    "PaperResult",
    "detokenize",
    "evaluate_papers",
    "evaluate_scier",
    "format_errors",
    "format_scores",
    "gold_concepts",
    "load_scier",
    "load_split",
    "main",
    "measure_speed",
    "paper_of",
    "predicted_concepts",
    "profile_components",
    "timing_corpus",
]

ROOT = Path(__file__).resolve().parent.parent
DEVSET_DIR = ROOT / "benchmarks" / "devset"
DEFAULT_SCIER = ROOT.parent / "shared" / "dev-eval" / "scier" / "dev.jsonl"
SPLITS = ("dev", "dev2", "test", "test2")
#: Named groups of splits, scored as one set of papers.
SPLIT_GROUPS = {"all": ("dev", "test"), "heldout": ("test", "test2")}
#: Splits and groups that hold held-out papers: the run reminds that they are not for tuning.
HELD_OUT = frozenset({"test", "test2", "all", "heldout"})

ExtractCorpus = Callable[[Sequence[Paper]], Iterable[Any]]


class BenchmarkError(RuntimeError):
    """A problem that stops the benchmark, reported as one clear message."""


# --------------------------------------------------------------------------- data


def load_split(split: str, devset_dir: Path = DEVSET_DIR) -> list[dict[str, Any]]:
    """Read the annotated papers of one split in :data:`SPLITS`, or of a group in :data:`SPLIT_GROUPS`.

    Raises
    ------
    BenchmarkError
        When a file is missing or a line is not a valid record (file and line named).
    """
    if split not in SPLIT_GROUPS and split not in SPLITS:
        raise BenchmarkError(f"unknown split {split!r} (choose from {', '.join((*SPLITS, *SPLIT_GROUPS))})")
    names = SPLIT_GROUPS.get(split, (split,))
    rows: list[dict[str, Any]] = []
    for name in names:
        path = devset_dir / f"{name}.jsonl"
        if not path.is_file():
            raise BenchmarkError(f"{path}: annotated split not found")
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                _ = (row["id"], row["title"], row["abstract"], row["concepts"])
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise BenchmarkError(f"{path}:{no}: not an annotated paper record ({exc})") from exc
            rows.append(row)
    return rows


def gold_concepts(row: dict[str, Any]) -> list[GoldConcept]:
    """The gold concepts of one annotated paper."""
    return [
        GoldConcept(c["type"], c["name"], tuple(c.get("aliases", ())), c.get("role", "USES"))
        for c in row["concepts"]
    ]


def paper_of(row: dict[str, Any]) -> Paper:
    """The :class:`kg.records.Paper` record of one annotated paper."""
    return Paper.create(row["title"], row["abstract"], source=row.get("source", ""), id=row["id"])


def predicted_concepts(result: Any) -> list[PredictedConcept]:
    """Turn one ``extractors.types.PaperConcepts`` into predictions for scoring.

    A concept's surfaces are the texts of its mentions (and of its best
    mention), so a canonical long form the paper never writes still matches
    the acronym the paper does write.
    """
    concepts = []
    for entity in result.entities:
        surfaces = [entity.text, *(m.text for m in entity.mentions)]
        concepts.append(
            PredictedConcept(
                entity.type, entity.name, tuple(dict.fromkeys(surfaces)), entity.role, entity.rule
            )
        )
    return concepts


def load_scier(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Read SciER sentences (``sentence`` and ``ner`` fields).

    A malformed line is skipped, not fatal: the second value lists one
    ``file:line: reason`` message per skipped line.
    """
    rows, skipped = [], []
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            rows.append({"sentence": str(row["sentence"]), "ner": [(str(s), str(t)) for s, t in row["ner"]]})
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            skipped.append(f"{path}:{no}: skipped, not a SciER record ({exc})")
    return rows, skipped


# --------------------------------------------------------------------------- evaluation


@dataclass(slots=True)
class PaperResult:
    """Gold, predictions and their matching for one paper."""

    row: dict[str, Any]
    match: PaperMatch


def evaluate_papers(rows: Sequence[dict[str, Any]], extract_corpus: ExtractCorpus) -> list[PaperResult]:
    """Run *extract_corpus* over the annotated papers and match each paper's output to its gold."""
    papers = [paper_of(row) for row in rows]
    results = {r.id: r for r in extract_corpus(papers)}
    if rows and results and not results.keys() & {row["id"] for row in rows}:
        raise BenchmarkError("extract_corpus returned results whose ids match none of the papers given")
    out = []
    for row in rows:
        predicted = predicted_concepts(results[row["id"]]) if row["id"] in results else []
        out.append(PaperResult(row, match_paper(gold_concepts(row), predicted)))
    return out


#: SciER's sentences are space-tokenised: "CornerNet - Squeeze", "pre - trained", "( 3D )", "videos ,".
_SPACED_HYPHEN_RE = re.compile(r"(?<=[^\s-]) - (?=[^\s-])")
_SPACE_BEFORE_RE = re.compile(r" (?=[,.;:!?)\]}%]|'s\b|n't\b)")
_SPACE_AFTER_RE = re.compile(r"(?<=[(\[{]) ")


def detokenize(sentence: str) -> str:
    """Undo the tokenisation of a SciER sentence, so that the extractors read text as papers print it.

    Hyphenated words are joined ("CornerNet - Squeeze" → "CornerNet-Squeeze"), and punctuation
    goes back against its word ("( 3D ) ," → "(3D),"). Gold names are compared after
    :func:`~benchmarks.scoring.normalise_name`, which ignores spaces and hyphens, so the gold
    needs no change.

    >>> detokenize("three dimensional ( 3D ) CNNs , like CornerNet - Squeeze 's heads .")
    "three dimensional (3D) CNNs, like CornerNet-Squeeze's heads."
    """
    text = _SPACED_HYPHEN_RE.sub("-", sentence)
    text = _SPACE_BEFORE_RE.sub("", text)
    return _SPACE_AFTER_RE.sub("", text)


def evaluate_scier(rows: Sequence[dict[str, Any]], extract_corpus: ExtractCorpus) -> dict[str, Score]:
    """Score sentence-level extraction on SciER: each sentence, detokenised (:func:`detokenize`), is run
    as the abstract of its own paper."""
    papers = [Paper.create("", detokenize(row["sentence"]), id=f"scier:{i}") for i, row in enumerate(rows)]
    results = {r.id: r for r in extract_corpus(papers)}
    pairs = []
    for i, row in enumerate(rows):
        predicted = []
        result = results.get(f"scier:{i}")
        for entity in result.entities if result else ():
            mentions = entity.mentions or [entity]
            predicted.extend((m.text, entity.type) for m in mentions if m.field == "abstract")
        pairs.append((row["ner"], predicted))
    return score_scier(pairs)


def measure_speed(
    texts: Sequence[str],
    papers: Sequence[Paper],
    pipeline: Any,
    extract_corpus: ExtractCorpus,
    runs: int = 3,
) -> dict[str, float]:
    """Throughput of the extractors and of a bare ``spacy.blank("en")`` on the same texts.

    Each measurement is the median of *runs* timed runs in this process (one
    warm-up call first). Returns docs/s for the bare tokenizer and for
    ``pipeline.pipe`` over *texts*, papers/s for *extract_corpus* over
    *papers* and for the tokenizer over the same papers' titles and
    abstracts, and the two ratios.
    """
    import spacy

    blank = spacy.blank("en")

    def median_seconds(fn: Callable[[], object]) -> float:
        fn()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    paper_texts = [t for p in papers for t in (p.title, p.abstract) if t]
    tok = median_seconds(lambda: sum(1 for _ in blank.pipe(texts)))
    pipe = median_seconds(lambda: sum(1 for _ in pipeline.pipe(texts)))
    tok_papers = median_seconds(lambda: sum(1 for _ in blank.pipe(paper_texts)))
    corpus = median_seconds(lambda: list(extract_corpus(papers)))
    speed = {
        "tokenizer_docs_per_s": len(texts) / tok,
        "pipeline_docs_per_s": len(texts) / pipe,
        "tokenizer_papers_per_s": len(papers) / tok_papers,
        "extract_corpus_papers_per_s": len(papers) / corpus,
    }
    speed["pipeline_ratio"] = speed["pipeline_docs_per_s"] / speed["tokenizer_docs_per_s"]
    speed["extract_corpus_ratio"] = speed["extract_corpus_papers_per_s"] / speed["tokenizer_papers_per_s"]
    return speed


def profile_components(texts: Sequence[str], pipeline: Any, runs: int = 3) -> list[tuple[str, float]]:
    """Docs/s of the tokenizer and of each pipeline component on its own, over *texts*.

    Each run tokenizes the texts and passes the docs through the components
    in pipeline order, timing every step separately; the rate reported per
    step is from the median of *runs* runs. Returns
    ``[("tokenizer", docs/s), (component name, docs/s), ...]``.
    """
    steps = ["tokenizer", *pipeline.pipe_names]
    elapsed: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(runs):
        start = time.perf_counter()
        docs = [pipeline.make_doc(t) for t in texts]
        elapsed["tokenizer"].append(time.perf_counter() - start)
        for name, component in pipeline.pipeline:
            start = time.perf_counter()
            docs = [component(doc) for doc in docs]
            elapsed[name].append(time.perf_counter() - start)
    return [(name, len(texts) / statistics.median(elapsed[name])) for name in steps]


def timing_corpus(rows: Sequence[dict[str, Any]], min_papers: int) -> list[Paper]:
    """The split's papers repeated (with distinct ids) until there are at least *min_papers*."""
    papers = [paper_of(row) for row in rows]
    if not papers:
        return []
    out: list[Paper] = []
    copy = 0
    while len(out) < min_papers:
        out.extend(
            Paper.create(p.title, p.abstract, id=p.id if copy == 0 else f"{p.id}#{copy}") for p in papers
        )
        copy += 1
    return out


# --------------------------------------------------------------------------- output


def format_scores(scores: dict[str, Score], names: Sequence[str], title: str) -> str:
    """A plain-text table of precision/recall/F1 with the underlying counts."""
    lines = [title, f"{'type':<26}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for name in names:
        s = scores[name]
        lines.append(f"{name:<26}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>6}{s.fp:>6}{s.fn:>6}")
    return "\n".join(lines)


def format_errors(results: Sequence[PaperResult]) -> str:
    """False negatives and false positives, paper by paper."""
    lines = []
    for result in results:
        match = result.match
        if not match.false_negatives and not match.false_positives:
            continue
        lines.append(f"{result.row['id']}  {result.row['title'][:90]}")
        for gold in match.false_negatives:
            aliases = f" (aliases: {', '.join(gold.aliases)})" if gold.aliases else ""
            lines.append(f"    FN {gold.type:<8}{gold.name!r}{aliases}")
        for pred in match.false_positives:
            surfaces = [s for s in pred.surfaces if s != pred.name]
            seen = f" (text: {', '.join(repr(s) for s in surfaces)})" if surfaces else ""
            rule = f" [{pred.rule}]" if pred.rule else ""
            lines.append(f"    FP {pred.type:<8}{pred.name!r}{seen}{rule}")
    return "\n".join(lines) if lines else "no errors"


def _load_extractors() -> tuple[Callable[[], Any], ExtractCorpus]:
    try:
        import extractors
    except ImportError as exc:
        raise BenchmarkError(f"cannot import the extractors package ({exc})") from exc
    make_pipeline = getattr(extractors, "make_pipeline", None)
    extract_corpus = getattr(extractors, "extract_corpus", None)
    if make_pipeline is None or extract_corpus is None:
        raise BenchmarkError(
            "the extractors package does not provide make_pipeline() and extract_corpus(papers) "
            "yet; nothing to measure"
        )
    return make_pipeline, extract_corpus


def run(args: argparse.Namespace) -> int:
    """Run the benchmark as the command line asks; returns the exit status."""
    rows = load_split(args.split, Path(args.devset))
    scier_path = Path(args.scier) if args.scier else DEFAULT_SCIER
    if args.scier and not scier_path.is_file():
        raise BenchmarkError(f"{scier_path}: SciER file not found")
    make_pipeline, extract_corpus = _load_extractors()
    print(f"split: {args.split} ({len(rows)} papers, {sum(len(r['concepts']) for r in rows)} gold concepts)")
    if args.split in HELD_OUT:
        print("note: the test splits are held out - report them, do not tune on them")

    results = evaluate_papers(rows, extract_corpus)
    matches = [r.match for r in results]
    scores = score_papers(matches)
    report: dict[str, Any] = {"split": args.split, "papers": len(rows), "paper_level": _score_dict(scores)}
    print()
    print(format_scores(scores, [*TYPES, COMBINED], "paper level, micro over papers"))
    proposes, agree, total = role_agreement(matches)
    print(
        f"role: PROPOSES P {proposes.precision:.3f} R {proposes.recall:.3f} F1 {proposes.f1:.3f} "
        f"on matched concepts; role agrees on {agree}/{total} matched concepts"
    )
    report["proposes"] = _score_dict({"PROPOSES": proposes})["PROPOSES"]
    report["role_agreement"] = {"agree": agree, "matched": total}
    by_rule = score_by_rule(matches)
    report["by_rule"] = _score_dict(by_rule)
    print(
        "precision by rule: "
        + ", ".join(f"{rule or '?'} {s.precision:.2f} ({s.tp}/{s.tp + s.fp})" for rule, s in by_rule.items())
    )
    if args.show_errors:
        print()
        print(format_errors(results))

    print()
    if scier_path.is_file():
        scier_rows, skipped = load_scier(scier_path)
        for message in skipped:
            print(f"warning: {message}", file=sys.stderr)
        scier = evaluate_scier(scier_rows, extract_corpus)
        title = f"SciER dev ({len(scier_rows)} sentences, {scier_path}); MODEL+METHOD scored as Method"
        print(format_scores(scier, ["Dataset", "Method", "Task", "overall"], title))
        report["scier"] = {"path": str(scier_path), "sentences": len(scier_rows), **_score_dict(scier)}
    else:
        print(f"SciER: skipped ({scier_path} not found; pass --scier PATH)")

    if args.speed_papers > 0:
        papers = timing_corpus(rows, args.speed_papers)
        texts = [p.abstract for p in papers]
        pipeline = make_pipeline()
        speed = measure_speed(texts, papers, pipeline, extract_corpus, runs=args.speed_runs)
        report["speed"] = {"papers": len(papers), "runs": args.speed_runs, **speed}
        print()
        print(f"speed: median of {args.speed_runs} runs, single process, {len(papers)} papers")
        print(f"  spacy.blank('en') tokenizer  {speed['tokenizer_docs_per_s']:>9.0f} abstracts/s")
        print(
            f"  make_pipeline().pipe         {speed['pipeline_docs_per_s']:>9.0f} abstracts/s"
            f"   ratio {speed['pipeline_ratio']:.2f}"
        )
        print(f"  tokenizer, title + abstract  {speed['tokenizer_papers_per_s']:>9.0f} papers/s")
        print(
            f"  extract_corpus (full)        {speed['extract_corpus_papers_per_s']:>9.0f} papers/s"
            f"   ratio {speed['extract_corpus_ratio']:.2f}"
        )
        if args.profile:
            print(f"  per component (docs/s, each alone, {len(texts)} abstracts):")
            profile = profile_components(texts, pipeline, runs=args.speed_runs)
            for name, rate in profile:
                print(f"    {name:<28}{rate:>9.0f}")
            report["speed"]["components_docs_per_s"] = dict(profile)
    if args.json:
        _write_json(Path(args.json), report)
        print(f"\nresults written to {args.json}")
    return 0


def _score_dict(scores: dict[str, Score]) -> dict[str, dict[str, float | int]]:
    return {
        name: {"precision": s.precision, "recall": s.recall, "f1": s.f1, "tp": s.tp, "fp": s.fp, "fn": s.fn}
        for name, s in scores.items()
    }


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Write *data* as JSON atomically (temporary file in the same folder, then rename)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.extraction_quality",
        description="Extraction quality (paper-level P/R/F1, SciER) and speed of the extractors.",
    )
    parser.add_argument(
        "--split",
        choices=(*SPLITS, *SPLIT_GROUPS),
        default="dev",
        help="annotated split (all = dev then test; heldout = test then test2)",
    )
    parser.add_argument(
        "--devset", metavar="DIR", default=str(DEVSET_DIR), help="folder with <split>.jsonl files"
    )
    parser.add_argument("--scier", metavar="PATH", help=f"SciER dev.jsonl (default: {DEFAULT_SCIER})")
    parser.add_argument("--show-errors", action="store_true", help="list false negatives/positives per paper")
    parser.add_argument(
        "--speed-papers",
        type=int,
        default=1000,
        metavar="N",
        help="time over the split repeated to at least N papers (0 skips the speed measurement)",
    )
    parser.add_argument("--profile", action="store_true", help="also time each pipeline component on its own")
    parser.add_argument("--json", metavar="PATH", help="also write all numbers to PATH as JSON")
    parser.add_argument("--speed-runs", type=int, default=3, metavar="K", help="timed runs per measurement")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; prints a clear message instead of a traceback for expected failures."""
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except BenchmarkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
