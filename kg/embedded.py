"""The persistent embedded store: an on-disk Oxigraph database under the output folder.

Layout: ``OUT/store`` is a symbolic link to ``OUT/store-<fingerprint>``, the database of the
current build. A build writes a new database beside it and then swaps the link with one
``rename``, so a crash or Ctrl-C at any point leaves the previous build intact and queryable,
and the fingerprint in the name tells whether a build of the same inputs already exists.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset

from kg import textindex
from kg.errors import BuildNotFoundError
from kg.vocab import bind_prefixes

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


def write(
    texts: Iterable[str], out: Path, fingerprint: str, *, check: Callable[[ox.Store], None] | None = None
) -> Path:
    """Load N-Quads ``texts`` into a fresh database, ``check`` it, and make it the current one
    atomically; when ``check`` raises, the previous database stays current."""
    out.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    final = out / f"{_PREFIX}{fingerprint}"
    if final == current(out):
        return out / LINK  # the same inputs give the same graph: it is already there
    tmp = Path(tempfile.mkdtemp(prefix=f".{_PREFIX}", suffix=".tmp", dir=out))
    try:
        db = ox.Store(str(tmp))
        for text in texts:
            db.bulk_load(text.encode("utf-8"), ox.RdfFormat.N_QUADS)
        db.flush()
        if check is not None:
            check(db)
        textindex.index_database(db, tmp / textindex.FILE).close()  # swapped in with the store it indexes
        del db  # closes the database before it is renamed
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    previous = current(out)
    if previous == out / LINK:  # a plain folder cannot be swapped atomically with a link: move it aside
        previous = previous.rename(out / f".{_PREFIX}copied.tmp")
    link_tmp = out / f".{LINK}.{os.getpid()}.tmp"
    link_tmp.unlink(missing_ok=True)
    link_tmp.symlink_to(final.name)
    os.replace(link_tmp, out / LINK)  # the one atomic step: readers see the old build or the new
    if previous is not None and previous != final:
        shutil.rmtree(previous, ignore_errors=True)
    return out / LINK


def open_dataset(out: Path, *, base_iri: str, writable: bool = False) -> Dataset:
    """The current database as an rdflib :class:`Dataset`; SPARQL runs in Oxigraph's engine."""
    db_path = current(out)
    if db_path is None:
        raise BuildNotFoundError(f"E501 no build at {out / LINK}; run `acckg build` first (or pass --out)")
    try:
        db = ox.Store(str(db_path)) if writable else ox.Store.read_only(str(db_path))
    except OSError as exc:
        raise BuildNotFoundError(f"E503 cannot open the store at {db_path}: {exc}") from exc
    ds = Dataset(store=OxigraphStore(store=db), default_union=True)
    bind_prefixes(ds, base_iri)
    return ds


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
            shutil.rmtree(path, ignore_errors=True)
