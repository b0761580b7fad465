"""Where a build lives, chosen with ``--store``: one place that maps the choice to a dataset.

``oxigraph`` (the default) is the on-disk Oxigraph database ``OUT/store`` (:mod:`kg.embedded`);
``memory`` is rdflib's in-memory store, saved as ``OUT/graph.trig``; ``sparql+http(s)://...`` is
any SPARQL 1.1 server (:mod:`kg.remote`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from kg import embedded, remote
from kg.entitygraph import EntityLinks
from kg.errors import BuildNotFoundError, UsageError
from kg.rdf import to_dataset
from kg.records import FILE, Records
from kg.store import load, serialise, write_atomic
from kg.textindex import TextIndex
from kg.vocab import bind_prefixes

OXIGRAPH = "oxigraph"
MEMORY = "memory"
STORES = (OXIGRAPH, MEMORY)
TRIG_FILE = "graph.trig"


def check(store: str) -> str:
    """``store`` if it names a store kind, else a usage error listing them."""
    if store in STORES or remote.is_remote(store):
        return store
    raise UsageError(f"E510 unknown store {store!r} (use one of: {', '.join(STORES)}, sparql+http(s)://...)")


def location(out: Path, store: str) -> str:
    """Where a build of kind ``store`` lives: a file or folder in ``out``, or a server."""
    if remote.is_remote(check(store)):
        return remote.endpoints(store)[0]
    return str(out / (embedded.LINK if store == OXIGRAPH else TRIG_FILE))


def detect(out: Path) -> str:
    """The kind of the build in ``out``: the Oxigraph store if there is one, else the TriG file."""
    if embedded.current(out) is not None:
        return OXIGRAPH
    if (out / TRIG_FILE).is_file():
        return MEMORY
    raise BuildNotFoundError(f"E501 no build in {out}; run `acckg build` first (or pass --out)")


def built_fingerprint(out: Path, store: str) -> str | None:
    """The input fingerprint of the build already in ``out``, when the store records one."""
    return embedded.fingerprint_of(out) if check(store) == OXIGRAPH else None


def save(
    texts: Iterable[str],
    out: Path,
    *,
    store: str,
    fingerprint: str,
    base_iri: str,
    accept: Callable[[Dataset | ox.Store], None],
    state: bytes = b"",
    extras: embedded.Extras | None = None,
    beside_check: bool = False,
) -> Dataset | None:
    """Persist a build given as N-Quads ``texts`` once ``accept`` returns (it raises to refuse);
    the previous build stays readable until the new one is whole. Oxigraph loads the texts
    straight into its database, with the build's ``state`` (:mod:`kg.delta`) beside them, and
    with ``beside_check`` writes the files derived from it while ``accept`` runs; the other stores
    get rdflib's dataset of them, which is returned so that it need not be read back."""
    if check(store) == OXIGRAPH:
        embedded.write(texts, out, fingerprint, check=accept, state=state, extras=extras, beside_check=beside_check)
        return None
    ds = to_dataset(texts, base_iri=base_iri)
    accept(ds)
    if remote.is_remote(store):
        remote.save(ds, store)
    else:
        write_atomic(out / TRIG_FILE, serialise(ds, "trig"))
    return ds


def previous_state(out: Path, store: str) -> bytes | None:
    """The digests of the build in ``out`` that a rebuild can update in place (Oxigraph only)."""
    return embedded.state(out) if check(store) == OXIGRAPH else None


def update(
    texts: Iterable[str],
    out: Path,
    *,
    fingerprint: str,
    graphs: Collection[str],
    subjects: Collection[str],
    retyped: Collection[str],
    accept: Callable[[ox.Store, set[str]], None],
    state: bytes,
    extras: embedded.Extras,
) -> None:
    """Replace the ``graphs`` and ``subjects`` of the Oxigraph build in ``out`` by ``texts``
    (see :func:`kg.embedded.update`); ``accept`` checks the nodes the change can affect."""
    embedded.update(
        texts,
        out,
        fingerprint,
        graphs=graphs,
        subjects=subjects,
        retyped=retyped,
        check=accept,
        state=state,
        extras=extras,
    )


def entity_links(out: Path, *, store: str | None = None) -> EntityLinks | None:
    """The entity graph a build saved beside its store (only the Oxigraph store keeps one)."""
    kind = check(store) if store is not None else detect(out)
    return embedded.entity_links(out) if kind == OXIGRAPH else None


def records_path(out: Path, *, store: str | None = None) -> Path | None:
    """Where the claims and entities the last map read are kept beside the store (only the
    Oxigraph store keeps them; see :mod:`kg.records`)."""
    kind = check(store) if store is not None else detect(out)
    folder = embedded.current(out) if kind == OXIGRAPH else None
    return folder / FILE if folder is not None else None


def records(out: Path, base_iri: str, *, store: str | None = None) -> Records | None:
    path = records_path(out, store=store)
    return Records.load(path, base_iri) if path is not None else None


def text_index(out: Path, *, store: str | None = None) -> TextIndex | None:
    """The full-text index a build wrote beside its store (only the Oxigraph store has one)."""
    kind = check(store) if store is not None else detect(out)
    return embedded.text_index(out) if kind == OXIGRAPH else None


def open_dataset(out: Path, *, store: str | None = None, base_iri: str, whole: bool = False) -> Dataset:
    """The build in ``out`` (of kind ``store``, or whichever exists) as an rdflib dataset;
    ``whole`` copies a remote store's dataset here, for reading it statement by statement."""
    kind = check(store) if store is not None else detect(out)
    if remote.is_remote(kind):
        return remote.download(kind, base_iri=base_iri) if whole else remote.open_dataset(kind, base_iri=base_iri)
    if kind == OXIGRAPH:
        return embedded.open_dataset(out, base_iri=base_iri)
    ds = load(out / TRIG_FILE)
    bind_prefixes(ds, base_iri)
    return ds
