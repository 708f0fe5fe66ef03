"""`python -m bench.load load|faults|smoke`: start the stack, drive it, print JSON lines.

load    200 users (LOAD_USERS), 2-10 s think time, LOAD_MINUTES (5), then a stepped run for the
        saturation point (LOAD_STEPS="users,seconds;...", faster think time LOAD_STEP_THINK).
faults  the same load for LOAD_MINUTES (3) while the worker is killed during an import and a risk
        recompute and PostgreSQL is restarted; `fault.*` lines.
smoke   faults at CI size: 1,000 facilities, 20 users, a minute, one database restart and one
        worker kill during an import.
Exits non-zero when a request failed outside the outage window or a fault check failed.
"""

import json
import os
import random
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

MODE = sys.argv[1] if len(sys.argv) > 1 else "load"
if MODE == "smoke":
    # Before bench.load.stack reads them.
    os.environ.setdefault("LOAD_FACILITIES", "1000")
    os.environ.setdefault("LOAD_USERS", "20")
    os.environ.setdefault("LOAD_MINUTES", "1")
    os.environ.setdefault("LOAD_IMPORT_ROWS", "5000")

from bench.load import faults, results, stack  # noqa: E402

USERS = int(os.environ.get("LOAD_USERS", "200"))
MINUTES = float(os.environ.get("LOAD_MINUTES", "3" if MODE == "faults" else "5"))
IMPORT_ROWS = int(os.environ.get("LOAD_IMPORT_ROWS", str(max(2000, stack.FACILITIES // 5))))


def locust(
    name: str, users: int, seconds: float, think: str, steps: str = ""
) -> tuple[Path, float]:
    """One headless Locust run; the request log's path and Locust's CPU seconds (it shares the
    cores with the app, so its share says how much of the machine the app really had)."""
    log = stack.VAR / f"{name}.requests.tsv"
    log.unlink(missing_ok=True)
    env = {
        **os.environ,
        "LOAD_USERS_FILE": str(stack.VAR / "users.json"),
        "LOAD_REQUEST_LOG": str(log),
        "LOAD_THINK": think,
        "LOAD_STEPS": steps,
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    args = [
        str(Path(sys.executable).parent / "locust"),
        "-f", str(Path(__file__).parent / "locustfile.py"),
        "--headless", "--only-summary", "--host", stack.HOST,  # never anything but 127.0.0.1
        "--users", str(users), "--spawn-rate", str(max(1, users / 20)),
        "--run-time", f"{int(seconds)}s", "--stop-timeout", "10", "--loglevel", "WARNING",
        "--exit-code-on-error", "0",
    ]  # fmt: skip
    with (stack.VAR / f"{name}.locust.log").open("w") as out:
        # Its own session: Locust's shutdown signals stay within it.
        subprocess.run(
            args, env=env, check=True, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return log, cpu


def context(users: int) -> dict[str, object]:
    return {
        "users": users,
        "facilities": stack.FACILITIES,
        "gunicorn_workers": stack.GUNICORN_WORKERS,
    }


def cpu_line(cpu: float, seconds: float, users: int) -> None:
    cores = os.cpu_count() or 1
    results.emit(
        "load.locust_cpu_share", cpu / seconds, "cores",
        machine_share=round(cpu / seconds / cores, 3), cpu_s=round(cpu, 1), **context(users),
    )  # fmt: skip


def import_line(job_id: int, tag: str) -> None:
    status, written = faults.import_state(job_id, tag)
    (seconds,) = stack.sql(
        "SELECT EXTRACT(EPOCH FROM finished_at - created_at) FROM supplychain_importjob"
        " WHERE id = %s",
        [job_id],
    )[0]
    results.emit(
        "load.import_rows", written, "rows", status=status, of=IMPORT_ROWS,
        note="one supplier list imported by the task worker during the run",
        finished=seconds is not None,
        seconds=None if seconds is None else round(float(seconds), 1), **context(USERS),
    )  # fmt: skip


def run_load(app: stack.App, people: dict) -> int:
    job_id, tag = faults.start_import(people, IMPORT_ROWS)
    seconds = MINUTES * 60
    log, cpu = locust("load", USERS, seconds, os.environ.get("LOAD_THINK", "2,10"))
    errors = results.summary(results.read(log), seconds, context(USERS))
    cpu_line(cpu, seconds, USERS)
    import_line(job_id, tag)
    # The stepped run: the same mix, quicker think time, more users each step.
    step_seconds = int(os.environ.get("LOAD_STEP_SECONDS", "60"))
    # From a twentieth of the users up: at 200 users the machine is saturated long before the
    # last step, and the point sought lies in the first ones.
    default = ";".join(f"{max(1, USERS * k // 20)},{step_seconds}" for k in (1, 2, 3, 4, 6))
    plan = [
        tuple(int(x) for x in s.split(","))
        for s in os.environ.get("LOAD_STEPS", default).split(";")
    ]
    total = sum(s for _u, s in plan)
    start = time.time()
    log, cpu = locust(
        "steps",
        max(u for u, _s in plan),
        total,
        os.environ.get("LOAD_STEP_THINK", "0.5,2"),
        ";".join(f"{u},{s}" for u, s in plan),
    )
    results.steps(results.read(log), start, plan, context(USERS))  # type: ignore[arg-type]
    cpu_line(cpu, total, max(u for u, _s in plan))
    return errors


def run_faults(app: stack.App, people: dict, smoke: bool) -> int:
    checks = faults.Checks()
    seconds = MINUTES * 60
    done: dict[str, object] = {}
    thread = threading.Thread(
        target=lambda: done.update(
            zip(
                ("log", "cpu"),
                locust("faults", USERS, seconds, os.environ.get("LOAD_THINK", "2,10")),
                strict=True,
            )
        )
    )
    thread.start()
    # The database restart first, while every simulated user is active; the worker kills after.
    time.sleep(min(20, seconds / 3))
    window = faults.restart_database(app, people, checks)
    faults.kill_during_import(app, people, IMPORT_ROWS, checks)
    if not smoke:
        faults.kill_during_recompute(app, people, checks)
    thread.join()
    requests = results.read(done["log"])  # type: ignore[arg-type]
    # Requests that were in flight as the database went: a few seconds either side.
    window = (window[0] - 1, window[1] + 2)
    faults.outage_requests(requests, checks, window)
    errors = results.summary(
        results.outside(requests, [window]), seconds, {**context(USERS), "outside_outage": True}
    )
    cpu_line(done["cpu"], seconds, USERS)  # type: ignore[arg-type]
    faults.nothing_lost(checks)
    if errors:
        checks.failed.append("errors outside the outage window")
    results.emit("fault.failed_checks", len(checks.failed), "checks", failed=checks.failed)
    return len(checks.failed)


def main() -> int:
    random.seed(1)
    stack.prepare()
    people = json.loads((stack.VAR / "users.json").read_text())
    app = stack.App()
    try:
        app.start_gunicorn()
        app.start_worker()
        if MODE == "load":
            return 1 if run_load(app, people) else 0
        return 1 if run_faults(app, people, smoke=MODE == "smoke") else 0
    finally:
        app.stop()
        if os.environ.get("LOAD_KEEP_DB") != "1":
            stack.pg("stop")


sys.exit(main())
