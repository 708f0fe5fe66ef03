"""Faults injected while the load runs, and what is checked after each.

- The task worker killed (kill -9) in the middle of an import and of a risk recompute: the import
  is whole or absent (rows counted), it finishes once a worker is back, and no task stays
  "running" or queued for ever.
- PostgreSQL stopped and started again: pages answer a clean 503 (HTML for pages, JSON for the
  API) while it is down, never a 500, and serve again within seconds of its return, gunicorn
  untouched.
Each check prints one `fault.*` line with "ok"; a failed check makes the run exit non-zero.
"""

import json
import os
import time
import urllib.error
import urllib.request
import uuid

from bench.load import stack
from bench.load.results import emit

RECOVERY_TARGET_S = float(os.environ.get("LOAD_RECOVERY_TARGET_S", "10"))
OUTAGE_S = float(os.environ.get("LOAD_OUTAGE_S", "8"))
TASK_WAIT_S = float(os.environ.get("LOAD_TASK_WAIT_S", "180"))


class Checks:
    def __init__(self) -> None:
        self.failed: list[str] = []

    def report(self, name: str, ok: bool | None, **facts: object) -> None:
        """ok None: not checked this time (the fault could not be placed), said so plainly."""
        if ok is False:
            self.failed.append(name)
        line = {"name": f"fault.{name}", "ok": ok, **facts}
        print(json.dumps(line, ensure_ascii=False, default=str), flush=True)


