"""Per-module mutation score from mutmut's results in mutants/ (`make mutation` prints it).

Usage: .venv/bin/python scripts/mutation_report.py [--survivors]

A mutant counts as killed when a test failed on it, or it timed out (mutmut's own rule; the
timeouts are shown apart, since on a loaded machine a slow start can look like one).
"No tests" (no selected test calls the function) counts against the score, like a survivor:
it is code the selection does not check. "Not checked" means the run was stopped before it.
"""

import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {
    1: "killed",
    3: "killed",
    36: "timeout",
    24: "timeout",
    -24: "timeout",
    152: "timeout",
    255: "timeout",
}
SURVIVED = {0: "survived"}
NO_TESTS = {5: "no tests", 33: "no tests"}


def status(code: int | None) -> str:
    if code is None:
        return "not checked"
    for table in (KILLED, SURVIVED, NO_TESTS):
        if code in table:
            return table[code]
    return "suspicious"


def main(argv: list[str]) -> int:
    root = Path("mutants")
    metas = sorted(root.rglob("*.py.meta"))
    if not metas:
        print("no mutants/ results: run `make mutation` first")
        return 1
    totals: Counter[str] = Counter()
    survivors: list[str] = []
    print("| module | mutants | killed | of which timeout | survived | no tests | not checked | score |")
    print("|---|---|---|---|---|---|---|---|")
    for meta in metas:
        data = json.loads(meta.read_text())
        counts = Counter()
        for name, code in data["exit_code_by_key"].items():
            s = status(code)
            counts[s] += 1
            if s in ("survived", "no tests", "suspicious"):
                survivors.append(f"{s}: {name}")
        killed = counts["killed"] + counts["timeout"]
        checked = sum(counts.values()) - counts["not checked"]
        score = f"{100 * killed / checked:.1f} %" if checked else "-"
        module = str(meta.relative_to(root)).removesuffix(".meta")
        print(
            f"| `{module}` | {sum(counts.values())} | {killed} | {counts['timeout']} | "
            f"{counts['survived']} | {counts['no tests']} | {counts['not checked']} | {score} |"
        )
        totals.update(counts)
    killed = totals["killed"] + totals["timeout"]
    checked = sum(totals.values()) - totals["not checked"]
    score = f"{100 * killed / checked:.1f} %" if checked else "-"
    print(
        f"| **all** | {sum(totals.values())} | {killed} | {totals['timeout']} | {totals['survived']} | "
        f"{totals['no tests']} | "
        f"{totals['not checked']} | **{score}** |"
    )
    if "--survivors" in argv:
        print()
        print("\n".join(survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
