"""Putting untrusted text into an HTML page without letting it become markup or script.

Two contexts occur in a view:

* HTML text and attributes (``<title>``, the heading, the legend): Jinja2
  autoescaping handles these in the template.
* Data inside an inline ``<script>``: :func:`script_json` serialises it as JSON
  in which ``<``, ``>``, ``&``, ``'`` and ``/`` are written as escapes, so that
  no ``</script>``, ``<!--`` or ``<script`` sequence can appear in the page
  source and no ``//`` turns into something that looks like a URL. The escaped
  JSON is still JSON *and* a JavaScript expression with the same value.

Node and edge tooltips are given to vis-network as plain strings, which it
shows with ``innerText``; the page never assigns input to ``innerHTML``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any, Final

__all__ = ["csp_source_hash", "script_json"]

#: Applied in this order with str.replace (much faster than str.translate on multi-megabyte pages);
#: no replacement introduces a character replaced later.
_SCRIPT_ESCAPES: Final = (
    ("/", "\\/"),
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("'", "\\u0027"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def script_json(value: Any) -> str:
    """Serialise *value* as JSON that is safe to place verbatim inside ``<script>…</script>``.

    Parameters
    ----------
    value : Any
        JSON-serialisable data (dicts, lists, strings, numbers, booleans, None).

    Returns
    -------
    str
        Compact JSON with keys in insertion order (so output is deterministic
        for deterministic input) and the HTML-significant characters escaped.

    Examples
    --------
    >>> script_json({"t": "</script><!--"})
    '{"t":"\\\\u003c\\\\/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in _SCRIPT_ESCAPES:
        text = text.replace(char, escape)
    return text


def csp_source_hash(script: str) -> str:
    """The ``'sha256-…'`` Content-Security-Policy source that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
