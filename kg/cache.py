"""The on-disk cache of per-document NLP analyses, so that a rebuild runs spaCy only on new text.

An analysis depends on the document's text and on everything that shapes the pipeline: the
spaCy pipeline's name and version, spaCy's own version, the knowledge base's content, the
concept cap and acckg's version. All of these go into the key, so a stale entry is never hit;
it is simply not looked up again. Everything after the NLP stage (entities, claims, RDF) is
re-derived from the analyses on every build, so nothing stale reaches the graph either.

Entries are pickles written by acckg itself into the output folder (``OUT/cache``); the folder
is trusted like the rest of the output. An unreadable entry counts as a miss.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from kg.config import Settings
from kg.kb import default_kb_path
from kg.model import DocAnalysis, SourceDoc
from kg.store import write_atomic

CACHE_DIR = "cache"


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "0+unknown"


def model_version(settings: Settings) -> str | None:
    """The spaCy pipeline's version without loading it (installed package or model folder)."""
    folder = Path(settings.model) / "meta.json"
    if folder.is_file():
        meta = json.loads(folder.read_text(encoding="utf-8"))
        return str(meta.get("version", "unknown"))
    try:
        return version(settings.model)
    except PackageNotFoundError:
        return None


def settings_digest(settings: Settings, model: str) -> str:
    """Everything besides a document's text that changes its analysis, as one hash."""
    h = hashlib.sha256()
    for part in (
        package_version("acckg"),
        package_version("spacy"),
        package_version("wordfreq"),  # the general-English frequencies concepts are weighed against
        package_version("breame"),  # the British spellings that name keys are spelt without (kg.kb)
        settings.model,
        model,
        str(settings.max_concepts_per_doc),
    ):
        h.update(part.encode("utf-8") + b"\0")
    for kb in (default_kb_path(), *settings.kb_paths):
        h.update(Path(kb).read_bytes() + b"\0")
    # The NLP code and its word lists, so that an edited rule never reads an analysis the old rule
    # made, and the types the analyses are pickled as, which an old pickle may no longer fit; the
    # knowledge base's code too, whose spelling keys the mentions are matched by.
    nlp_code = [*_PACKAGE.joinpath("nlp").glob("*.py"), *(_PACKAGE / name for name in ("model.py", "kb.py"))]
    _hash_files(h, [*nlp_code, *(_PACKAGE / "data" / name for name in ("given_names.txt", "places.txt"))])
    return h.hexdigest()


_PACKAGE = Path(__file__).parent


def _hash_files(h: hashlib._Hash, paths: Sequence[Path]) -> None:
    for path in sorted(paths):
        h.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")


def setup_digest(settings: Settings, model: str) -> str:
    """Everything a whole build depends on besides its documents, as one hash."""
    h = hashlib.sha256()
    h.update(f"{settings_digest(settings, model)}\0{settings.base_iri}\0".encode())
    # The code after the NLP (resolution, claims, RDF) and the shapes the build is checked with.
    _hash_files(h, [*_PACKAGE.glob("*.py"), _PACKAGE / "data" / "shapes.ttl"])
    return h.hexdigest()


def fingerprint(docs: Sequence[SourceDoc], settings: Settings, model: str, run_time: str) -> str:
    """A short hash of everything a whole build depends on: equal fingerprints, equal graphs."""
    h = hashlib.sha256()
    h.update(f"{setup_digest(settings, model)}\0{run_time}\0".encode())
    for doc in docs:
        fields = (doc.id, doc.path, doc.sha256, doc.title, doc.author, doc.date, doc.url, doc.licence)
        h.update(json.dumps(fields).encode("utf-8") + b"\0")
    return h.hexdigest()[:24]


class AnalysisCache:
    """Analyses under ``folder``, one file per (text, settings) key."""

    def __init__(self, folder: Path, settings: Settings, model: str) -> None:
        self.folder = folder
        self.digest = settings_digest(settings, model)

    def _path(self, doc: SourceDoc) -> Path:
        key = hashlib.sha256(f"{self.digest}\0{doc.sha256}".encode()).hexdigest()
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, doc: SourceDoc) -> DocAnalysis | None:
        try:
            found = pickle.loads(self._path(doc).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        if not isinstance(found, DocAnalysis):
            return None
        # The key covers the text only: the manifest's title or author may have changed since.
        return replace(found, doc=doc)

    def put(self, analysis: DocAnalysis) -> None:
        write_atomic(self._path(analysis.doc), pickle.dumps(analysis, protocol=pickle.HIGHEST_PROTOCOL))

    def analyse(
        self,
        docs: Sequence[SourceDoc],
        run: Callable[[Sequence[SourceDoc]], Iterable[DocAnalysis]],
        *,
        on_hit: Callable[[SourceDoc], None] | None = None,
    ) -> Iterator[DocAnalysis]:
        """Analyses of ``docs`` in order, one at a time: cached ones read back as their turn comes,
        the others made by ``run`` (given all of them at once, so that it can batch them).

        Each new analysis is written as soon as ``run`` yields it, so a build stopped part way
        (a crash, Ctrl-C, a full disk) keeps what it had analysed for the next attempt. None is
        held here: a large corpus's analyses are gigabytes, and the cache can give them again."""
        missing = [i for i, doc in enumerate(docs) if not self._path(doc).is_file()]
        made = iter(run([docs[i] for i in missing]) if missing else ())
        todo = set(missing)
        for i, doc in enumerate(docs):
            if i in todo:
                analysis = next(made)
            else:
                hit = self.get(doc)
                if hit is not None:
                    if on_hit is not None:
                        on_hit(doc)
                    yield hit
                    continue
                (analysis,) = run([doc])  # an entry that cannot be read is analysed again
            self.put(analysis)
            yield analysis
