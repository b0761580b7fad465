"""Read source files into :class:`~kg.model.SourceDoc` values (the input edge of the pipeline).

Folders are walked for ``.txt``, ``.md``, ``.html`` and ``.htm`` files in sorted order. A
``MANIFEST.toml`` beside the files supplies title, author, date, URL and licence. Every
refusal raises :class:`~kg.errors.SourceError` naming the file and the problem; nothing is
skipped silently.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from kg.config import DEFAULT_MAX_BYTES
from kg.errors import SourceError, UsageError
from kg.model import SourceDoc

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
MANIFEST = "MANIFEST.toml"


def read_sources(paths: Sequence[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[SourceDoc]:
    """Read every source file under ``paths``.

    Examples
    --------
    >>> docs = read_sources(["sources/import-ai-384.txt"])
    >>> docs[0].id, docs[0].author
    ('import-ai-384', 'Jack Clark')
    """
    files = _expand(paths)
    if not files:
        raise UsageError(f"E101 no .txt, .md or .html files found in: {', '.join(map(str, paths))}")
    docs: list[SourceDoc] = []
    seen: dict[str, Path] = {}
    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    for path in files:
        folder = path.parent
        if folder not in manifests:
            manifests[folder] = _read_manifest(folder / MANIFEST)
        meta = manifests[folder].get(path.name, {})
        doc = read_source(path, meta=meta, max_bytes=max_bytes)
        if doc.id in seen:
            # Same file name in two folders: keep both, told apart by content hash.
            doc = replace(doc, id=f"{doc.id}-{doc.sha256[:8]}")
        seen[doc.id] = path
        docs.append(doc)
    return docs


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
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES)
            )
        else:
            files.append(path)
    return list(dict.fromkeys(files))


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
