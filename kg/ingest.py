"""Read source files into :class:`~kg.model.SourceDoc` values (the input edge of the pipeline).

Folders are walked for ``.txt``, ``.md``, ``.html``, ``.htm``, ``.jsonl`` and ``.jsonl.gz``
files in sorted order. A ``MANIFEST.toml`` beside the files supplies title, author, date, URL
and licence. In JSON Lines each line is one document with its own provenance
(``FILE#line=N``). Documents are yielded one at a time, so a corpus is never held in memory
whole. Every refusal raises :class:`~kg.errors.SourceError` naming the file (and line) and the
problem; nothing is skipped silently: a document missing from the graph without a word would
be worse than a build that stops, and a build reads every input before its hours of NLP start.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import tomllib
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from kg.config import DEFAULT_MAX_BYTES
from kg.errors import SourceError, UsageError
from kg.model import SourceDoc

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
MANIFEST = "MANIFEST.toml"
# Optional per-line fields and the SourceDoc field each fills; the first present wins.
_JSONL_META = {
    "title": ("title",),
    "author": ("author",),
    "date": ("date",),
    "url": ("url", "source_url", "source"),
    "licence": ("licence", "license"),
}


def read_sources(
    paths: Sequence[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES, text_field: str = "text"
) -> list[SourceDoc]:
    """Every document under ``paths``, as a list (:func:`iter_sources` yields them one at a time).

    Examples
    --------
    >>> docs = read_sources(["sources/import-ai-384.txt"])
    >>> docs[0].id, docs[0].author
    ('import-ai-384', 'Jack Clark')
    """
    return list(iter_sources(paths, max_bytes=max_bytes, text_field=text_field))


def iter_sources(
    paths: Sequence[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES, text_field: str = "text"
) -> Iterator[SourceDoc]:
    """Yield the documents under ``paths`` one at a time, in a deterministic order."""
    seen: set[str] = set()
    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    for path in source_files(paths):
        folder = path.parent
        if folder not in manifests:
            manifests[folder] = _read_manifest(folder / MANIFEST)
        meta = manifests[folder].get(path.name, {})
        if path.name.lower().endswith(JSONL_SUFFIXES):
            docs: Iterable[SourceDoc] = read_jsonl(path, meta=meta, max_bytes=max_bytes, text_field=text_field)
        else:
            docs = (read_source(path, meta=meta, max_bytes=max_bytes),)
        for doc in docs:
            if doc.id in seen:
                # Same file name in two folders, or one id twice: keep both, told apart by content hash.
                doc = replace(doc, id=f"{doc.id}-{doc.sha256[:8]}")
            seen.add(doc.id)
            yield doc


def source_files(paths: Sequence[str | Path]) -> list[Path]:
    """The input files under ``paths`` in reading order; :class:`UsageError` when there are none."""
    files = _expand(paths)
    if not files:
        raise UsageError(f"E101 no .txt, .md, .html or .jsonl files found in: {', '.join(map(str, paths))}")
    return files


def read_jsonl(
    path: Path, *, meta: dict[str, str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES, text_field: str = "text"
) -> Iterator[SourceDoc]:
    """One document per non-blank line of a JSON Lines file (gzip-compressed when it ends in ``.gz``)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    found = False
    try:
        with opener(path, "rb") as fh:
            for number, raw in enumerate(fh, start=1):
                doc = parse_jsonl_line(
                    raw, path=str(path), number=number, meta=meta, max_bytes=max_bytes, text_field=text_field
                )
                if doc is not None:
                    found = True
                    yield doc
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise SourceError(f"E103 {path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from exc
    if not found:
        raise SourceError(f"E104 {path}: file holds no JSON Lines documents")


def parse_jsonl_line(
    raw: bytes,
    *,
    path: str,
    number: int,
    meta: dict[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    text_field: str = "text",
) -> SourceDoc | None:
    """The document on line ``number`` of JSON Lines file ``path``; ``None`` for a blank line.

    The document id is the file's name plus the line's ``id`` field when it has one (so it
    survives reordering), else its line number. ``meta`` (from the manifest) fills fields the
    line leaves out.

    Examples
    --------
    >>> doc = parse_jsonl_line(b'{"abstract": "Agents plan.", "id": "1901.1"}', path="a.jsonl", number=3,
    ...                        text_field="abstract")
    >>> doc.id, doc.path, doc.text, doc.title
    ('a-1901-1', 'a.jsonl#line=3', 'Agents plan.', 'Agents plan.')
    """
    where = f"{path}:{number}"
    if not raw.strip():
        return None
    if len(raw) > max_bytes:
        raise SourceError(f"E102 {where}: {len(raw):,} bytes is larger than the limit of {max_bytes:,} (--max-bytes)")
    try:
        record = json.loads(raw)
    except UnicodeDecodeError as exc:
        raise SourceError(f"E106 {where}: not valid UTF-8 (byte {exc.start}); convert it to UTF-8 first") from exc
    except json.JSONDecodeError as exc:
        raise SourceError(f"E108 {where}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(record, dict):
        raise SourceError(f"E108 {where}: a line must be a JSON object, not {_json_type(record)}")
    # "abstract,text": the first of these fields a record has holds its text (corpora differ).
    names = [name.strip() for name in text_field.split(",") if name.strip()]
    text_field = next((name for name in names if record.get(name) is not None), text_field)
    text = record.get(text_field)
    if text is None:
        present = ", ".join(sorted(map(str, record))) or "none"
        raise SourceError(f"E109 {where}: no {text_field!r} field (fields: {present}); name the text with --text-field")
    if not isinstance(text, str):
        raise SourceError(f"E109 {where}: field {text_field!r} must be a string, not {_json_type(text)}")
    if not text.strip():
        raise SourceError(f"E104 {where}: field {text_field!r} is empty")
    fields: dict[str, str] = dict(meta or {})
    for name, keys in _JSONL_META.items():
        for key in keys:
            value = record.get(key)
            if value is None:
                continue
            if not isinstance(value, str):
                raise SourceError(f"E110 {where}: field {key!r} must be a string, not {_json_type(value)}")
            fields[name] = value
            break
    url = fields.get("url")
    if url is not None and not re.match(r"https?://\S+$", url):
        del fields["url"]  # a source that is not a web address (a path, a citation) stays out of dcterms:source
    stem = path.rsplit("/", 1)[-1]
    for suffix in (".gz", ".jsonl"):
        stem = stem.removesuffix(suffix)
    record_id = record.get("id")
    has_id = isinstance(record_id, str | int) and not isinstance(record_id, bool) and str(record_id).strip()
    local = slugify(str(record_id)) if has_id else number
    return SourceDoc(
        id=f"{slugify(stem)}-{local}",
        path=f"{path}#line={number}",
        text=text,
        # The text's hash, not the line's: the same line read with another --text-field is another text.
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        title=fields.get("title") or _first_line(text) or f"{stem} line {number}",
        author=fields.get("author"),
        date=fields.get("date"),
        url=fields.get("url"),
        licence=fields.get("licence"),
    )


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number"}
    return names.get(type(value), "a number" if isinstance(value, float) else "null")


def read_source(path: Path, *, meta: dict[str, str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceDoc:
    """Read one file, refusing anything that is not a non-empty UTF-8 text."""
    meta = meta or {}
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(f"E102 {path}: {size:,} bytes is larger than the limit of {max_bytes:,} (--max-bytes)")
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"E103 {path}: cannot read ({exc.strerror})") from exc
    if not raw.strip():
        raise SourceError(f"E104 {path}: file is empty")
    if b"\x00" in raw[:8192]:
        raise SourceError(f"E105 {path}: looks like a binary file (contains NUL bytes), not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"E106 {path}: not valid UTF-8 (byte {exc.start}); convert it to UTF-8 first") from exc
    if path.suffix.lower() in HTML_SUFFIXES:
        text = html_to_text(text)
        if not text.strip():
            raise SourceError(f"E104 {path}: the HTML holds no text")
    title = meta.get("title") or _first_line(text) or path.stem
    return SourceDoc(
        id=slugify(path.stem),
        path=str(path),
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        title=title,
        author=meta.get("author"),
        date=meta.get("date"),
        url=meta.get("url"),
        licence=meta.get("licence"),
    )


def slugify(text: str) -> str:
    """Lower-case ASCII slug used in IRIs: ``"Nick Land's"`` -> ``"nick-land-s"``."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug or "x"


class _TextExtractor(HTMLParser):
    """Collects visible text; drops scripts, styles and other non-content elements."""

    SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg"})
    BLOCK = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one block element per line."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for item in paths:
        path = Path(item)
        if not path.exists():
            raise UsageError(f"E100 {path}: no such file or folder")
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and _supported(p)))
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def _supported(path: Path) -> bool:
    name = path.name.lower()
    return path.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES or name.endswith(JSONL_SUFFIXES)


def _read_manifest(path: Path) -> dict[str, dict[str, str]]:
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"E107 {path}: not a valid TOML manifest ({exc})") from exc
    entries: dict[str, dict[str, str]] = {}
    for entry in data.get("text", []):
        if isinstance(entry, dict) and isinstance(entry.get("file"), str):
            entries[entry["file"]] = {k: str(v) for k, v in entry.items()}
    return entries


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip().lstrip("#").strip()[:200]
    return ""
