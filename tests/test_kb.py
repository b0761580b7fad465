from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import KnowledgeBaseError
from kg.kb import load_kb
from kg.model import EntityType


def test_shipped_knowledge_base_is_large_and_covers_every_type() -> None:
    kb = load_kb()
    assert len(kb) >= 150
    assert {e.type for e in kb.entries} == set(EntityType)
    assert kb.get("nick-land") is not None and kb.get("nick-land").type is EntityType.PERSON  # type: ignore[union-attr]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "my.toml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[entity]]\nid = "x"\nlabel = "X"\ntype = "Thinker"\n', "unknown type 'Thinker'"),
        ('[[entity]]\nid = "x"\nlabel = "  "\ntype = "Person"\n', "empty label"),
        ('[[entity]]\nid = "Bad Id"\nlabel = "X"\ntype = "Person"\n', "id must be"),
        ('[[entity]]\nid = "x"\nlabel = "X"\ntype = "Person"\ncolour = "red"\n', "unknown field"),
        ('[[entity]]\nid = "x"\nlabel = "X"\ntype = "Concept"\nbroader = ["nowhere"]\n', "unknown entry 'nowhere'"),
        ("[[entity]\n", "not valid TOML"),
        ('[[entity]]\nid = "x"\nlabel = "X"\ntype = "Concept"\ncase_sensitive = "yes"\n', "true or false"),
    ],
)
def test_invalid_entries_are_reported_with_the_entry(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(KnowledgeBaseError, match=message):
        load_kb([_write(tmp_path, body)])


def test_alias_shared_by_two_entries_is_an_error_naming_both(tmp_path: Path) -> None:
    body = (
        '[[entity]]\nid = "one"\nlabel = "One"\ntype = "Concept"\naliases = ["shared"]\n'
        '[[entity]]\nid = "two"\nlabel = "Two"\ntype = "Concept"\naliases = ["Shared"]\n'
    )
    with pytest.raises(KnowledgeBaseError, match="'one' and 'two' share the alias"):
        load_kb([_write(tmp_path, body)], include_default=False)


def test_user_file_extends_and_overrides_the_shipped_one(tmp_path: Path) -> None:
    body = (
        '[[entity]]\nid = "nick-land"\nlabel = "Nick Land"\ntype = "Person"\naliases = ["Old Nick"]\n'
        '[[entity]]\nid = "zeta-theory"\nlabel = "zeta theory"\ntype = "Concept"\n'
    )
    kb = load_kb([_write(tmp_path, body)])
    assert kb.get("zeta-theory") is not None
    assert kb.get("nick-land").aliases == ("Old Nick",)  # type: ignore[union-attr]