def _get(path: str, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(stack.HOST + path, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type()
    except OSError:
        return 0, ""


def _post_import(token: str, org: str, rows: int, tag: str) -> int:
    """A supplier list of new facilities through the API, as a buyer's script would send it."""
    lines = ["ref,kind,name_zh,name_en,province,city,workers"]
    lines += [
        f"F{tag}{i},processor,故障测试{tag}石材厂{i},Fault Import {tag} Factory {i},"
        f"四川省,成都市,{10 + i % 200}"
        for i in range(rows)
    ]
    body, boundary = "\n".join(lines).encode(), uuid.uuid4().hex
    data = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nfacilities\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="list.csv"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + body
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(  # noqa: S310
        f"{stack.HOST}/api/organisations/{org}/imports",
        data=data,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return json.load(response)["id"]


def start_import(people: dict, rows: int) -> tuple[int, str]:
    tag = uuid.uuid4().hex[:6]
    return _post_import(people["import_token"], people["import_org"], rows, tag), tag


def import_state(job_id: int, tag: str) -> tuple[str, int]:
    status = stack.sql("SELECT status FROM supplychain_importjob WHERE id = %s", [job_id])[0][0]
    written = stack.sql(
        "SELECT count(*) FROM supplychain_facility WHERE name_en LIKE %s", [f"Fault Import {tag} %"]
    )[0][0]
    return status, written


def _wait(predicate, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def kill_during_import(app: stack.App, people: dict, rows: int, checks: Checks) -> None:
    job_id, tag = start_import(people, rows)
    running = _wait(lambda: import_state(job_id, tag)[0] == "running", 120)
    time.sleep(0.3)  # into the writing, not at its first instant
    app.kill_worker()
    status_at_kill, written_at_kill = import_state(job_id, tag)
    app.start_worker()
    restarted = time.monotonic()
    finished = _wait(
        lambda: import_state(job_id, tag)[0] in ("done", "failed", "needs_review"), TASK_WAIT_S, 0.5
    )
    waited = time.monotonic() - restarted
    status, written = import_state(job_id, tag)
    whole = (
        written_at_kill in (0, rows)
        and written in (0, rows)
        and (status != "done" or written == rows)
    )
    checks.report(
        "import_never_half_written",
        whole if running else None,
        rows=rows, status_when_killed=status_at_kill, rows_when_killed=written_at_kill,
        status_after=status, rows_after=written,
    )  # fmt: skip
    checks.report(
        "import_finished_after_worker_restart",
        finished if running else None,
        status=status,
        waited_s=round(waited, 1),
        limit_s=TASK_WAIT_S,
        note="done, or failed with nothing written; not left running",
    )


def kill_during_recompute(app: stack.App, people: dict, checks: Checks) -> None:
    org_id = people["scale_org_id"]
    before = stack.sql(
        "SELECT computed_at FROM risk_scorestate WHERE organisation_id = %s", [org_id]
    )
    stack.manage(
        "shell", "-c",
        "from stonebridge.risk.tasks import recompute_organisation as t;"
        f"t.enqueue(organisation_id={org_id})",
        quiet=True,
    )  # fmt: skip
    task = "stonebridge.risk.tasks.recompute_organisation"

    def state() -> list[tuple]:
        return stack.sql(
            "SELECT id, status FROM django_tasks_database_dbtaskresult WHERE task_path = %s "
            "ORDER BY enqueued_at DESC LIMIT 1",
            [task],
        )

    running = _wait(lambda: state()[0][1] == "RUNNING", 60)
    time.sleep(0.5)
    caught = state()[0][1] == "RUNNING"
    app.kill_worker()
    app.start_worker()
    done = _wait(lambda: state()[0][1] in ("SUCCESSFUL", "FAILED"), TASK_WAIT_S, 0.5)
    after = stack.sql(
        "SELECT computed_at FROM risk_scorestate WHERE organisation_id = %s", [org_id]
    )
    checks.report(
        "recompute_rerun_after_worker_kill",
        (done and state()[0][1] == "SUCCESSFUL") if running and caught else None,
        task_status=state()[0][1],
        killed_while_running=running and caught,
        scores_computed_before=before[0][0] if before else None,
        scores_computed_after=after[0][0] if after else None,
    )


def restart_database(app: stack.App, people: dict, checks: Checks) -> tuple[float, float]:
    """Stop the cluster, probe the app while it is down, start it, time the app's return.
    Returns the outage window (epoch seconds) to leave out of the error count."""
    page = {"Cookie": f"sessionid={people['buyers'][-1]['session']}"}
    api = {"Authorization": f"Bearer {people['api'][-1]['token']}"}
    register = f"/o/{people['scale']}/risks/"
    facilities = f"/api/organisations/{people['scale']}/facilities"
    gunicorn = app.gunicorn
    begin = time.time()
    stack.pg("stop")
    time.sleep(1)
    probes = [_get(register, page), _get(facilities, api), _get(register, page)]
    time.sleep(max(0, OUTAGE_S - 1))
    stack.pg("start")
    back = time.time()
    recovered = _wait(lambda: _get(register, page)[0] == 200, 60, 0.2)
    recovery_s = time.time() - back
    end = time.time()
    clean = probes[0] == (503, "text/html") and probes[1] == (503, "application/json")
    checks.report(
        "outage_answers_503",
        clean,
        probes=[{"status": s, "type": t} for s, t in probes],
        expected="503 text/html for pages, 503 application/json for the API",
    )
    checks.report(
        "serves_again_after_database_returns",
        recovered and recovery_s <= RECOVERY_TARGET_S,
        seconds=round(recovery_s, 2),
        target_s=RECOVERY_TARGET_S,
        gunicorn_untouched=gunicorn is not None and gunicorn.poll() is None,
    )  # fmt: skip
    alive = app.worker_alive()
    checks.report(
        "worker_survives_database_restart",
        None,
        alive=alive,
        note="informational; a dead worker is started again, as a supervisor would",
    )
    if not alive:
        app.start_worker()
    return begin, end


def outage_requests(requests, checks: Checks, window: tuple[float, float]) -> None:
    """Requests of the load run that overlapped the outage: 503s are clean, 500s or dropped
    connections are not."""
    from bench.load.results import inside

    during = inside(requests, [window])
    unclean = [r for r in during if r.status == 0 or r.status == 500 or r.status == 502]
    checks.report(
        "outage_requests_fail_cleanly",
        not unclean,
        during=len(during),
        answered_503=sum(r.status == 503 for r in during),
        unclean=len(unclean),
        unclean_statuses=sorted({r.status or r.error for r in unclean}),
        window_s=round(window[1] - window[0], 1),
    )


def nothing_lost(checks: Checks) -> None:
    """Every task eventually leaves READY and RUNNING once the worker has had time."""
    stuck = lambda: stack.sql(  # noqa: E731
        "SELECT task_path, status FROM django_tasks_database_dbtaskresult "
        "WHERE status IN ('READY', 'RUNNING')"
    )
    _wait(lambda: not stuck(), TASK_WAIT_S, 1)
    left = stuck()
    checks.report(
        "no_task_lost", not left, left=[f"{path.rsplit('.', 1)[-1]} {s}" for path, s in left]
    )
    audit = stack.manage("verify_audit_log", check=False, quiet=True)
    checks.report(
        "audit_log_verifies",
        audit.returncode == 0,
        output=(audit.stdout + audit.stderr).strip().splitlines()[-1:],
    )


__all__ = ["Checks", "emit"]
