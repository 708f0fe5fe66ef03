"""The production shape on this machine: its own PostgreSQL cluster, gunicorn, Redis, one worker.

The cluster is PostgreSQL 15's `load` cluster on port 5433 (Debian's pg_createcluster, since
initdb refuses to run as root), so restarting it never touches the machine's database on 5432.
Every process is started here and stopped here, by its own process id.
"""

import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "load"
PG_VERSION = "15"
CLUSTER = os.environ.get("LOAD_CLUSTER", "load")
PG_PORT = int(os.environ.get("LOAD_PG_PORT", "5433"))
HTTP_PORT = int(os.environ.get("LOAD_PORT", "8100"))
HOST = f"http://127.0.0.1:{HTTP_PORT}"
# A Redis database number of its own on the machine's Redis, so the run never reads another's cache.
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/7")
GUNICORN_WORKERS = int(os.environ.get("LOAD_GUNICORN_WORKERS", "4"))
FACILITIES = int(os.environ.get("LOAD_FACILITIES", os.environ.get("BENCH_FACILITIES", "100000")))
# One database per size, so a quick run at 1,000 facilities never reuses the 100,000 one.
DB_NAME = f"stonebridge_load_{FACILITIES}"
DATABASE_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB_NAME}"


def log(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _secrets() -> dict[str, str]:
    """Keys made once for this machine, like `make demo`'s var/demo.env."""
    from cryptography.fernet import Fernet

    path = VAR / "secrets.env"
    if not path.exists():
        VAR.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
            f"AUDIT_KEY={secrets.token_urlsafe(50)}\n"
            f"WORKER_REF_KEY={secrets.token_urlsafe(50)}\n"
            f"FIELD_ENCRYPTION_KEY={Fernet.generate_key().decode()}\n"
        )
    return dict(line.split("=", 1) for line in path.read_text().split())


def _redis_up() -> bool:
    """The machine's Redis, when it answers; without it the cache is per process (said so)."""
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        log(f"no Redis at {REDIS_URL}: the cache is per gunicorn worker this run")
        return False


REDIS = _redis_up()


def app_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # production settings, not the tests'
    env.update(_secrets())
    env.update(
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL if REDIS else "",
        HTTPS="false",
        DEBUG="false",
        SITE_URL=HOST,
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
        # Notices by e-mail are written, not printed into the worker's log.
        EMAIL_URL="locmem://",
        # Every simulated user shares 127.0.0.1: the per-address login limit is not under test.
        LOGIN_ADDRESS_FAILURE_LIMIT="100000",
    )
    return env


def run(args: list[str], check: bool = True, **kwargs: object) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=check, text=True, **kwargs)  # type: ignore[call-overload]


def manage(*args: str, check: bool = True, quiet: bool = False) -> subprocess.CompletedProcess:
    return run(
        [sys.executable, "manage.py", *args],
        check=check,
        cwd=ROOT,
        env=app_env(),
        capture_output=quiet,
    )


# --- PostgreSQL -------------------------------------------------------------------------------


def pg(action: str) -> None:
    """pg_ctlcluster start / stop / restart of the load cluster only (-m fast: open connections
    are cut, as a crash or failover would cut them)."""
    args = ["pg_ctlcluster", PG_VERSION, CLUSTER, action]
    if action in ("stop", "restart"):
        args += ["-m", "fast"]
    run(args, check=action != "stop")


def cluster_up() -> None:
    clusters = run(["pg_lsclusters", "-h"], capture_output=True).stdout
    if not any(line.split()[:2] == [PG_VERSION, CLUSTER] for line in clusters.splitlines()):
        log(f"creating PostgreSQL cluster {PG_VERSION}/{CLUSTER} on port {PG_PORT}")
        # Trust on loopback: a throwaway cluster reachable only from this machine.
        run(
            ["pg_createcluster", PG_VERSION, CLUSTER, "--port", str(PG_PORT), "--"]  # noqa: RUF005
            + ["--auth-host=trust", "--auth-local=trust"],
            capture_output=True,
        )
    status = run(["pg_ctlcluster", PG_VERSION, CLUSTER, "status"], check=False, capture_output=True)
    if status.returncode != 0:
        pg("start")
    wait_for_db(30)
    with _connect("postgres") as conn:
        conn.autocommit = True
        found = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [DB_NAME],
        ).fetchone()
        if found is not None and found[0] != _keys_mark():
            # The cluster outlives a checkout: a database seeded by another clone holds audit
            # entries signed with that clone's AUDIT_KEY and values encrypted with its keys.
            log(f"{DB_NAME} was seeded with other keys: seeding it again")
            conn.execute(f'DROP DATABASE "{DB_NAME}" WITH (FORCE)')
            found = None
        if found is None:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
            conn.execute(f"COMMENT ON DATABASE \"{DB_NAME}\" IS '{_keys_mark()}'")


