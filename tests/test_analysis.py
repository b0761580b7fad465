"""Graph analysis on tiny graphs whose answers are known by hand, and on the seed."""

from __future__ import annotations

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

import kg
from kg import analysis
from kg.analysis import centrality, communities, shortest_path


def test_centrality_is_weighted_degree_scaled_to_the_hub() -> None:
    g = nx.Graph()
    g.add_edge("hub", "a", weight=2)
    g.add_edge("hub", "b", weight=2)
    g.add_edge("a", "b", weight=1)
    assert centrality(g) == {"hub": 1.0, "a": 0.75, "b": 0.75}
    assert list(centrality(g, top=1)) == ["hub"]


def test_two_cliques_joined_by_one_edge_are_two_communities() -> None:
    g = nx.Graph()
    g.add_edges_from(nx.complete_graph(["a", "b", "c", "d"]).edges, weight=1)
    g.add_edges_from(nx.complete_graph(["w", "x", "y", "z"]).edges, weight=1)
    g.add_edge("d", "w", weight=1)
    found = communities(g)
    assert found["a"] == found["d"] != found["w"] == found["z"]


def test_shortest_path_is_empty_when_unconnected() -> None:
    g = nx.Graph([("a", "b")])
    g.add_node("c")
    assert shortest_path(g, "a", "b") == ["a", "b"]
    assert shortest_path(g, "a", "c") == []
    assert shortest_path(g, "a", "missing") == []


def test_seed_graph_links_land_to_capitalism(seed_graph: kg.KnowledgeGraph) -> None:
    path = seed_graph.path("Nick Land", "capitalism")
    assert path[0] == "Nick Land" and path[-1] == "capitalism"
    summary = seed_graph.summary(top=5)
    assert summary.documents == 1 and "Nick Land" in [label for label, _ in summary.top_entities]


@given(
    st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 5), min_size=1),
    st.dictionaries(st.tuples(st.sampled_from("abcdefg"), st.sampled_from("abcdefg")), st.integers(1, 4)),
    st.sets(st.sampled_from("abcdefg")),
)
def test_the_saved_entity_graph_gives_the_degrees_and_subgraphs_of_the_graph_it_stands_for(
    mentions: dict[str, int], pairs: dict[tuple[str, str], int], ids: set[str]
) -> None:
    from collections import Counter

    from kg.entitygraph import EntityLinks

    # Edges as saved: the smaller id first, no loops; some end at an entity the graph lacks ("g").
    links = EntityLinks(
        {e: (e.upper(), "Person", n) for e, n in mentions.items()},
        Counter({(a, b): w for (a, b), w in pairs.items() if a < b}),
        {},
        0,
    )
    whole = links.to_networkx()
    assert analysis.ranked(links.degrees) == analysis.centrality(whole)
    sub, expected = links.subgraph(ids), analysis.induced(whole, ids)
    assert list(sub.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(sub.edges(data=True)) == list(expected.edges(data=True))


# A document's claims: claim name -> (claimant, the entities it is about); "doc:x" is a document.
_DOC_CLAIMS = st.dictionaries(
    st.sampled_from("xyz"), st.tuples(st.sampled_from(["a", "b", "c", "doc:x"]), st.sets(st.sampled_from("abc")))
)
Docs = dict[str, dict[str, tuple[str, set[str]]]]


@given(
    st.dictionaries(st.sampled_from("pq"), _DOC_CLAIMS),
    st.dictionaries(st.sampled_from("rs"), _DOC_CLAIMS),
    st.dictionaries(st.sampled_from("rs"), _DOC_CLAIMS),
)
def test_exchanging_the_claims_of_replaced_documents_gives_the_claims_of_a_whole_build(
    kept: Docs, before: Docs, after: Docs
) -> None:
    from collections import Counter

    from kg.entitygraph import EntityLinks, Part, claims_touching

    def claims(docs: Docs) -> list[tuple[str, str, set[str]]]:  # claim ids name their document, as kg.attribute's
        return [(f"{doc}-{name}", who, about) for doc, held in docs.items() for name, (who, about) in held.items()]

    def part(docs: Docs) -> Part:
        return Part(Counter(), claims_touching(claims(docs)), len(claims(docs)))

    old = EntityLinks.of({}, part(kept | before))  # then r and s are changed, added or removed
    new = old.updated(gone=(), nodes={}, removed=part(before), added=part(after))
    whole = EntityLinks.of({}, part(kept | after))
    assert new.claims == whole.claims and new.claim_count == whole.claim_count
    pool = {"a", "b"}
    expected = {c: len(({who} | about) & pool) for c, who, about in claims(kept | after)}
    assert new.touches(pool) == Counter({c: n for c, n in expected.items() if n})
