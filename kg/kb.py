"""The domain knowledge base: curated entities with types, aliases and SKOS relations.

The shipped file is ``kg/data/kb.toml``; users add their own with ``--kb``. A later file
may redefine an entry of an earlier one by reusing its ``id``. Loading validates
everything up front and names the offending entry in the error.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from breame.data.spelling_constants import (  # type: ignore[import-untyped]
    AMERICAN_ENGLISH_SPELLINGS,
    BRITISH_ENGLISH_SPELLINGS,
)

from kg.errors import KnowledgeBaseError
from kg.model import EntityType

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FIELDS = frozenset(
    {"id", "label", "type", "aliases", "description", "broader", "related", "wikidata", "case_sensitive"}
)


@dataclass(frozen=True)
class KBEntry:
    id: str
    label: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    description: str | None = None
    broader: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    wikidata: str | None = None
    case_sensitive: bool = False  # matched only as written: "God", "Enlightenment", not "a god", "enlightenment"

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class KnowledgeBase:
    entries: tuple[KBEntry, ...]

    @cached_property
    def _by_id(self) -> dict[str, KBEntry]:
        return {e.id: e for e in self.entries}

    def get(self, entry_id: str) -> KBEntry | None:
        return self._by_id.get(entry_id)

    @cached_property
    def by_spelling(self) -> dict[str, KBEntry]:
        """The entries a name outside the knowledge base joins by its spelling (:func:`form_key`),
        except an entry matched only as written ("enlightenment", a phrase of some text, is not
        the Enlightenment)."""
        forms = [(form_key(f), e) for e in self.entries if not e.case_sensitive for f in e.forms]
        # A form as written wins over another entry's form spelt otherwise.
        return {**{spelling_key(k): e for k, e in forms}, **dict(forms)}

    def __len__(self) -> int:
        return len(self.entries)


_INNER_BREAK = re.compile(r"(?<=[^\W\d_])[- ](?=[^\W\d_])")


def form_key(form: str) -> str:
    """Case-, accent- and apostrophe-insensitive key under which a surface form is looked up
    ("Philip José Farmer" and "Philip Jose Farmer" are one name)."""
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", form) if not unicodedata.combining(ch))
    return " ".join(bare.replace("\u2019", "'").casefold().split())


@lru_cache(maxsize=1 << 18)  # the same names recur in every document: each is spelt out once
def spelling_key(key: str) -> str:
    """A key of a name however it is spelt: every word in American spelling (breame's list of
    1,730 British spellings, and "-isation" as "-ization"), then without the hyphens and spaces
    between letters. So "labour" and "labor", "labour power" and "labor-power", "post-modernism"
    and "postmodernism", "Pierre-Joseph Proudhon" and "Pierre Joseph Proudhon" are one name
    written two ways ("GPT-4" keeps its hyphen and "GPT 4" its space: they join a digit).

    >>> spelling_key("labour-power"), spelling_key("pierre joseph proudhon"), spelling_key("gpt-4")
    ('laborpower', 'pierrejosephproudhon', 'gpt-4')
    """
    return _INNER_BREAK.sub("", american_spelling(key))


def american_spelling(key: str) -> str:
    """``key`` with its British spellings American ("labour-power" -> "labor-power")."""
    return _respelt(key, BRITISH_ENGLISH_SPELLINGS, "isation", "ization")


def british_spelling(key: str) -> str:
    """``key`` with its American spellings British ("laborer" -> "labourer")."""
    return _respelt(key, AMERICAN_ENGLISH_SPELLINGS, "ization", "isation")


_WORD = re.compile(r"[^\W\d_]+")


def _respelt(key: str, spellings: dict[str, str], ending: str, other: str) -> str:
    words = _WORD.findall(key)
    if not any(w in spellings or w.endswith((ending, ending + "s")) for w in words):
        return key  # most keys: nothing to respell, and no substitution to pay for

    def respelt(word: re.Match[str]) -> str:
        found: str | None = spellings.get(word[0])
        return found or re.sub(rf"{ending}(s?)$", rf"{other}\1", word[0])

    return _WORD.sub(respelt, key)


def known_spelling(forms: Mapping[str, KBEntry], spelling: str) -> KBEntry | None:
    """The entry of :attr:`KnowledgeBase.by_spelling` a spelling key names, as written or however
    spelt (:func:`spelling_key`)."""
    return forms.get(spelling) or forms.get(spelling_key(spelling))


def default_kb_path() -> Path:
    return Path(str(resources.files("kg") / "data" / "kb.toml"))


def load_kb(extra: Sequence[str | Path] = (), *, include_default: bool = True) -> KnowledgeBase:
    """Load the shipped knowledge base plus ``extra`` files, validating all of them.

    Examples
    --------
    >>> kb = load_kb()
    >>> kb.get("nick-land").type.value
    'Person'
    """
    paths = [default_kb_path()] if include_default else []
    paths += [Path(p) for p in extra]
    merged: dict[str, KBEntry] = {}
    for path in paths:
        for entry in _read(path):
            merged[entry.id] = entry
    entries = tuple(sorted(merged.values(), key=lambda e: e.id))
    _check_consistency(entries)
    return KnowledgeBase(entries)


def _read(path: Path) -> Iterable[KBEntry]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise KnowledgeBaseError(f"E200 {path}: knowledge-base file not found") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise KnowledgeBaseError(f"E201 {path}: not valid TOML ({exc})") from exc
    raw = data.get("entity")
    if not isinstance(raw, list):
        raise KnowledgeBaseError(f"E202 {path}: expected [[entity]] tables")
    seen: set[str] = set()
    for n, item in enumerate(raw, 1):
        where = f"{path}: entry {n} ({item.get('id', '?')!s})" if isinstance(item, dict) else f"{path}: entry {n}"
        entry = _entry(item, where)
        if entry.id in seen:
            raise KnowledgeBaseError(f"E203 {where}: id {entry.id!r} is used twice in this file")
        seen.add(entry.id)
        yield entry


def _entry(item: object, where: str) -> KBEntry:
    if not isinstance(item, dict):
        raise KnowledgeBaseError(f"E204 {where}: not a table")
    unknown = set(item) - _FIELDS
    if unknown:
        raise KnowledgeBaseError(f"E205 {where}: unknown field(s) {', '.join(sorted(unknown))}")
    entry_id, label, type_name = item.get("id"), item.get("label"), item.get("type")
    if not isinstance(entry_id, str) or not _ID.fullmatch(entry_id):
        raise KnowledgeBaseError(f"E206 {where}: id must be a lower-case slug like 'nick-land'")
    if not isinstance(label, str) or not label.strip():
        raise KnowledgeBaseError(f"E207 {where}: empty label")
    try:
        entity_type = EntityType(type_name)
    except ValueError:
        allowed = ", ".join(t.value for t in EntityType)
        raise KnowledgeBaseError(f"E208 {where}: unknown type {type_name!r} (allowed: {allowed})") from None
    lists = {}
    for key in ("aliases", "broader", "related"):
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise KnowledgeBaseError(f"E209 {where}: {key} must be a list of non-empty strings")
        lists[key] = tuple(value)
    case_sensitive = item.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        raise KnowledgeBaseError(f"E213 {where}: case_sensitive must be true or false")
    description, wikidata = item.get("description"), item.get("wikidata")
    if wikidata is not None and not (
        isinstance(wikidata, str) and wikidata.startswith("http://www.wikidata.org/entity/Q")
    ):
        raise KnowledgeBaseError(f"E210 {where}: wikidata must be an IRI like http://www.wikidata.org/entity/Q42")
    return KBEntry(
        id=entry_id,
        label=label.strip(),
        type=entity_type,
        aliases=lists["aliases"],
        description=str(description) if description else None,
        broader=lists["broader"],
        related=lists["related"],
        wikidata=wikidata,
        case_sensitive=case_sensitive,
    )


def _check_consistency(entries: Sequence[KBEntry]) -> None:
    owner: dict[str, str] = {}
    ids = {e.id for e in entries}
    for entry in entries:
        for form in entry.forms:
            key = form_key(form)
            other = owner.setdefault(key, entry.id)
            if other != entry.id:
                raise KnowledgeBaseError(f"E211 entries {other!r} and {entry.id!r} share the alias {form!r}")
        for ref in entry.broader + entry.related:
            if ref not in ids:
                raise KnowledgeBaseError(f"E212 entry {entry.id!r} refers to unknown entry {ref!r}")
