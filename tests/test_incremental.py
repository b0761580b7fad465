"""A rebuild derives only what changed (kg.incremental) and states what a build from scratch states."""

from __future__ import annotations

import hashlib
import tempfile
import weakref
from collections.abc import Sequence
from pathlib import Path
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.builder import Derived, Execution, derive
from kg.cache import AnalysisCache
from kg.config import Settings
from kg.delta import BuildState
from kg.model import DocAnalysis, EntityType, Mention, Modality, Polarity, RawClaim, RawMembership, SourceDoc, Span

# Names whose keys share a label's slug ("acme-labs"), whose forms vote on one label (Acme Labs,
# ACME LABS), one in the knowledge base (Nick Land) and a short form that is a key of its own.
NAMES = ["Acme Labs", "ACME LABS", "Acme-Labs", "Ann Lee", "Nick Land", "Land", "Bo Chen"]
TYPES = [EntityType.PERSON, EntityType.ORGANIZATION, EntityType.PLACE]
WORDS = ["humans", "future", "bright", "dim", "growth", "safe"]
AUTHORS = [None, "Ann Lee", "Cy Diaz"]

# A sentence: its speaker (a name and the NER's type for it, or None for the author's voice), a
# group the speaker belongs to, the words of its proposition and whether it is negated.
Sentence = tuple[tuple[str, EntityType] | None, str | None, list[str], bool]
Version = tuple[str | None, list[Sentence]]  # a document's author and sentences

sentence = st.tuples(
    st.one_of(st.none(), st.tuples(st.sampled_from(NAMES), st.sampled_from(TYPES))),
    st.one_of(st.none(), st.sampled_from(NAMES)),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=5),
    st.booleans(),
)
version = st.tuples(st.sampled_from(AUTHORS), st.lists(sentence, min_size=1, max_size=4))
corpus = st.dictionaries(st.integers(0, 5), version, max_size=6)  # some of six documents, each in a version


def analysed(doc_id: str, author: str | None, sentences: Sequence[Sentence]) -> DocAnalysis:
    """The analysis the NLP would make of the text these sentences spell out."""
    text = ""
    mentions: list[Mention] = []
    claims: list[RawClaim] = []
    members: list[RawMembership] = []
    for speaker, group, words, negated in sentences:
        start = len(text)
        claimant = None
        if speaker is not None:
            name, kind = speaker
            claimant = Span(start, start + len(name))
            mentions.append(Mention(claimant, name, f"nf:{name.lower()}", kind, "ner"))
            text += name
            if group is not None:
                text += " of "
                where = Span(len(text), len(text) + len(group))
                mentions.append(Mention(where, group, f"nf:{group.lower()}", EntityType.ORGANIZATION, "ner"))
                members.append(RawMembership(claimant, where, Span(start, where.end)))
                text += group
            text += f" ({kind.value}) says "  # the text decides the analysis, as it does in spaCy
        text += "not " if negated else ""
        proposition = Span(len(text), len(text) + len(" ".join(words)))
        text += " ".join(words) + ". "
        polarity = Polarity.NEGATIVE if negated else Polarity.POSITIVE
        kind_of_claimant = "explicit" if claimant else "author"
        claims.append(
            RawClaim(
                Span(start, len(text) - 1),
                " ".join(words),
                "",
                "",
                "",
                (),
                claimant,
                kind_of_claimant,
                polarity,
                Modality.ASSERTED,
                False,
                0.9,
                proposition,
            )
        )
    sha = hashlib.sha256(text.encode()).hexdigest()
    doc = SourceDoc(doc_id, f"{doc_id}.txt", text, sha, doc_id, author=author)
    return DocAnalysis(doc, tuple(mentions), tuple(claims), (), tuple(members))


def build(cache: Path, analyses: Sequence[DocAnalysis], previous: Derived | None = None) -> Derived:
    """Derives the corpus of ``analyses`` (put in the cache first, as the NLP would), from the
    ``previous`` build's state where given."""
    for analysis in analyses:
        AnalysisCache(cache, Settings(), "test").put(analysis)
    state = BuildState.loads(previous.state("setup").dumps()) if previous is not None else None  # as kept on disk
    memory = state.memory if state is not None else None
    docs = [a.doc for a in analyses]
    return derive(docs, Settings(), Execution(), "test", cache_dir=cache, previous=state, memory=memory)


def digests(derived: Derived) -> BuildState:
    state = derived.state("setup")
    return BuildState(state.setup, state.run, state.docs, state.entities)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(corpus, min_size=2, max_size=5))
def test_each_rebuild_states_what_a_build_from_scratch_states(corpora: list[dict[int, Version]]) -> None:
    # Any share of the corpus may change, and a word is common in three claims, so that words
    # cross the cap as documents come and go.
    with (
        tempfile.TemporaryDirectory() as tmp,
        patch("kg.attribute._MAX_SHARED", 2),
        patch("kg.builder.MAX_SHARE", float("inf")),
    ):
        previous = None
        for spec in corpora:
            analyses = [analysed(f"doc{i}", *spec[i]) for i in sorted(spec)]
            rebuilt = build(Path(tmp), analyses, previous)
            assert (previous is None) == (rebuilt.carried is None)  # a rebuild derived only part
            assert digests(rebuilt) == digests(build(Path(tmp), analyses))
            previous = rebuilt


