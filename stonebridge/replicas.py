"""Reads from a replica of the database, where a page asks for it and nothing can go wrong.

With DATABASE_REPLICA_URL set, settings add a "replica" database. A list page marked with
`replica_reads` (the risk register, the map, the facility list) reads its rows from the replica,
so the primary keeps its capacity for writes and for everything else. Everything else reads the
primary, and so does a marked page:

- in a transaction (its reads must see its own writes and hold their locks);
- after it wrote anything (a replica lags by a moment: the person would not see their change);
- for accounts, memberships, sessions, the audit log and the task queue, which decide who may see
  what, or are written and read back at once: these never come from a replica;
- for anything but GET and HEAD.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest

REPLICA = "replica"
# The domain rows a list page shows; nothing that decides access.
REPLICA_APPS = frozenset({"supplychain", "risk", "engagement", "assessments", "voice", "reports"})

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)
_wrote: ContextVar[bool] = ContextVar("wrote", default=False)

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Reads inside may come from the replica, until the first write."""
    reads = _replica_reads.set(True)
    wrote = _wrote.set(False)
    try:
        yield
    finally:
        _replica_reads.reset(reads)
        _wrote.reset(wrote)


def replica_reads(view: Callable[P, R]) -> Callable[P, R]:
    """A list page whose GET may read from the replica."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        request = args[0]
        if isinstance(request, HttpRequest) and request.method in ("GET", "HEAD"):
            with reading_from_replica():
                return view(*args, **kwargs)
        return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if (
            _replica_reads.get()
            and not _wrote.get()
            and settings.REPLICA_READS
            and model._meta.app_label in REPLICA_APPS
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        return "default"

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        _wrote.set(True)
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        return True  # the same rows, wherever they were read

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA  # the replica follows the primary's schema by replication
