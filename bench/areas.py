"""The figures `make bench` reports, by area."""

import statistics
import time
from collections.abc import Callable

from django.test import Client

from stonebridge.accounts import services
from stonebridge.accounts.models import Role, User
from stonebridge.audit.models import Entry
from stonebridge.audit.services import record, verify

Emit = Callable[[str, float, str, int, str], None]


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _p95_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm up
    samples = [_timed(fn) * 1000 for _ in range(runs)]
    return statistics.quantiles(samples, n=20)[-1]


def audit(emit: Emit) -> None:
    n = 5000
    organisation = services.organisation_create(slug="bench-audit", name="Bench", kind="buyer")
    appended = _timed(
        lambda: [
            record(
                actor=None,
                organisation=organisation,
                verb="bench.appended",
                target=organisation,
                changes={"i": i},
            )
            for i in range(n)
        ]
    )
    plain = _timed(
        lambda: Entry.objects.bulk_create(
            [
                Entry(
                    organisation=organisation,
                    verb="bench.plain",
                    target_type="x",
                    target_id="1",
                    target_label="x",
                    prev_hash="",
                    hash=f"plain-{i}",
                )
                for i in range(n)
            ]
        )
    )
    emit(
        "audit.append",
        n / appended,
        "entries/s",
        n,
        f"one bulk insert of the same rows without chain or lock: {n / plain:.0f} entries/s",
    )
    Entry.objects.filter(verb="bench.plain")._raw_delete(Entry.objects.db)
    total = Entry.objects.count()
    checked = _timed(verify)
    emit(
        "audit.verify",
        total / checked,
        "entries/s",
        total,
        "no target; one walk of the whole chain",
    )
    owner = User.objects.create(email="owner@bench.example")
    organisation.memberships.create(user=owner, role=Role.OWNER)
    client = Client()
    client.force_login(owner)
    page = _p95_ms(lambda: client.get("/o/bench-audit/audit/?verb=bench.appended&page=20"), 50)
    emit("pages.audit_p95", page, "ms", total, "StoneBridge target for list pages: < 150 ms p95")


def pages(emit: Emit) -> None:
    n = 1000
    organisation = services.organisation_create(
        slug="bench-pages", name="Bench Buyer", kind="buyer"
    )
    users = User.objects.bulk_create(
        [User(email=f"person{i}@bench.example", name=f"Person {i}") for i in range(n)]
    )
    for user in users[1:]:
        organisation.memberships.create(user=user, role=Role.VIEWER)
    owner = users[0]
    services.membership_add(organisation=organisation, user=owner, role=Role.OWNER, by=None)
    client = Client()
    client.force_login(owner)
    secret = services.api_token_create(user=owner, name="bench")[1]
    page = _p95_ms(lambda: client.get("/o/bench-pages/members/?page=10"), 50)
    emit("pages.members_p95", page, "ms", n, "StoneBridge target for list pages: < 150 ms p95")
    api = _p95_ms(
        lambda: client.get(
            "/api/organisations/bench-pages/members?page=10", HTTP_AUTHORIZATION=f"Bearer {secret}"
        ),
        50,
    )
    emit("api.members_p95", api, "ms", n, "StoneBridge target for list API: < 150 ms p95")


AREAS = {"audit": audit, "pages": pages}
