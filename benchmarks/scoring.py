"""Pure scoring functions for extraction quality.

Two protocols are implemented here, both free of spaCy and I/O so they can be
tested on hand-made cases:

* **Paper level** (the annotated dev/test sets): for each paper, the gold
  concepts and the predicted concepts are matched one-to-one within each type.
  A prediction matches a gold concept of the same type when any of the
  prediction's names (canonical name or a surface text of one of its
  mentions) equals, after :func:`normalise_name`, the gold name or one of its
  aliases. Counts are summed over papers (micro average) per type, and for the
  combined DATASET+MODEL+METHOD+REPO score. Two predicted concepts that both
  match the same gold concept count as one true positive and one false
  positive: an unmerged duplicate is an error in a concept graph.
* **SciER** (sentence level, :func:`score_scier`): per sentence, the set of
  ``(normalised surface string, type)`` pairs; MODEL and METHOD predictions
  both count as SciER's ``Method``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "COMBINED",
    "COMBINED_TYPES",
    "SCIER_TYPE_OF",
    "TYPES",
    "GoldConcept",
    "PaperMatch",
    "PredictedConcept",
    "Score",
    "concept_key",
    "match_paper",
    "normalise_name",
    "normalise_repo",
    "role_agreement",
    "score_by_rule",
    "score_papers",
    "score_scier",
]

TYPES: tuple[str, ...] = ("DATASET", "MODEL", "METHOD", "TASK", "REPO")
COMBINED_TYPES: tuple[str, ...] = ("DATASET", "MODEL", "METHOD", "REPO")
COMBINED = "DATASET+MODEL+METHOD+REPO"
SCIER_TYPE_OF: dict[str, str] = {"DATASET": "Dataset", "MODEL": "Method", "METHOD": "Method", "TASK": "Task"}

_DIGIT_DOT = re.compile(r"(?<=\d)\.(?=\d)")


def normalise_name(name: str) -> str:
    """Fold a concept name to its matching key.

    Deliberately a copy of the rule of :func:`extractors.canonical.name_key`, not an
    import of it: the scorer must not change when the extractor under evaluation does.

    Unicode is NFKD-normalised with accents dropped and case-folded; every run
    of characters other than letters, digits and ``+`` is removed, except a
    dot between two digits (so ``Qwen2.5`` ≠ ``Qwen25``); a final plural
    ``s`` is dropped from keys longer than three characters (``GANs`` =
    ``GAN``, but ``ss`` endings stay). So ``"GPT4"``, ``"GPT-4"`` and
    ``"gpt 4"`` share a key, while ``"ImageNet"`` and ``"ImageNet-C"`` or
    ``"Qwen2.5-1.5B"`` and ``"Qwen2.5-7B"`` do not.

    Parameters
    ----------
    name : str
        A concept name or surface string.

    Returns
    -------
    str
        The key; empty when the name has no letters or digits.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _DIGIT_DOT.sub("\x00", text)
    key = ".".join("".join(ch for ch in chunk if ch.isalnum() or ch == "+") for chunk in text.split("\x00"))
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return key


def normalise_repo(url: str) -> str:
    """Fold a code URL to its matching key.

    Drops the scheme, a leading ``www.``, trailing punctuation and slashes and
    a ``.git`` suffix, and case-folds (code hosts treat owner/repository names
    case-insensitively).
    """
    key = url.strip().casefold()
    key = re.sub(r"^[a-z][a-z0-9+.-]*://", "", key)
    key = key.removeprefix("www.")
    key = key.rstrip(".,;:)]}>\"'/")
    key = key.removesuffix(".git")
    return key.rstrip("/")


def concept_key(type_: str, name: str) -> str:
    """The matching key of *name* as a concept of type *type_* (URLs for REPO, names otherwise)."""
    return normalise_repo(name) if type_ == "REPO" else normalise_name(name)


@dataclass(frozen=True, slots=True)
class GoldConcept:
    """An annotated concept of one paper."""

    type: str
    name: str
    aliases: tuple[str, ...] = ()
    role: str = "USES"

    def keys(self) -> frozenset[str]:
        """Matching keys of the name and every alias."""
        return frozenset(k for k in (concept_key(self.type, n) for n in (self.name, *self.aliases)) if k)


@dataclass(frozen=True, slots=True)
class PredictedConcept:
    """A concept the extractor found in one paper.

    ``surfaces`` are the texts of its mentions in this paper; they count as
    names for matching, because the canonical name may be a long form the
    paper never spells out. ``rule`` (which extraction rule found it) is
    carried for error analysis and plays no part in matching.
    """

    type: str
    name: str
    surfaces: tuple[str, ...] = ()
    role: str = "USES"
    rule: str = ""

    def keys(self) -> frozenset[str]:
        """Matching keys of the canonical name and every surface text."""
        return frozenset(k for k in (concept_key(self.type, n) for n in (self.name, *self.surfaces)) if k)


@dataclass(slots=True)
class PaperMatch:
    """The one-to-one matching of one paper's predictions against its gold concepts."""

    matched: list[tuple[GoldConcept, PredictedConcept]] = field(default_factory=list)
    false_negatives: list[GoldConcept] = field(default_factory=list)
    false_positives: list[PredictedConcept] = field(default_factory=list)


def _max_matching(
    left_keys: Sequence[frozenset[str]], right_keys: Sequence[frozenset[str]]
) -> dict[int, int]:
    """Maximum bipartite matching (augmenting paths); returns {right index: left index}."""
    owner: dict[int, int] = {}

    def augment(i: int, visited: set[int]) -> bool:
        for j, keys in enumerate(right_keys):
            if j in visited or not (left_keys[i] & keys):
                continue
            visited.add(j)
            if j not in owner or augment(owner[j], visited):
                owner[j] = i
                return True
        return False

    for i in range(len(left_keys)):
        augment(i, set())
    return owner


