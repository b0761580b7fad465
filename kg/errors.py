"""One exception hierarchy for the library; the CLI maps each kind to an exit code.

Every message starts with a stable code (``E1xx`` input, ``E2xx`` knowledge base,
``E3xx`` query, ``E4xx`` build/model, ``E5xx`` saved builds, ``E6xx`` the map) so that users
can search for it.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of every error acckg raises on purpose."""

    exit_code = 1


class UsageError(KgError):
    """The caller asked for something that cannot be done (missing path, unknown model)."""

    exit_code = 2


class SourceError(KgError):
    """A source file cannot be read as text (empty, binary, not UTF-8, too large)."""

    exit_code = 3


class KnowledgeBaseError(KgError):
    """A knowledge-base file is malformed; the message names the entry."""

    exit_code = 3


class QueryError(UsageError):
    """A SPARQL query is malformed or names an unknown saved query."""


class BuildNotFoundError(UsageError):
    """No build exists where one was expected (``acckg query`` before ``acckg build``)."""


class ValidationError(KgError):
    """A graph violates the SHACL shapes of the vocabulary (``kg/data/shapes.ttl``)."""

    exit_code = 4
