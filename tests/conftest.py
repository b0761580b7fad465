"""Shared fixtures: the real pipeline is loaded once per session (it takes a few seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

import kg
from kg.config import Settings
from kg.nlp.pipeline import load_pipeline

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sources" / "import-ai-384.txt"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline(Settings())


@pytest.fixture(scope="session")
def seed_graph() -> kg.KnowledgeGraph:
    return kg.build([SEED])
