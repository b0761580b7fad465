"""Rewrite the golden files from the current code: python tests/golden/update.py"""

from pathlib import Path

import kg

HERE = Path(__file__).parent
SEED = HERE.parent.parent / "sources" / "import-ai-384.txt"

if __name__ == "__main__":
    graph = kg.build([SEED])
    rows = sorted(f"{e.type.value}\t{e.label}" for e in graph.entities() if e.mention_count)
    (HERE / "seed-entities.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} entities")
