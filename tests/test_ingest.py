from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import SourceError, UsageError
from kg.ingest import html_to_text, read_sources, slugify

ROOT = Path(__file__).resolve().parent.parent


def test_manifest_supplies_title_author_and_licence() -> None:
    (doc,) = read_sources([ROOT / "sources" / "import-ai-384.txt"])
    assert doc.author == "Jack Clark"
    assert doc.title.startswith("Import AI 384")
    assert doc.licence and "reserved" in doc.licence


def test_folder_is_read_in_sorted_order_with_every_supported_suffix(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text("Bravo text.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Alpha text.", encoding="utf-8")
    (tmp_path / "c.html").write_text("<p>Charlie text.</p>", encoding="utf-8")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    assert [d.id for d in read_sources([tmp_path])] == ["a", "b", "c"]


def test_missing_path_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"nope\.txt: no such file"):
        read_sources([tmp_path / "nope.txt"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"caf\xe9 au lait", "not valid UTF-8"),
    ],
)
def test_unreadable_text_is_refused_with_the_file_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message) as info:
        read_sources([path])
    assert "bad.txt" in str(info.value)


def test_a_100_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(SourceError, match="larger than the limit"):
        read_sources([path])


def test_html_keeps_text_and_drops_scripts_and_styles() -> None:
    html = "<html><head><style>p{}</style><title>T</title></head><body><p>Hello</p><script>evil()</script>World</body>"
    text = html_to_text(html)
    assert "Hello" in text and "World" in text
    assert "evil" not in text and "p{}" not in text


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_script_content_never_survives_html_extraction(payload: str) -> None:
    marker = "ZZSCRIPTZZ"
    text = html_to_text(f"<p>{payload.replace('<', ' ')}</p><script>{marker}</script>")
    assert marker not in text


@given(st.text(max_size=80))
def test_slugs_are_stable_iri_safe_and_idempotent(text: str) -> None:
    slug = slugify(text)
    assert slug and all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in slug)
    assert slugify(slug) == slug
