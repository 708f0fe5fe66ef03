"""Mutation testing of the pure modules: `make mutation` (long, so not in CI).

Runs mutmut afresh (settings in pyproject's [tool.mutmut]) and prints, for each mutated module,
the share of mutants the tests kill, then the survivors to look at with `mutmut show NAME`.
A timeout counts as killed; a mutant that no selected test runs counts as survived.
"""

import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

MUTMUT = Path(sys.executable).with_name("mutmut")
KILLED = {"killed", "timeout", "caught by type check"}
SURVIVED = {"survived", "no tests"}


def modules() -> list[str]:
    config = tomllib.loads(Path("pyproject.toml").read_text())["tool"]["mutmut"]
    return [path.removesuffix(".py").replace("/", ".") for path in config["only_mutate"]]


def module_of(mutant: str, names: list[str]) -> str:
    return next(name for name in names if mutant.startswith(name + "."))


def main() -> int:
    # Cached verdicts in mutants/ outlive changes to the tests: start from nothing.
    shutil.rmtree("mutants", ignore_errors=True)
    started = time.monotonic()
    subprocess.run([MUTMUT, "run"], check=True, stdout=subprocess.DEVNULL)
    elapsed = time.monotonic() - started
    listed = subprocess.run(
        [MUTMUT, "results", "--all", "true"], check=True, capture_output=True, text=True
    ).stdout
    names = modules()
    counts = {name: Counter[str]() for name in names}
    survivors: list[str] = []
    for line in listed.splitlines():
        mutant, _sep, status = line.strip().rpartition(": ")
        counts[module_of(mutant, names)][status] += 1
        if status not in KILLED:
            survivors.append(f"{mutant}: {status}")
    print(f"mutmut ran in {elapsed / 60:.1f} min")
    for name, by_status in counts.items():
        killed = sum(by_status[s] for s in KILLED)
        judged = killed + sum(by_status[s] for s in SURVIVED)
        other = {s: n for s, n in by_status.items() if s not in KILLED | SURVIVED}
        rate = 100 * killed / judged if judged else 0.0
        print(f"{name}: {killed}/{judged} killed ({rate:.1f} %)" + (f", {other}" if other else ""))
    print("\nsurvivors:" if survivors else "\nno survivors")
    print("\n".join(survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
