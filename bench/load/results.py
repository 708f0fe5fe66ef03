"""The figures of a run, as JSON lines, from the request log the locustfile writes.

Computed here rather than read from Locust's own summary because a request must be judged by
when it ran: a clean 503 while the database is down is expected, the same 503 a minute later is
an error, and a stepped run is read step by step.
"""

import json
import statistics
from dataclasses import dataclass
from pathlib import Path

TARGET_P95_MS = 300.0


@dataclass(frozen=True)
class Request:
    end: float  # epoch seconds when the answer came
    name: str
    status: int  # 0: no answer (connection refused or reset)
    ms: float
    content_type: str
    error: str

    @property
    def start(self) -> float:
        return self.end - self.ms / 1000

    @property
    def failed(self) -> bool:
        return self.status == 0 or self.status >= 400


def read(path: Path) -> list[Request]:
    found = []
    for line in path.read_text().splitlines():
        end, name, status, ms, content_type, error = [*line.split("\t"), "", ""][:6]
        found.append(Request(float(end), name, int(status), float(ms), content_type, error))
    return found


def outside(requests: list[Request], windows: list[tuple[float, float]]) -> list[Request]:
    return [r for r in requests if not any(r.start < b and r.end > a for a, b in windows)]


def inside(requests: list[Request], windows: list[tuple[float, float]]) -> list[Request]:
    return [r for r in requests if any(r.start < b and r.end > a for a, b in windows)]


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def emit(name: str, value: float, unit: str, **extra: object) -> None:
    print(json.dumps({"name": name, "value": round(value, 3), "unit": unit, **extra}), flush=True)


def summary(
    requests: list[Request], seconds: float, context: dict[str, object], prefix: str = "load"
) -> int:
    """p95, p99, rate and errors per kind of request and overall; returns the error count."""
    kinds = sorted({r.name for r in requests})
    errors_total = 0
    for kind in [*kinds, "all"]:
        chosen = requests if kind == "all" else [r for r in requests if r.name == kind]
        times = [r.ms for r in chosen if not r.failed]
        errors = [r for r in chosen if r.failed]
        if kind == "all":
            errors_total = len(errors)
        base = {"kind": kind, "n": len(chosen), **context}
        p95 = percentile(times, 95)
        emit(f"{prefix}.p95_ms", p95, "ms", target=f"< {TARGET_P95_MS:.0f} ms", **base)
        emit(f"{prefix}.p99_ms", percentile(times, 99), "ms", **base)
        emit(f"{prefix}.rps", len(chosen) / seconds if seconds else 0, "requests/s", **base)
        statuses = sorted({f"{r.status or r.error}" for r in errors})
        emit(f"{prefix}.errors", len(errors), "requests", target="0", statuses=statuses, **base)
    return errors_total


def steps(
    requests: list[Request], start: float, plan: list[tuple[int, int]], context: dict[str, object]
) -> float:
    """Each step's rate and p95, leaving out its first 10 s while users are still arriving;
    returns the saturation point: the highest rate whose p95 met the target without errors."""
    best, edge = 0.0, start
    for users, seconds in plan:
        a, b = edge + min(10, seconds / 3), edge + seconds
        edge = b
        chosen = [r for r in requests if a <= r.end < b]
        ok = [r.ms for r in chosen if not r.failed]
        rate = len(chosen) / (b - a)
        p95 = percentile(ok, 95)
        errors = len(chosen) - len(ok)
        emit(
            "load.step", rate, "requests/s", **{**context, "users": users}, p95_ms=round(p95, 1),
            p99_ms=round(percentile(ok, 99), 1), errors=errors, n=len(chosen),
        )  # fmt: skip
        if p95 < TARGET_P95_MS and errors == 0 and chosen:
            best = max(best, rate)
    emit(
        "load.saturation_rps", best, "requests/s",
        target=f"highest step rate with p95 < {TARGET_P95_MS:.0f} ms and no errors", **context,
    )  # fmt: skip
    return best
