#!/usr/bin/env python
"""Summarise the last mutmut run per module: killed, survived, timeout, no tests; then list the survivors.

Reads `mutmut results --all true` (run from the project root, after `mutmut run`) and prints a
Markdown table, the figures docs/mutation.md quotes. `--diffs` adds each survivor's diff.

    make mutation                  # runs mutmut, then this
    .venv/bin/python scripts/mutation_report.py --diffs
"""
import argparse
import configparser
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).with_name("mutmut")
# mutmut's statuses, in the columns of the table ("no tests": no selected test runs the mutated function).
COLUMNS = ["killed", "survived", "timeout", "no tests", "suspicious", "skipped", "segfault"]
LINE = re.compile(r"^\s*(?P<name>\S+__mutmut_\d+): (?P<status>.+)$")


def modules() -> list[str]:
    """The dotted names of the mutated files, longest first (so a package never swallows its module)."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    paths = [p for p in config.get("mutmut", "source_paths").split("\n") if p.strip()]
    return sorted((p.strip().removesuffix(".py").replace("/", ".") for p in paths), key=len, reverse=True)


def module_of(name: str, known: list[str]) -> str:
    return next((m for m in known if name.startswith(m + ".")), name.rsplit(".", 1)[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--diffs", action="store_true", help="print each survivor's diff (mutmut show)")
    args = parser.parse_args()
    output = subprocess.run([str(MUTMUT), "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout
    known = modules()
    counts, survivors = defaultdict(Counter), []
    for line in output.splitlines():
        match = LINE.match(line)
        if not match:
            continue
        name, status = match["name"], match["status"].strip()
        counts[module_of(name, known)][status] += 1
        if status in ("survived", "no tests"):
            survivors.append((name, status))
    if not counts:
        print("No mutmut results: run `make mutation` first.", file=sys.stderr)
        return 1
    columns = [c for c in COLUMNS if any(c in counter for counter in counts.values())]
    columns += sorted({s for counter in counts.values() for s in counter} - set(columns))
    print("| module | mutants | " + " | ".join(columns) + " | score |")
    print("|---|---:|" + "---:|" * len(columns) + "---:|")
    total = Counter()
    for module in sorted(counts):
        counter = counts[module]
        total.update(counter)
        print(_row(module, counter, columns))
    print(_row("**all**", total, columns))
    print()
    for name, status in survivors:
        print(f"- {status}: `{name}`")
        if args.diffs:
            diff = subprocess.run([str(MUTMUT), "show", name], cwd=ROOT, capture_output=True, text=True).stdout
            print("\n```diff\n" + diff.strip() + "\n```\n")
    return 0


def _row(module, counter, columns) -> str:
    mutants = sum(counter.values())
    tested = mutants - counter["no tests"]
    # The score counts a timeout as killed (the mutant did not pass) over the mutants some test runs.
    score = f"{100 * (counter['killed'] + counter['timeout']) / tested:.0f} %" if tested else "–"
    return f"| {module} | {mutants} | " + " | ".join(str(counter[c]) for c in columns) + f" | {score} |"


if __name__ == "__main__":
    sys.exit(main())
