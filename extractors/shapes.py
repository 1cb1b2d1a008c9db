"""Name shapes and cue words: how ML papers spell the names of things.

Everything here is a compiled regular expression or a small word set, built
once at import. The components in :mod:`extractors.components` run these
patterns over a document's text (linear scans in C) and do Python work only
for the few matches per abstract.

Typing rules, strongest first:

1. *descriptor* — what the text says the name is ("the X dataset",
   "benchmarks such as X", "X, a framework for …", "X: A Benchmark for …");
2. *gazetteer* — the name or its family is a known concept ("Llama-3-8B"
   belongs to the Llama family → MODEL; "ImageNet-C" to ImageNet → DATASET);
3. *suffix* — the spelling says it ("…Net", "…BERT", "-7B" → MODEL;
   "…Bench", "…QA", "-1k" → DATASET; "…PO" → METHOD).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "DATASET_NOUNS",
    "METHOD_NOUNS",
    "MODEL_NOUNS",
    "NOUN_TYPES",
    "STRONG_NAME_RE",
    "TASK_HEADS",
    "alpha_prefix",
    "find_word",
    "head_type",
    "is_strong_name",
    "suffix_type",
    "trim_name",
]

# --- words that say what a name is ------------------------------------------------------------
DATASET_NOUNS = frozenset({
    "dataset", "datasets", "benchmark", "benchmarks", "corpus", "corpora", "suite", "testbed",
    "test-bed", "leaderboard", "collection", "data set", "data sets", "database", "environment",
    "environments", "challenge", "treebank", "split", "splits", "test set", "arena", "simulator",
})
MODEL_NOUNS = frozenset({
    "model", "models", "llm", "llms", "vlm", "vlms", "mllm", "mllms", "backbone", "backbones",
    "architecture", "architectures", "encoder", "encoders", "decoder", "checkpoint", "checkpoints",
    "family", "families", "series", "network", "networks", "transformer", "transformers", "foundation model",
    "language model", "language models", "classifier", "detector", "agent", "chatbot", "assistant",
    "generalist",
})
METHOD_NOUNS = frozenset({
    "method", "methods", "algorithm", "algorithms", "approach", "approaches", "technique",
    "techniques", "framework", "frameworks", "loss", "objective", "optimizer", "optimiser", "strategy",
    "paradigm", "pipeline", "procedure", "mechanism", "module", "regularizer", "regularization",
    "scheme", "attack", "defense", "defence", "metric", "recipe", "protocol", "system", "tool",
    "toolkit", "library", "solution", "training method", "learning method", "prompting method",
})
TASK_NOUNS = frozenset({"task", "tasks", "problem", "problems", "setting", "settings"})

NOUN_TYPES: dict[str, str] = {
    **{n: "DATASET" for n in DATASET_NOUNS},
    **{n: "MODEL" for n in MODEL_NOUNS},
    **{n: "METHOD" for n in METHOD_NOUNS},
    **{n: "TASK" for n in TASK_NOUNS},
}

#: Last words of a long form ("Proximal Policy Optimization") that make it a METHOD / MODEL / TASK.
METHOD_HEADS = frozenset({
    "optimization", "optimisation", "fine-tuning", "finetuning", "tuning", "distillation", "prompting",
    "attention", "regularization", "normalization", "augmentation", "sampling", "search", "decoding",
    "alignment", "adaptation", "minimization", "descent", "pruning", "quantization", "propagation",
    "dropout", "feedback", "generation", "pre-training", "pretraining", "learning", "encoding",
    "embedding", "embeddings", "mechanism", "algorithm", "method", "framework", "loss", "estimation",
    "merging", "policy", "thought", "training", "optimizer", "attack",
    "retrieval", "mixup", "matching", "filtering", "planning", "transfer", "tree",
})
MODEL_HEADS = frozenset({
    "model", "network", "transformer", "encoder", "autoencoder", "machine", "net", "gpt", "bert", "llm",
    "vlm", "mllm", "decoder", "classifier",
})
DATASET_HEADS = frozenset({"dataset", "benchmark", "corpus", "bench", "suite", "challenge", "treebank"})
TASK_HEADS = frozenset({
    "detection", "generalization", "generalisation", "classification", "segmentation", "recognition",
    "answering", "translation", "summarization", "summarisation", "captioning", "tracking",
    "forecasting", "completion", "parsing", "grounding", "localization", "estimation", "retrieval",
    "synthesis", "editing", "navigation", "manipulation", "reconstruction", "adaptation",
    "generation", "restoration", "denoising", "inpainting", "deblurring", "discovery", "induction",
    "extraction", "enhancement", "recommendation", "verification", "prediction",
})

# --- name shapes -------------------------------------------------------------------------------
# A "strong" name: a word with an inner capital (ImageNet, GFlowVLM, LLaMA), two capitals
# (CLIP, COCO), or letters next to digits (GPT-4o, Qwen2.5-1.5B, T5, ResNet-50, GSM8K); hyphen-
# joined parts belong to it (LM-Infinite, COCO-O, Whisper-large-v3).
_PART = r"[A-Za-z0-9][A-Za-z0-9.+]*"
# The regex only finds words with a capital or a digit (a cheap scan); :func:`is_strong_name`
# then decides.
STRONG_NAME_RE = re.compile(rf"(?<![\w.@:#-])[a-z]{{0,12}}[A-Z0-9][A-Za-z0-9.+]*(?:-{_PART})*")
#: Variant words that continue a model name: "Qwen2.5-1.5B Math", "GPT-4 Turbo", "Llama 2 7B".
VARIANT_TAIL_RE = re.compile(
    r"(?:[ -](?:\d+(?:\.\d+)?[BMK]|Base|Large|Small|Mini|Tiny|XL|XXL|Instruct|Chat|Math|Coder|Turbo|Pro"
    r"|Plus|Ultra|Flash|Vision|VL|v\d+(?:\.\d+)*))+\b"
)
_SIZE_RE = re.compile(r"(?:^|[-_ .])\d+(?:\.\d+)?[Bb]\b|-(?:base|large|small|tiny|medium|xl|xxl|huge|mini"
                      r"|instruct|chat)\b", re.IGNORECASE)
_MODEL_SUFFIX_RE = re.compile(
    r"(?:Net|Nets|BERT|BERTa|GPT|[Ff]ormer|GAN|VAE|ViT|LLaMA|Llama|Mamba|Diffusion|CLIP|LM|VLM|MLLM"
    r"|LLM|Coder|DiT|SAM|T5|Whisper|Gemma|Qwen|Mistral|Phi|GLM|LLaVA|Vicuna|Alpaca)(?:-?\d[\w.]*)?$"
)
_DATASET_SUFFIX_RE = re.compile(
    r"(?:Bench|bench|BENCH|QA|Eval|EVAL|Set|Data|Corpus|Arena|Gym|World|Suite|Instruct|DB|Bank|\d+[Kk]"
    r"|-\d+(?:\.\d+)?M)"
    r"(?:-?v?\d[\w.]*)?$|QA|Bench-|^MS-|VQA"
)
_METHOD_SUFFIX_RE = re.compile(r"(?:[A-Z]PO|RLHF|RLAIF|LoRA|Prompt|Prompting|Tuning|Distill|SGD|Adam|Attn"
                               r"|Attention|Norm|Mixup|Aug|CoT|ToT|RAG)$")
#: Short all-caps words that are never concept names on their own.
NOT_NAMES = frozenset({
    "AI", "ML", "NLP", "CV", "RL", "DL", "LLM", "LLMs", "VLM", "VLMs", "MLLM", "MLLMs", "LM", "LMs", "GPU",
    "GPUs", "CPU", "TPU", "API", "APIs", "SOTA", "US", "USA", "UK", "EU", "OK", "IT", "ID", "IID", "OOD",
    "QA", "VQA", "TTS", "ASR", "OCR", "SQL", "PDF", "HTML", "JSON", "URL", "II", "III", "IV", "2D", "3D",
    "4D", "1D", "RGB", "RGBD", "RGB-D", "IoU", "mAP", "AUC", "AUROC", "FID", "BLEU", "ROUGE", "F1", "PhD",
    "FLOPs", "FPS", "MB", "GB", "TB", "KB", "MoE", "CNN", "CNNs", "RNN", "RNNs", "GNN", "GNNs", "MLP",
    "MLPs", "DNN", "DNNs", "LSTM", "LSTMs", "GAN", "GANs", "VAE", "VAEs", "NN", "NNs",
    "AGI", "HCI", "IoT", "AR", "VR", "XR", "MR", "LLaMA-like", "GPT-like", "ReLU",
    "OpenAI", "Google", "DeepMind", "Microsoft", "Meta", "Anthropic", "NVIDIA", "Nvidia", "Amazon", "Apple",
    "IBM", "Baidu", "Alibaba", "Tencent", "ByteDance", "HuggingFace", "GitHub",
    "T2I", "I2V", "T2V", "MDP", "POMDP", "KG", "KGs", "QA-pairs",
    "COVID-19", "COVID", "SARS-CoV-2", "DNA", "RNA", "CT", "MRI", "ECG", "EEG", "NER", "POS", "VL",
    "VLA", "VLAs", "LVLM", "LVLMs", "MLLM-based", "LLM-based", "SLM", "SLMs", "LRM", "LRMs",
})


#: Hyphenated modifiers glued to a name that are not part of it: "CLIP-based", "GPT-4-generated".
MODIFIER_TAIL_RE = re.compile(
    r"-(?:based|like|style|specific|driven|guided|aware|free|level|only|powered|generated|augmented"
    r"|enhanced|centric|scale|size|sized|wise|type|related|oriented|inspired|friendly|compatible|trained"
    r"|tuned|finetuned|fine-tuned|generated|annotated|labeled|labelled|derived|as|to|of|and|vs)$",
    re.IGNORECASE,
)


#: Bound of the per-spelling caches below: names repeat across a corpus, so each pure
#: spelling decision is made once per distinct spelling (bounded to keep memory flat).
SPELLING_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=SPELLING_CACHE_SIZE)
def trim_name(text: str) -> str:
    """Drop glued modifiers and possessives: "CLIP-based" → "CLIP", "BERT's" → "BERT"."""
    if text.endswith(("'s", "’s")):
        text = text[:-2]
    text = text.rstrip("'’")
    text = text.rstrip(".")
    if "-" not in text:
        return text
    while True:
        trimmed = MODIFIER_TAIL_RE.sub("", text)
        if trimmed == text:
            return text
        text = trimmed


def find_word(text: str, word: str, start: int = 0, end: int | None = None):
    """Yield ``(start, end)`` of each whole-word occurrence of *word* in ``text[start:end]``.

    A plain ``str.find`` loop (no per-name regex compilation); a word boundary is
    any character that is not a letter, digit, ``_`` or ``-``, and "X" followed by
    ".5" is not "X" (versions).
    """
    stop = len(text) if end is None else end
    pos = text.find(word, start, stop)
    while pos >= 0:
        after = pos + len(word)
        before_ok = pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] in "_-")
        after_ok = after >= len(text) or not (text[after].isalnum() or text[after] in "_-")
        if after_ok and text[after:after + 1] == "." and text[after + 1:after + 2].isdigit():
            after_ok = False
        if before_ok and after_ok:
            yield pos, after
        pos = text.find(word, pos + 1, stop)


_NOT_A_NAME_RE = re.compile(
    r"[\d.,%xX×]+|\d+(?:\.\d+)?[A-Za-z]{1,2}(?:[-–]\d+(?:\.\d+)?[A-Za-z]{0,2})?|[A-Z]|v\d+(?:\.\d+)*|[IVX]+"
)
_DISTINCTIVE_RE = re.compile(r"[a-z][A-Z]|[A-Z][A-Z0-9]|[A-Za-z]\d|\d[A-Za-z]|^[A-Z][a-z]*-\d")


@lru_cache(maxsize=SPELLING_CACHE_SIZE)
def is_strong_name(text: str) -> bool:
    """True for distinctive name spellings (inner capitals, acronyms, letter–digit mixes)."""
    if text in NOT_NAMES or len(text) < 2:
        return False
    if _NOT_A_NAME_RE.fullmatch(text):
        return False  # numbers, sizes ("7B", "3D", "10K"), versions, roman numerals
    return bool(_DISTINCTIVE_RE.search(text))


@lru_cache(maxsize=SPELLING_CACHE_SIZE)
def alpha_prefix(text: str) -> str:
    """The leading letters of a name, lower-cased ("Qwen2.5-1.5B" → "qwen", "ImageNet-C" → "imagenet")."""
    match = re.match(r"[A-Za-z]+", text)
    return match.group(0).lower() if match else ""


@lru_cache(maxsize=SPELLING_CACHE_SIZE)
def suffix_type(name: str) -> str | None:
    """Type implied by the spelling alone, or ``None``.

    >>> suffix_type("ResNet-50"), suffix_type("MathBench"), suffix_type("GRPO")
    ('MODEL', 'DATASET', 'METHOD')
    """
    if _SIZE_RE.search(name):
        return "MODEL"
    if _DATASET_SUFFIX_RE.search(name):
        return "DATASET"
    if _MODEL_SUFFIX_RE.search(name.split("-")[0]) or _MODEL_SUFFIX_RE.search(name):
        return "MODEL"
    if _METHOD_SUFFIX_RE.search(name):
        return "METHOD"
    return None


@lru_cache(maxsize=SPELLING_CACHE_SIZE)
def head_type(phrase: str) -> str | None:
    """Type implied by the last word of a multi-word long form, or ``None``.

    A plural head ("Vision-Language Models") names a class of things, not one
    concept, and gives ``None`` (methods excepted: "Generative Flow Networks").
    """
    words = phrase.lower().replace("–", "-").split()
    if not words:
        return None
    head = words[-1]
    last_part = head.split("-")[-1]
    if head == "estimation" and len(words) > 1 and words[-2] in ("likelihood", "density", "a-posteriori"):
        return "METHOD"  # "maximum likelihood estimation" is a method; "depth estimation" a task
    if head in DATASET_HEADS or last_part in DATASET_HEADS:
        return "DATASET"
    if (head in TASK_HEADS or last_part in TASK_HEADS) and last_part != "generation":
        return "TASK"  # a named "… Generation" is a method ("Retrieval-Augmented Generation")
    if head in METHOD_HEADS or last_part in METHOD_HEADS:
        return "METHOD"
    if head in MODEL_HEADS or last_part in MODEL_HEADS:
        return "MODEL"
    return None
