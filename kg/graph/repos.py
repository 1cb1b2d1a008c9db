"""Code repositories named by URL: ``https://github.com/owner/name`` → host, owner, name."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from kg.schema import repo_id

__all__ = ["RepoRef", "parse_repo_url"]

#: Hosts whose first path segment is a namespace kind rather than the owner
#: (``huggingface.co/datasets/owner/name``).
_NAMESPACED_HOSTS = {"huggingface.co": {"datasets", "spaces", "models"}}
#: The namespace a host's plain ``owner/name`` URLs already mean (``huggingface.co/models/a/b`` = ``/a/b``).
_DEFAULT_NAMESPACE = {"huggingface.co": "models"}
_TRAILING = ".,;:!?)]}>'\"`"


@dataclass(frozen=True, slots=True)
class RepoRef:
    """A repository URL split into the properties of a ``Repo`` node."""

    host: str
    owner: str
    name: str
    url: str
    namespace: str = ""  # Hugging Face "datasets" / "spaces" (models have none)

    @property
    def id(self) -> str:
        """Node id, see :func:`kg.schema.repo_id`."""
        return repo_id(self.host, self.owner, self.name, self.namespace)


def parse_repo_url(url: str) -> RepoRef | None:
    """Split a code URL into host, owner and repository name.

    Parameters
    ----------
    url : str
        A URL as found in an abstract, with or without scheme; trailing
        punctuation and a ``.git`` suffix are ignored.

    Returns
    -------
    RepoRef or None
        ``None`` when the URL names no ``owner/name`` pair (a bare host or a
        single path segment): such a link is a project page, not a repository.

    Examples
    --------
    >>> parse_repo_url("https://github.com/Foo/Bar.git).").id
    'repo:github.com/foo/bar'
    """
    text = url.strip().rstrip(_TRAILING)
    if not text:
        return None
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    host = host.removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    prefix: list[str] = []
    if segments and segments[0].lower() in _NAMESPACED_HOSTS.get(host, set()):
        kind = segments.pop(0).lower()
        prefix = [] if kind == _DEFAULT_NAMESPACE.get(host) else [kind]
    if not host or "." not in host or len(segments) < 2:
        return None
    owner = segments[0]
    name = segments[1].rstrip(_TRAILING).removesuffix(".git")
    if not owner or not name:
        return None
    canonical = "https://" + "/".join([host, *prefix, owner, name])
    return RepoRef(host=host, owner=owner, name=name, url=canonical, namespace=prefix[0] if prefix else "")
