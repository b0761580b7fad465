"""What a rebuild changes, found from the typed values before any RDF is written (pure: no I/O).

A build's statements are a function of its derived values (:class:`kg.builder.Derived`): each
document's named graph holds its own metadata, mentions, claims and memberships, and the
default graph holds the entity descriptions and the run. A digest of each document's values
and of each entity therefore tells which named graphs and which descriptions differ from the
previous build's, at a tenth of the cost of writing the N-Quads. The store then replaces just
those (:func:`kg.embedded.update`) and the SHACL check looks at the nodes they can affect.

A rebuild derives only the documents and entities whose values may have changed
(:mod:`kg.incremental`) and carries the previous digests of the rest over; the digests of what it
derived then tell which of those did change. A one-document rebuild gives the same graph as a
full build (``tests/test_delta.py`` checks it byte for byte).
"""

from __future__ import annotations

import gc
import hashlib
import pickle
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

from kg.incremental import Memory
from kg.model import Claim, Entity, Membership, ResolvedMention, RunInfo, SourceDoc

# A rebuild that changes more documents than this share of the corpus writes a fresh store:
# removing most of a store's statements one graph at a time costs more than loading them anew.
MAX_SHARE = 0.5


@dataclass(frozen=True)
class BuildState:
    """Digests of a build's parts, kept beside its store to compare the next build against."""

    setup: str  # everything besides the documents: settings, model, code, shapes, base IRI
    run: bytes
    docs: dict[str, bytes]  # document id -> digest of its named graph's values
    entities: dict[str, tuple[bytes, str]]  # entity id -> (digest of its description, its type)
    memory: Memory | None = None  # what the next build derives from (kg.incremental)

    def dumps(self) -> bytes:
        # The memory goes in a pickle of its own, so that a build of another setup, which cannot
        # use it, does not read it (on a large corpus it is most of the state and a gigabyte in
        # memory).
        memory = b""
        with _uncollected():
            if self.memory is not None:
                self.memory.compact()
                memory = pickle.dumps(self.memory, protocol=pickle.HIGHEST_PROTOCOL)
            return pickle.dumps((replace(self, memory=None), memory), protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def loads(data: bytes, *, setup: str | None = None) -> BuildState | None:
        """The state ``dumps`` wrote, with its memory only if it was kept with ``setup`` (or
        whatever it was kept with, for None); None when ``data`` is no state."""
        try:
            with _uncollected():
                state, memory = pickle.loads(data)
                if isinstance(state, BuildState) and memory and setup in {None, state.setup}:
                    state = replace(state, memory=pickle.loads(memory))
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        return state if isinstance(state, BuildState) else None


@contextmanager
def _uncollected() -> Iterator[None]:
    """Unpickling a memory makes millions of containers, all of which live on and none of which
    form cycles; the cyclic collector would walk them again and again as they are made (the
    10 MB slice's state: 0.58 to 0.78 s to read with it, 0.43 s without). Pickling one makes
    fewer, but enough to start a full collection over all of them (a second of the 150 MB
    corpus's rebuild)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Delta:
    """The parts of the previous build that a rebuild replaces (changed) or drops (removed)."""

    docs: frozenset[str]  # documents whose named graph is new or changed
    removed_docs: frozenset[str]
    entities: frozenset[str]  # entities whose description is new or changed
    removed_entities: frozenset[str]
    retyped: frozenset[str]  # changed entities whose type changed: what points at them is checked again
    run: bool  # the run's description changed

    def worth_it(self, total_docs: int) -> bool:
        """Whether updating the previous store beats writing a new one."""
        return len(self.docs) + len(self.removed_docs) <= MAX_SHARE * max(total_docs, 1)


def state_of(
    setup: str,
    docs: Sequence[SourceDoc],
    entities: Iterable[Entity],
    mentions: Iterable[ResolvedMention],
    claims: Iterable[Claim],
    memberships: Iterable[Membership],
    authors: dict[str, str],
    run: RunInfo,
) -> BuildState:
    """The digests of a build's derived values."""
    parts: dict[str, list[object]] = defaultdict(list)
    for doc in docs:  # every field the document's own statements use; its text only by its hash
        fields = (doc.id, doc.path, doc.sha256, doc.title, doc.author, doc.date, doc.url, doc.licence)
        parts[doc.id].append((fields, authors.get(doc.id)))
    for values in (mentions, claims, memberships):
        for value in values:
            parts[value.doc_id].append(value)
    return BuildState(
        setup=setup,
        run=_digest(run),
        docs={doc_id: _digest(values) for doc_id, values in parts.items()},
        entities={e.id: (_digest(e), e.type.value) for e in entities},
    )


def diff(old: BuildState, new: BuildState) -> Delta | None:
    """What differs from ``old`` to ``new``; None when their setups differ and nothing carries over."""
    if old.setup != new.setup:
        return None
    changed_entities = {e for e, (digest, _) in new.entities.items() if old.entities.get(e, (b"", ""))[0] != digest}
    retyped = {e for e in changed_entities if e in old.entities and old.entities[e][1] != new.entities[e][1]}
    return Delta(
        docs=frozenset(d for d, digest in new.docs.items() if old.docs.get(d) != digest),
        removed_docs=frozenset(old.docs.keys() - new.docs.keys()),
        entities=frozenset(changed_entities),
        removed_entities=frozenset(old.entities.keys() - new.entities.keys()),
        retyped=frozenset(retyped),
        run=old.run != new.run,
    )


def _digest(value: object) -> bytes:
    # The repr of frozen dataclasses, tuples, strings and enums spells out every field, always alike.
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=16).digest()
