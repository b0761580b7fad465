"""The persistent embedded store: an on-disk Oxigraph database under the output folder.

Layout: ``OUT/store`` is a symbolic link to ``OUT/store-<fingerprint>``, the database of the
current build. A build writes a new database beside it and then swaps the link with one
``rename``, so a crash or Ctrl-C at any point leaves the previous build intact and queryable,
and the fingerprint in the name tells whether a build of the same inputs already exists.

Readers (queries, the server, the SHACL check, ``kg.load``) hold a shared ``flock`` on the
database's ``acckg-readers.lock`` while they have it open. RocksDB opens its table files only
when a query needs them, so a build must not delete a database someone still reads: it leaves
a locked one in place, and a later build removes it once no one holds the lock.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import traceback
import weakref
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset

from kg import entitygraph, textindex
from kg.entitygraph import EntityLinks
from kg.errors import BuildNotFoundError
from kg.vocab import bind_prefixes, iri_blocks

LINK = "store"
_PREFIX = "store-"


def current(out: Path) -> Path | None:
    """The database the ``OUT/store`` link points at, if there is one."""
    link = out / LINK
    if not link.is_symlink():
        return link if link.is_dir() else None  # a copy made with links followed (cp -L)
    target = out / os.readlink(link)
    return target if target.is_dir() else None


def fingerprint_of(out: Path) -> str | None:
    """The input fingerprint the current database was built from."""
    db = current(out)
    return db.name.removeprefix(_PREFIX) if db is not None and db.name.startswith(_PREFIX) else None


Extras = Callable[[ox.Store, Path, Path | None], None]
"""Writes files derived from a new database into its folder: (database, folder, previous folder)."""
STATE = "acckg-state.pickle"  # the digests of the build in a database folder (kg.delta)
READERS = "acckg-readers.lock"  # readers hold it shared; a build removes the folder only when it can lock it alone
_ACC = "https://w3id.org/acckg/ns#"


def write(
    texts: Iterable[str],
    out: Path,
    fingerprint: str,
    *,
    check: Callable[[ox.Store], None] | None = None,
    state: bytes = b"",
    extras: Extras | None = None,
    beside_check: bool = False,
) -> Path:
    """Load N-Quads ``texts`` into a fresh database, ``check`` it, and make it the current one
    atomically; when ``check`` raises, the previous database stays current. The text index and
    ``extras`` (files derived from the database) are written into its folder before the swap,
    in a second thread while ``check`` runs when ``beside_check`` (both only read the database)."""
    out.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    final = out / f"{_PREFIX}{fingerprint}"
    if final == current(out):
        return out / LINK  # the same inputs give the same graph: it is already there
    with _Building(out, final) as new:
        new.db = ox.Store(str(new.folder))
        _bulk_load(new.db, texts)
        new.db.flush()
        if check is not None and beside_check:
            _check_beside(check, new, extras)
        else:
            if check is not None:
                check(new.db)
            _derived_files(new, extras)
        (new.folder / STATE).write_bytes(state)
    return _swap(out, final)


def _bulk_load(db: ox.Store, texts: Iterable[str]) -> None:
    """Load N-Quads ``texts`` into ``db``, writing the next text while Oxigraph loads the last one
    (it releases the GIL), so that the RDF's writing and its loading overlap."""
    with ThreadPoolExecutor(1) as loader:
        loading: Future[None] | None = None
        for text in texts:
            data = text.encode("utf-8")
            if loading is not None:
                loading.result()
            loading = loader.submit(db.bulk_load, data, ox.RdfFormat.N_QUADS)
        if loading is not None:
            loading.result()


def _derived_files(new: _Building, extras: Extras | None) -> None:
    assert new.db is not None
    textindex.index_database(new.db, new.folder / textindex.FILE).close()  # swapped in with its store
    if extras is not None:
        extras(new.db, new.folder, None)


def _check_beside(check: Callable[[ox.Store], None], new: _Building, extras: Extras | None) -> None:
    """``check`` the new database while a second thread writes its derived files."""
    assert new.db is not None
    with ThreadPoolExecutor(1) as beside:
        files = beside.submit(_derived_files, new, extras)
        try:
            check(new.db)
        finally:
            error = files.exception()  # waits: the folder must not go while the thread writes into it
            if error is not None:
                traceback.clear_frames(error.__traceback__)  # its frames hold the database
    if error is not None:
        raise error


