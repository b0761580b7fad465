"""Claim evaluation against the hand-annotated gold files in bench/gold/claims/.

    python bench/eval_claims.py            # all gold files
    python bench/eval_claims.py --verbose  # also list misses, wrong claimants and extra claims
    python bench/eval_claims.py --gold-dir bench/gold/claims-heldout   # the held-out file (never tuned on)

A system claim matches a gold claim when its evidence sentence overlaps the gold
evidence and its subject + predicate + object words overlap the gold ones with an F1
of at least 0.5 (each claim is matched at most once, best first). Reported: recall
(gold claims found with the correct claimant), claimant accuracy (over matched gold
claims) and precision (system claims that match a gold claim). A gold file may limit
itself to stretches of its text (``scope``: pairs of the first and last words of each
stretch); system claims whose evidence lies outside them are not scored.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from goldrun import ROOT, Tally, run

import kg

GOLD = ROOT / "bench" / "gold" / "claims"
MIN_F1 = 0.5


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def f1(a: list[str], b: list[str]) -> float:
    common = sum(min(a.count(w), b.count(w)) for w in set(a))
    if not common:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


@dataclass
class Score(Tally):
    gold: int = 0
    system: int = 0
    matched: int = 0
    right_claimant: int = 0

    def row(self) -> str:
        recall = self.right_claimant / self.gold if self.gold else 0.0
        accuracy = self.right_claimant / self.matched if self.matched else 0.0
        precision = self.matched / self.system if self.system else 0.0
        return (
            f"recall {recall:.3f}  claimant-acc {accuracy:.3f}  precision {precision:.3f}"
            f"  (gold {self.gold}, system {self.system}, matched {self.matched})"
        )


def evaluate(graph: kg.KnowledgeGraph, gold_file: Path, verbose: bool) -> Score:
    gold = tomllib.loads(gold_file.read_text(encoding="utf-8"))
    text = (ROOT / "sources" / f"{gold['doc']}.txt").read_text(encoding="utf-8")
    scope = [(text.index(first), text.index(last) + len(last)) for first, last in gold.get("scope", [])]
    system = [
        c
        for c in graph.claims()
        if c.doc_id == gold["doc"] and (not scope or any(a <= c.evidence.start < b for a, b in scope))
    ]
    names = {e.id: {e.label.casefold(), *(a.casefold() for a in e.alt_labels)} for e in graph.entities()}
    candidates = []
    for gi, g in enumerate(gold["claim"]):
        start = text.find(g["evidence"])
        end = start + len(g["evidence"])
        gwords = words(" ".join((g["subject"], g["predicate"], g["object"])))
        for si, c in enumerate(system):
            if c.evidence.start < end and start < c.evidence.end:
                score = f1(words(" ".join((c.subject, c.predicate, c.object))), gwords)
                if score >= MIN_F1:
                    candidates.append((score, gi, si))
    used_gold: dict[int, int] = {}
    used_system: set[int] = set()
    for _, gi, si in sorted(candidates, key=lambda x: (-x[0], x[1], x[2])):
        if gi not in used_gold and si not in used_system:
            used_gold[gi] = si
            used_system.add(si)
    score = Score(gold=len(gold["claim"]), system=len(system), matched=len(used_gold))
    wrong = []
    for gi, si in used_gold.items():
        claimant = gold["claim"][gi]["claimant"].casefold()
        if claimant in names.get(system[si].claimant, set()):
            score.right_claimant += 1
        else:
            wrong.append((gold["claim"][gi]["claimant"], graph.label(system[si].claimant), system[si].text[:70]))
    if verbose:
        for gi, g in enumerate(gold["claim"]):
            if gi not in used_gold:
                print(f"  MISSED  [{g['claimant']}] {g['subject']} | {g['predicate']} | {g['object'][:60]}")
        for w in wrong:
            print(f"  CLAIMANT gold={w[0]!r} system={w[1]!r}: {w[2]}")
        for si, c in enumerate(system):
            if si not in used_system:
                print(f"  EXTRA   [{graph.label(c.claimant)}] {c.subject} | {c.predicate} | {c.object[:60]}")
    return score


def main() -> int:
    return run(__doc__.split("\n")[0], GOLD, evaluate, Score())


if __name__ == "__main__":
    sys.exit(main())
