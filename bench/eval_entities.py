"""Entity evaluation against the hand-annotated gold files in bench/gold/entities/.

    python bench/eval_entities.py            # all gold files
    python bench/eval_entities.py --verbose  # also list misses and false positives

For each gold document the system's entities are those with a mention in it. A system
entity matches a gold entity when one of its surface forms in that document equals one
of the gold forms (case, apostrophes and possessives folded). Reported per document and
overall: precision (system entities matching a required or optional gold entity),
recall (required gold entities matched), duplicate rate (matched gold entities split
over more than one node) and type accuracy (matched pairs with the gold type).
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from goldrun import ROOT, Tally, run
from rdflib.namespace import RDF, RDFS

import kg
from kg.kb import form_key
from kg.vocab import ACC, CLASS_TYPE, OA

GOLD = ROOT / "bench" / "gold" / "entities"


def norm(text: str) -> str:
    return re.sub(r"'s$", "", form_key(text)).strip(" \"'.,;:")


@dataclass
class Score(Tally):
    system: int = 0
    correct: int = 0
    gold: int = 0
    found: int = 0
    duplicated: int = 0
    typed: int = 0
    pairs: int = 0

    def row(self) -> str:
        p = self.correct / self.system if self.system else 0.0
        r = self.found / self.gold if self.gold else 0.0
        d = self.duplicated / self.found if self.found else 0.0
        t = self.typed / self.pairs if self.pairs else 0.0
        return f"P {p:.3f}  R {r:.3f}  dup {d:.3f}  type-acc {t:.3f}  (system {self.system}, gold {self.gold})"


def system_entities(graph: kg.KnowledgeGraph, doc_id: str) -> dict[str, tuple[set[str], str]]:
    ds = graph.dataset
    doc_iri = next(d for d in ds.subjects(RDF.type, ACC.Document) if str(d).endswith(f"/doc/{doc_id}"))
    found: dict[str, tuple[set[str], str]] = {}
    for m in ds.subjects(ACC.inDocument, doc_iri):
        if (m, RDF.type, ACC.Mention) not in ds:
            continue
        entity = ds.value(m, ACC.denotes)
        kind = next(CLASS_TYPE[c].value for c in ds.objects(entity, RDF.type) if c in CLASS_TYPE)
        forms, _ = found.setdefault(str(entity), (set(), kind))
        forms.add(norm(str(ds.value(m, OA.exact))))
        forms.add(norm(str(ds.value(entity, RDFS.label))))
    return found


def evaluate(graph: kg.KnowledgeGraph, gold_file: Path, verbose: bool) -> Score:
    gold = tomllib.loads(gold_file.read_text(encoding="utf-8"))
    required = [(g["label"], g["type"], {norm(f) for f in g["forms"]} | {norm(g["label"])}) for g in gold["entity"]]
    optional = [{norm(f) for f in g["forms"]} | {norm(g["label"])} for g in gold.get("optional", [])]
    system = system_entities(graph, gold["doc"])
    score = Score(system=len(system), gold=len(required))
    matched: dict[str, list[str]] = defaultdict(list)
    false_positives = []
    for iri, (forms, kind) in sorted(system.items()):
        hits = [(label, gtype) for label, gtype, gforms in required if forms & gforms]
        if hits or any(forms & o for o in optional):
            score.correct += 1
        else:
            false_positives.append(sorted(forms)[0])
        for label, gtype in hits:
            matched[label].append(iri)
            score.pairs += 1
            score.typed += kind == gtype
    score.found = len(matched)
    score.duplicated = sum(len(v) > 1 for v in matched.values())
    if verbose:
        missed = [label for label, _, _ in required if label not in matched]
        print(f"  missed: {missed}\n  false positives: {false_positives}")
        print(f"  split: {[k for k, v in matched.items() if len(v) > 1]}")
        wrong = [
            (label, gtype, system[iri][1])
            for label, gtype, _ in required
            for iri in matched.get(label, [])
            if system[iri][1] != gtype
        ]
        print(f"  wrong type: {wrong}")
    return score


def main() -> int:
    return run(__doc__.split("\n")[0], GOLD, evaluate, Score())


if __name__ == "__main__":
    sys.exit(main())