def update(
    texts: Iterable[str],
    out: Path,
    fingerprint: str,
    *,
    graphs: Collection[str],
    subjects: Collection[str],
    retyped: Collection[str],
    check: Callable[[ox.Store, set[str]], None],
    state: bytes,
    extras: Extras | None = None,
) -> Path:
    """The current database with the named ``graphs`` and the default graph's statements about
    ``subjects`` replaced by N-Quads ``texts``, made current atomically like :func:`write`.

    The new database starts as a RocksDB checkpoint of the current one (hard links to its
    immutable files: no copy), so the cost follows the size of the change, not of the store.
    ``check`` gets the nodes whose shapes the change can affect: every subject of the replaced
    statements, old and new, and whatever points at a node that is gone or at an entity in
    ``retyped``, whose class changed. ``extras`` gets the previous database's folder too."""
    previous = current(out)
    if previous is None:
        raise BuildNotFoundError(f"E501 no build at {out / LINK} to update")
    _remove_leftovers(out)
    final = out / f"{_PREFIX}{fingerprint}"
    with _Building(out, final) as new:
        new.folder.rmdir()  # the checkpoint makes the folder itself
        ox.Store.read_only(str(previous)).backup(str(new.folder))
        new.db = ox.Store(str(new.folder))
        graph_blocks = iri_blocks(graphs)

        def in_graphs(pattern: str, select: str = "?s") -> str:
            return f"SELECT DISTINCT {select} WHERE {{ VALUES ?g {{ {{}} }} GRAPH ?g {{ {pattern} }} }}"

        old_nodes = _column(new.db, in_graphs("?s ?p ?o"), graph_blocks)
        old_evidence = _column(new.db, in_graphs(f"?s a <{_ACC}Evidence>"), graph_blocks)
        for graph in sorted(graphs):
            new.db.remove_graph(ox.NamedNode(graph))
        for block in iri_blocks(subjects):
            new.db.update(f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {block} }} ?s ?p ?o }}")
        for text in texts:
            new.db.bulk_load(text.encode("utf-8"), ox.RdfFormat.N_QUADS)
        changed = old_nodes | _column(new.db, in_graphs("?s ?p ?o"), graph_blocks) | set(subjects)
        pointed_at = {n for n in changed if not _has_statements(new.db, n)} | set(retyped)
        referrers = _column(new.db, "SELECT DISTINCT ?s WHERE { VALUES ?o { {} } ?s ?p ?o }", iri_blocks(pointed_at))
        check(new.db, changed | referrers)
        added = []
        for block in graph_blocks:
            rows = new.db.query(
                in_graphs(f"?s a <{_ACC}Evidence> ; <http://www.w3.org/ns/oa#exact> ?sentence", "?s ?sentence").replace(
                    "{}", block
                )
            )
            assert isinstance(rows, ox.QuerySolutions)
            added += [(row[0].value, row[1].value) for row in rows]
        if extras is not None:
            extras(new.db, new.folder, previous)
        shutil.copyfile(previous / textindex.FILE, new.folder / textindex.FILE)
        textindex.update(new.folder / textindex.FILE, removed=old_evidence, added=added)
        (new.folder / STATE).write_bytes(state)
    return _swap(out, final)


def state(out: Path) -> bytes | None:
    """The digests the current database was built with (:mod:`kg.delta`), if it recorded them."""
    db = current(out)
    try:
        return (db / STATE).read_bytes() if db is not None else None
    except OSError:
        return None


def _column(db: ox.Store, sparql: str, blocks: list[str]) -> set[str]:
    """The first column of ``sparql`` run once for each block of IRIs, put where it says ``{}``."""
    found = set()
    for block in blocks:
        rows = db.query(sparql.replace("{}", block), use_default_graph_as_union=True)
        assert isinstance(rows, ox.QuerySolutions)
        found |= {row[0].value for row in rows}
    return found


def _has_statements(db: ox.Store, node: str) -> bool:
    return next(iter(db.quads_for_pattern(ox.NamedNode(node), None, None, None)), None) is not None