def match_paper(gold: Iterable[GoldConcept], predicted: Iterable[PredictedConcept]) -> PaperMatch:
    """Match one paper's predicted concepts to its gold concepts, type by type.

    The matching is maximum (as many true positives as the name overlaps
    allow) and deterministic: ties go to the earlier gold concept.

    Parameters
    ----------
    gold : iterable of GoldConcept
    predicted : iterable of PredictedConcept

    Returns
    -------
    PaperMatch
        Matched pairs, unmatched gold concepts (false negatives) and unmatched
        predictions (false positives), each in input order.
    """
    gold = list(gold)
    predicted = list(predicted)
    result = PaperMatch()
    for type_ in dict.fromkeys([c.type for c in gold] + [p.type for p in predicted]):
        g = [c for c in gold if c.type == type_]
        p = [c for c in predicted if c.type == type_]
        owner = _max_matching([c.keys() for c in g], [c.keys() for c in p])
        gold_of = {i: j for j, i in owner.items()}
        for i, concept in enumerate(g):
            if i in gold_of:
                result.matched.append((concept, p[gold_of[i]]))
            else:
                result.false_negatives.append(concept)
        result.false_positives.extend(c for j, c in enumerate(p) if j not in owner)
    return result


@dataclass(slots=True)
class Score:
    """True/false positive and false negative counts with the derived ratios.

    A ratio whose denominator is zero is 1.0 (nothing was predicted, so
    nothing was wrong; nothing was to be found, so nothing was missed).
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        """Add another score's counts to this one."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


def score_papers(matches: Iterable[PaperMatch]) -> dict[str, Score]:
    """Per-type and combined scores, micro-averaged over papers.

    Returns
    -------
    dict
        One :class:`Score` per name in :data:`TYPES`, plus :data:`COMBINED`
        (DATASET, MODEL, METHOD and REPO counts summed).
    """
    scores = {t: Score() for t in TYPES}
    for match in matches:
        for gold, _pred in match.matched:
            scores.setdefault(gold.type, Score()).tp += 1
        for gold in match.false_negatives:
            scores.setdefault(gold.type, Score()).fn += 1
        for pred in match.false_positives:
            scores.setdefault(pred.type, Score()).fp += 1
    combined = Score()
    for t in COMBINED_TYPES:
        combined.add(scores[t])
    scores[COMBINED] = combined
    return scores


def score_by_rule(matches: Iterable[PaperMatch]) -> dict[str, Score]:
    """True and false positives per extraction rule (``PredictedConcept.rule``).

    Only precision is meaningful per rule (a missed gold concept has no
    rule), so ``fn`` stays 0. Rules are returned in order of first appearance.
    """
    scores: dict[str, Score] = {}
    for match in matches:
        for _gold, pred in match.matched:
            scores.setdefault(pred.rule, Score()).tp += 1
        for pred in match.false_positives:
            scores.setdefault(pred.rule, Score()).fp += 1
    return scores


def role_agreement(matches: Iterable[PaperMatch]) -> tuple[Score, int, int]:
    """How well PROPOSES is recovered.

    Returns
    -------
    (Score, agreeing, matched)
        The PROPOSES score over matched concepts only (a true positive is a
        matched pair where both say PROPOSES; an unmatched concept is not
        counted here, it is already an extraction error), and how many of all
        matched pairs agree on the role out of how many were matched.
    """
    proposes = Score()
    agree = total = 0
    for match in matches:
        for gold, pred in match.matched:
            total += 1
            agree += gold.role == pred.role
            gold_p, pred_p = gold.role == "PROPOSES", pred.role == "PROPOSES"
            proposes.tp += gold_p and pred_p
            proposes.fn += gold_p and not pred_p
            proposes.fp += pred_p and not gold_p
    return proposes, agree, total


def score_scier(
    sentences: Iterable[tuple[Iterable[tuple[str, str]], Iterable[tuple[str, str]]]],
) -> dict[str, Score]:
    """Score sentence-level predictions against SciER gold.

    Parameters
    ----------
    sentences : iterable of (gold, predicted)
        ``gold`` is SciER's ``ner`` list of ``(surface, type)`` with type in
        Dataset/Method/Task; ``predicted`` is ``(surface, type)`` with this
        project's types. MODEL and METHOD map to Method, DATASET to Dataset,
        TASK to Task; REPO and other types are ignored.

    Returns
    -------
    dict
        A :class:`Score` for ``Dataset``, ``Method``, ``Task`` and ``overall``,
        counted on per-sentence sets of ``(normalise_name(surface), type)``.
    """
    scores = {t: Score() for t in ("Dataset", "Method", "Task")}
    for gold, predicted in sentences:
        gold_set = {(normalise_name(s), t) for s, t in gold if normalise_name(s)}
        pred_set = {
            (normalise_name(s), SCIER_TYPE_OF[t])
            for s, t in predicted
            if t in SCIER_TYPE_OF and normalise_name(s)
        }
        for key, type_ in gold_set | pred_set:
            score = scores.setdefault(type_, Score())
            if (key, type_) in gold_set and (key, type_) in pred_set:
                score.tp += 1
            elif (key, type_) in gold_set:
                score.fn += 1
            else:
                score.fp += 1
    overall = Score()
    for score in list(scores.values()):
        overall.add(score)
    scores["overall"] = overall
    return scores
