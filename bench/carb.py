"""Score acckg's proposition extractor on the CaRB open-IE benchmark (dev split).

    python bench/carb.py                          # expects the benchmark at ../shared/bench/carb
    python bench/carb.py --carb-dir PATH --out carb-dev.tsv

The benchmark data are not shipped with acckg (their licence note asks us not to). This
script exports ``acckg propositions --format carb`` output for the dev sentences and
runs the benchmark's own scorer on it, in both the standard and the one-to-one variant.
Tune only on the dev split.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from kg.config import Settings
from kg.nlp.pipeline import load_pipeline
from kg.propositions import carb_rows, extract

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--carb-dir", type=Path, default=ROOT.parent / "shared" / "bench" / "carb")
    parser.add_argument("--out", type=Path, help="keep the exported extractions here")
    args = parser.parse_args()
    sentences = (args.carb_dir / "sentences" / "dev.txt").read_text(encoding="utf-8").splitlines()
    nlp = load_pipeline(Settings())
    rows = [row for sentence, props in extract(sentences, nlp) for row in carb_rows(sentence, props)]
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "acckg-dev.tsv"
        out.write_text("\n".join(rows) + "\n", encoding="utf-8")
        print(f"{len(rows)} extractions for {len(sentences)} sentences")
        for variant in ([], ["--one-to-one"]):
            cmd = [sys.executable, str(args.carb_dir / "score.py"), "--gold", str(args.carb_dir / "gold" / "dev.tsv")]
            subprocess.run([*cmd, "--system", str(out), *variant], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
