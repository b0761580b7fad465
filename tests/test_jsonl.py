"""JSON Lines corpora: one document per line, its own provenance, and bad lines named by file and line."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.cli import main
from kg.errors import SourceError
from kg.ingest import iter_sources, parse_jsonl_line, read_sources

ARXIV = {
    "arxiv_id": "1901.00001",
    "title": "Aligning agents",
    "authors": "A. Author, B. Author",
    "date": "2019-01-01",
    "abstract": "We argue that alignment is hard.",
}


def _write(path: Path, lines: list[str]) -> Path:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(data, mtime=0))
    else:
        path.write_bytes(data)
    return path


def test_a_list_of_text_fields_takes_the_first_each_record_has(tmp_path: Path) -> None:
    arxiv = _write(tmp_path / "arxiv.jsonl", [json.dumps(ARXIV)])
    news = _write(tmp_path / "news.jsonl", [json.dumps({"text": "The briefing said so.", "abstract": None})])
    docs = read_sources([arxiv, news], text_field="abstract,text")
    assert [d.text for d in docs] == [ARXIV["abstract"], "The briefing said so."]


def test_text_field_names_the_text_and_optional_fields_fill_the_metadata(tmp_path: Path) -> None:
    path = _write(tmp_path / "arxiv.jsonl.gz", [json.dumps(ARXIV)])
    (doc,) = read_sources([path], text_field="abstract")
    assert doc.text == ARXIV["abstract"]
    assert (doc.title, doc.date) == ("Aligning agents", "2019-01-01")
    assert doc.path == f"{path}#line=1"


def test_each_line_is_its_own_document_with_an_id_from_the_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "news.jsonl", [json.dumps({"text": f"Item {n}."}) for n in range(3)])
    docs = read_sources([path])
    assert [d.id for d in docs] == ["news-1", "news-2", "news-3"]
    assert [d.path for d in docs] == [f"{path}#line={n}" for n in (1, 2, 3)]
    assert len({d.sha256 for d in docs}) == 3


def test_an_id_field_names_the_document_so_it_survives_reordering(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "B/7", "text": "Bee."}), json.dumps({"id": 3, "text": "X."})]
    path = _write(tmp_path / "c.jsonl", lines)
    assert [d.id for d in read_sources([path])] == ["c-b-7", "c-3"]


def test_a_web_address_becomes_the_url_and_anything_else_does_not(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "One.", "source_url": "https://example.org/a"}),
        json.dumps({"text": "Two.", "source": "a printed leaflet"}),
    ]
    first, second = read_sources([_write(tmp_path / "s.jsonl", lines)])
    assert first.url == "https://example.org/a" and second.url is None


def test_blank_lines_are_not_documents(tmp_path: Path) -> None:
    path = _write(tmp_path / "b.jsonl", ["", json.dumps({"text": "Only one."}), "   "])
    assert [d.id for d in read_sources([path])] == ["b-2"]


def test_gzip_and_plain_files_give_the_same_documents(tmp_path: Path) -> None:
    lines = [json.dumps({"text": "Alpha beta.", "title": "A"}), json.dumps({"text": "Gamma.", "title": "G"})]
    (tmp_path / "p").mkdir()
    (tmp_path / "g").mkdir()
    plain = read_sources([_write(tmp_path / "p" / "x.jsonl", lines)])
    gz = read_sources([_write(tmp_path / "g" / "x.jsonl.gz", lines)])
    assert [(d.id, d.text, d.title, d.sha256) for d in plain] == [(d.id, d.text, d.title, d.sha256) for d in gz]


def test_folders_pick_up_json_lines_files(tmp_path: Path) -> None:
    _write(tmp_path / "a.jsonl", [json.dumps({"text": "A."})])
    (tmp_path / "b.txt").write_text("B.", encoding="utf-8")
    assert [d.id for d in read_sources([tmp_path])] == ["a-1", "b"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "unterminated', r"E108 .*bad\.jsonl:2: not valid JSON"),
        ('["text", "a list"]', r"E108 .*bad\.jsonl:2: a line must be a JSON object, not an array"),
        ('{"body": "x", "title": "t"}', r"E109 .*bad\.jsonl:2: no 'text' field \(fields: body, title\)"),
        ('{"text": 42}', r"E109 .*bad\.jsonl:2: field 'text' must be a string, not a number"),
        ('{"text": "   "}', r"E104 .*bad\.jsonl:2: field 'text' is empty"),
        ('{"text": "ok", "title": ["a"]}', r"E110 .*bad\.jsonl:2: field 'title' must be a string, not an array"),
    ],
)
def test_a_bad_line_stops_the_read_naming_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = _write(tmp_path / "bad.jsonl", [json.dumps({"text": "Fine."}), line])
    with pytest.raises(SourceError, match=message):
        read_sources([path])


def test_invalid_utf8_on_a_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    with pytest.raises(SourceError, match=r"E106 .*latin\.jsonl:2: not valid UTF-8"):
        read_sources([path])


def test_a_corrupt_gzip_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "a"}\n' * 100)[:40])
    with pytest.raises(SourceError, match=r"E103 .*broken\.jsonl\.gz: cannot read"):
        read_sources([path])


def test_a_file_without_documents_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"E104 .*no JSON Lines documents"):
        read_sources([_write(tmp_path / "e.jsonl", ["", ""])])


def test_documents_stream_one_at_a_time(tmp_path: Path) -> None:
    """The first document arrives before a bad line further down is even read."""
    path = _write(tmp_path / "s.jsonl", [json.dumps({"text": "First."}), "not json"])
    docs = iter_sources([path])
    assert next(docs).text == "First."
    with pytest.raises(SourceError, match=r"s\.jsonl:2"):
        next(docs)


def test_cli_reports_a_bad_line_in_one_line_with_exit_code_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "c.jsonl", [json.dumps({"abstract": "Fine."}), json.dumps({"title": "no text"})])
    assert main(["build", str(path), "--text-field", "abstract", "--out", str(tmp_path / "out")]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("acckg: error: E109") and "c.jsonl:2" in err[-1]
    assert not (tmp_path / "out").exists()


# Fields a record may carry besides those ingest reads (its text, id and metadata, which must be strings).
_READ_KEYS = {"text", "id", "title", "author", "date", "url", "source_url", "source", "licence", "license"}
_OTHER_KEYS = st.text(max_size=5).filter(lambda k: k not in _READ_KEYS)
_FIELD_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@given(
    text=_FIELD_TEXT.filter(str.strip),
    title=st.none() | _FIELD_TEXT.filter(str.strip),
    date=st.none() | _FIELD_TEXT,
    extra=st.dictionaries(_OTHER_KEYS, st.integers()),
    number=st.integers(min_value=1, max_value=10**6),
)
def test_a_written_record_parses_back_to_its_fields(
    text: str, title: str | None, date: str | None, extra: dict[str, int], number: int
) -> None:
    record: dict[str, object] = {**extra, "text": text}
    if title is not None:
        record["title"] = title
    if date is not None:
        record["date"] = date
    raw = json.dumps(record, ensure_ascii=False).encode("utf-8")
    doc = parse_jsonl_line(raw, path="dir/c.jsonl.gz", number=number)
    assert doc is not None
    assert doc.text == text and doc.date == date and doc.id == f"c-{number}"
    assert doc.path == f"dir/c.jsonl.gz#line={number}"
    if title is not None:
        assert doc.title == title


@given(st.binary(max_size=60))
def test_any_bytes_give_a_document_nothing_or_a_source_error(raw: bytes) -> None:
    try:
        doc = parse_jsonl_line(raw, path="f.jsonl", number=7)
    except SourceError as exc:
        assert str(exc).split()[1] == "f.jsonl:7:"
    else:
        assert doc is None or doc.text.strip()