def _keys_mark() -> str:
    """Which keys a database was seeded with, without saying them."""
    digest = hashlib.sha256(json.dumps(_secrets(), sort_keys=True).encode()).hexdigest()
    return f"stonebridge load run, keys {digest[:16]}"


def _connect(dbname: str = DB_NAME) -> psycopg.Connection:
    return psycopg.connect(
        host="127.0.0.1", port=PG_PORT, user="postgres", dbname=dbname, connect_timeout=2
    )


def wait_for_db(timeout: float) -> float:
    """Seconds until the cluster accepts connections."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            with _connect("postgres"):
                return time.monotonic() - start
        except psycopg.OperationalError:
            time.sleep(0.2)
    raise RuntimeError(f"PostgreSQL on {PG_PORT} did not come up in {timeout} s")


def sql(query: str, params: list[object] | None = None) -> list[tuple]:
    """A direct look at the database, independent of the app under test."""
    with _connect() as conn:
        return conn.execute(query, params or []).fetchall()


# --- The app ----------------------------------------------------------------------------------


def prepare() -> None:
    """Migrate, collect static files, seed the demo, the bench chain and the load users."""
    cluster_up()
    log("migrating")
    manage("migrate", "--verbosity", "0")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    seeded = sql("SELECT count(*) FROM accounts_organisation WHERE slug = 'scale-buyer'")[0][0]
    if not seeded:
        log(f"seeding the demo and the {FACILITIES}-facility chain (minutes at 100,000)")
        manage("seed_demo", "--facilities", str(FACILITIES), quiet=True)
    log("seeding load users")
    run(
        [sys.executable, "-m", "bench.load.seed", str(VAR / "users.json")],
        cwd=ROOT,
        env={**app_env(), "DJANGO_SETTINGS_MODULE": "stonebridge.settings"},
    )


class App:
    """gunicorn and the task worker, each a process of its own that we can kill."""

    def __init__(self) -> None:
        VAR.mkdir(parents=True, exist_ok=True)
        self.gunicorn: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None

    def _spawn(self, args: list[str], logname: str) -> subprocess.Popen:
        out = (VAR / logname).open("a")
        return subprocess.Popen(
            args,
            cwd=ROOT,
            env=app_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_gunicorn(self) -> None:
        bin_dir = Path(sys.executable).parent
        self.gunicorn = self._spawn(
            [str(bin_dir / "gunicorn"), "stonebridge.wsgi", "--workers", str(GUNICORN_WORKERS)]  # noqa: RUF005
            + ["--bind", f"127.0.0.1:{HTTP_PORT}", "--timeout", "60", "--graceful-timeout", "5"],
            "gunicorn.log",
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{HOST}/accounts/login/", timeout=2)  # noqa: S310
                log(f"gunicorn serving on {HOST} with {GUNICORN_WORKERS} workers")
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("gunicorn did not start; see var/load/gunicorn.log")

    def start_worker(self) -> None:
        """A plain `db_worker`: putting back what a killed worker left running is the app's own
        job when a worker starts, and that is what the fault run checks."""
        self.worker = self._spawn(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--verbosity", "0"],
            "worker.log",
        )

    def kill_worker(self) -> None:
        """kill -9: no chance to mark its task failed or finish its transaction."""
        if self.worker and self.worker.poll() is None:
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait()

    def worker_alive(self) -> bool:
        return self.worker is not None and self.worker.poll() is None

    def stop(self) -> None:
        for proc in (self.worker, self.gunicorn):
            if proc and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