def test_a_rebuild_reads_back_only_the_documents_it_may_change(tmp_path: Path) -> None:
    # Ten documents by ten authors, each naming its own person; an eleventh names one of them.
    analyses = [
        analysed(f"doc{i}", f"Author {i}", [((f"Person {i}", EntityType.PERSON), None, ["growth", str(i)], False)])
        for i in range(10)
    ]
    first = build(tmp_path, analyses)
    added = analysed("doc10", "Author 10", [(("Person 3", EntityType.PERSON), None, ["safe"], False)])
    read: list[str] = []
    real = AnalysisCache.get

    def counted(self: AnalysisCache, doc: SourceDoc) -> DocAnalysis | None:
        read.append(doc.id)
        return real(self, doc)

    with patch.object(AnalysisCache, "get", counted):
        rebuilt = build(tmp_path, [*analyses, added], first)
    # The new document (a cache hit), read to count its votes and again to state it (no analysis
    # is held in between), and none of the other ten.
    assert read == ["doc10", "doc10"]
    assert [d.id for d in rebuilt.docs] == ["doc10"]
    assert {e.label for e in rebuilt.resolution.entities} == {"Person 3", "Author 10"}


class _Tracked(DocAnalysis):
    __slots__ = ("__weakref__",)


def test_a_build_holds_one_analysis_at_a_time(tmp_path: Path) -> None:
    # A large corpus's analyses are gigabytes: each is counted as the cache gives it, and read
    # again to state it, never all of them at once.
    analyses = [analysed(f"doc{i}", f"Author {i % 3}", [((f"Person {i}", EntityType.PERSON), None, ["growth"], False)])
                for i in range(8)]  # fmt: skip
    alive: weakref.WeakSet[DocAnalysis] = weakref.WeakSet()
    most: list[int] = []
    real = AnalysisCache.get

    def tracked(self: AnalysisCache, doc: SourceDoc) -> DocAnalysis | None:
        most.append(len(alive))  # analyses still held by the build when it reads the next one
        found = real(self, doc)
        assert found is not None
        kept = _Tracked(found.doc, found.mentions, found.claims, found.sections, found.memberships)
        alive.add(kept)
        return kept

    with patch.object(AnalysisCache, "get", tracked):
        derived = build(tmp_path, analyses)
    assert max(most) <= 1 and len(most) == 2 * len(analyses)
    assert len(derived.claims) == len(analyses)


def test_a_rebuild_whose_previous_analyses_are_gone_derives_everything_again(tmp_path: Path) -> None:
    other = analysed("doc1", None, [(("Bo Chen", EntityType.PERSON), None, ["growth"], False)])
    first = build(
        tmp_path, [analysed("doc0", None, [(("Ann Lee", EntityType.PERSON), None, ["growth"], False)]), other]
    )
    for entry in tmp_path.rglob("*.pickle"):
        entry.unlink()  # the cache was cleared by hand: the old doc0 cannot be taken back out
    changed = analysed("doc0", None, [(("Ann Lee", EntityType.PERSON), None, ["safe"], False)])
    rebuilt = build(tmp_path, [changed, other], first)
    assert rebuilt.carried is None and [d.id for d in rebuilt.docs] == ["doc0", "doc1"]


def test_a_rebuild_that_changes_most_documents_derives_everything_again(tmp_path: Path) -> None:
    said = [
        analysed(f"doc{i}", None, [(("Ann Lee", EntityType.PERSON), None, [w], False)]) for i, w in enumerate(WORDS)
    ]
    first = build(tmp_path, said)
    unsaid = [analysed(a.doc.id, None, [(("Bo Chen", EntityType.PERSON), None, ["dim"], False)]) for a in said[:4]]
    rebuilt = build(tmp_path, [*unsaid, *said[4:]], first)
    assert rebuilt.carried is None  # four of six changed: more than half


def test_the_cache_gives_analyses_in_order_analysing_only_what_it_cannot_read(tmp_path: Path) -> None:
    a, b, c, d = (analysed(f"doc{i}", None, [(None, None, ["growth", str(i)], False)]) for i in range(4))
    cache = AnalysisCache(tmp_path, Settings(), "test")
    for hit in (a, b, c):
        cache.put(hit)
    cache._path(b.doc).write_bytes(b"not a pickle")
    asked: list[list[str]] = []

    def run(docs: Sequence[SourceDoc]) -> list[DocAnalysis]:
        asked.append([doc.id for doc in docs])
        return [{"doc1": b, "doc3": d}[doc.id] for doc in docs]

    given = cache.analyse([a.doc, b.doc, c.doc, d.doc], run)
    assert [x.doc.id for x in given] == ["doc0", "doc1", "doc2", "doc3"]
    assert asked == [["doc3"], ["doc1"]]  # the missing one batched, the unreadable one on its own
    assert cache.get(b.doc) == b and cache.get(d.doc) == d  # both written back