class _Building:
    """A new database's folder in ``out``, renamed to ``final`` when the ``with`` block ends and
    removed when it raises. The database is opened as ``.db`` (never kept in another variable),
    so that it is closed before either: a database still open when its folder is removed gets
    files written into it again by RocksDB's threads."""

    def __init__(self, out: Path, final: Path) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=f".{_PREFIX}", suffix=".tmp", dir=out))
        self.final = final
        self.db: ox.Store | None = None

    def __enter__(self) -> _Building:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.db = None
        if error is None:
            (self.folder / READERS).touch()
            os.rename(self.folder, self.final)
            return
        traceback.clear_frames(tb)  # the failed calls' frames (``check``'s) hold the database too
        shutil.rmtree(self.folder, ignore_errors=True)


def _swap(out: Path, final: Path) -> Path:
    """Make the database ``final`` the current one: the link is replaced in one rename."""
    previous = current(out)
    if previous == out / LINK:  # a plain folder cannot be swapped atomically with a link: move it aside
        previous = previous.rename(out / f".{_PREFIX}copied.tmp")
    link_tmp = out / f".{LINK}.{os.getpid()}.tmp"
    link_tmp.unlink(missing_ok=True)
    link_tmp.symlink_to(final.name)
    os.replace(link_tmp, out / LINK)  # the one atomic step: readers see the old build or the new
    if previous is not None and previous != final:
        _remove_unread(previous)
    return out / LINK


def _remove_unread(folder: Path) -> None:
    """Remove the database ``folder`` unless a reader holds its lock (then a later build will).
    The exclusive lock is held while it is removed, so a reader that found the folder just
    before waits, then sees that it is no longer current."""
    try:
        fd = os.open(folder / READERS, os.O_RDONLY)
    except OSError:  # made before readers locked, or half-removed already
        shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return
    try:
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        os.close(fd)


def open_current(out: Path, *, writable: bool = False) -> tuple[ox.Store, int | None]:
    """The current database, opened and locked for reading, and the lock's file descriptor
    (None for a database made before builds created the lock file); close it when done."""
    for _ in range(10):  # each retry means a build swapped the database just then
        db_path = current(out)
        if db_path is None:
            raise BuildNotFoundError(f"E501 no build at {out / LINK}; run `acckg build` first (or pass --out)")
        try:
            fd: int | None = os.open(db_path / READERS, os.O_RDONLY)
        except FileNotFoundError:
            fd = None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_SH)
        if current(out) == db_path and db_path.is_dir():
            break
        if fd is not None:
            os.close(fd)
    else:
        raise BuildNotFoundError(f"E503 the store at {out / LINK} kept changing while it was opened; try again")
    try:
        db = ox.Store(str(db_path)) if writable else ox.Store.read_only(str(db_path))
    except OSError as exc:
        if fd is not None:
            os.close(fd)
        raise BuildNotFoundError(f"E503 cannot open the store at {db_path}: {exc}") from exc
    return db, fd


def open_dataset(out: Path, *, base_iri: str) -> Dataset:
    """The current database as an rdflib :class:`Dataset`; SPARQL runs in Oxigraph's engine.
    Its reader's lock lasts as long as the dataset's store."""
    db, lock = open_current(out)
    ds = as_dataset(db, base_iri=base_iri)
    if lock is not None:
        weakref.finalize(ds.store, os.close, lock)
    return ds


def as_dataset(db: ox.Store, *, base_iri: str) -> Dataset:
    """An Oxigraph database as an rdflib :class:`Dataset` (the union of its graphs by default)."""
    ds = Dataset(store=OxigraphStore(store=db), default_union=True)
    bind_prefixes(ds, base_iri)
    return ds


def entity_links(out: Path) -> EntityLinks | None:
    """The entity graph the current database's build saved beside it, if any."""
    db = current(out)
    return EntityLinks.load(db / entitygraph.FILE) if db is not None else None


def text_index(out: Path) -> textindex.TextIndex | None:
    """The full-text index of the current database, if its build wrote one."""
    db = current(out)
    return textindex.TextIndex.open(db / textindex.FILE) if db is not None else None


def oxigraph_of(ds: Dataset) -> ox.Store | None:
    """The Oxigraph database behind ``ds``, when it has one, to query it without rdflib between."""
    store = ds.store
    return store._inner if isinstance(store, OxigraphStore) else None


def _remove_leftovers(out: Path) -> None:
    """Half-written databases of builds that were killed before they could clean up."""
    keep = current(out)
    for path in out.glob(f".{_PREFIX}*.tmp"):
        shutil.rmtree(path, ignore_errors=True)
    for path in out.glob(f"{_PREFIX}*"):
        if path.is_dir() and path != keep:
            _remove_unread(path)
