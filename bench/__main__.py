"""Benchmarks, not tests: one JSON line per figure. `python -m bench [AREA ...]`.

Each area runs against a fresh database of its own, so none finds what another left behind: a
temporary SQLite file, or PostgreSQL when DATABASE_URL is set (`make bench` runs both). The
registry's size is BENCH_FACILITIES (100,000 unless set; smaller for a quick look).
"""

import json
import os
import sys
import tempfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import warnings

import django

warnings.filterwarnings("ignore", "No directory at")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402

from bench import areas  # noqa: E402


def emit(name: str, value: float, unit: str, n: int, compared_with: str, **extra: object) -> None:
    line = {
        "name": name,
        "value": round(value, 3),
        "unit": unit,
        "n": n,
        "facilities": areas.FACILITIES,
        "db": connection.vendor,
        "compared_with": compared_with,
        **extra,
    }
    print(json.dumps(line, ensure_ascii=False), flush=True)


def main(selected: list[str]) -> None:
    unknown = set(selected) - set(areas.AREAS)
    if unknown:
        sys.exit(f"unknown area {sorted(unknown)}; areas: {sorted(areas.AREAS)}")
    setup_test_environment()
    for name in selected or sorted(areas.AREAS):
        if connection.vendor == "sqlite":
            # A file, as in production; an in-memory database would flatter the figures.
            connection.settings_dict["TEST"]["NAME"] = os.path.join(
                tempfile.mkdtemp(), f"bench-{name}.sqlite3"
            )
        old = setup_databases(verbosity=0, interactive=False)
        try:
            areas.AREAS[name](emit)
        finally:
            connection.close()
            teardown_databases(old, verbosity=0)


main(sys.argv[1:])
