"""Distinct logins for the simulated people: `python -m bench.load.seed users.json`.

Each simulated user is an account of its own with its own session, so per-user caches, sessions
and audit rows behave as they would with real people (one shared login would flatter the run).
Buyers are viewers of the bench chain's buyer (map, register at scale) and of the demo's first
buyer (its plans); suppliers are members of the demo suppliers that have plans shared with them;
API clients hold a personal token each. Sessions are written directly rather than by posting the
login form 200 times: login costs a deliberate password hash and is not what the run measures.
Safe to run again: existing accounts are kept, sessions and tokens are made anew.
"""

import json
import os
import sys
from importlib import import_module

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402

from stonebridge.accounts import services  # noqa: E402
from stonebridge.accounts.models import Membership, Organisation, Role, User  # noqa: E402
from stonebridge.engagement.models import Action  # noqa: E402
from stonebridge.engagement.models.plans import ActionStatus  # noqa: E402
from stonebridge.risk import services as risk  # noqa: E402
from stonebridge.risk.models import Score  # noqa: E402

USERS = int(os.environ.get("LOAD_SEED_USERS", os.environ.get("LOAD_USERS", "200")))
SCALE = "scale-buyer"
PLANS = "noordsteen"
IMPORTS = "load-import"
PASSWORD = make_password("load-run-only")  # one hash: hashing 600 times is not the test


def _account(email: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(email=email, name=email.split("@")[0], password=PASSWORD)
    return user


def _member(org: Organisation, user: User, role: str) -> None:
    if not Membership.objects.filter(organisation=org, user=user).exists():
        services.membership_add(organisation=org, user=user, role=role, by=None)


def _session(user: User) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def main(path: str) -> None:
    scale = Organisation.objects.get(slug=SCALE)
    plans_org = Organisation.objects.get(slug=PLANS)
    if not Score.objects.filter(organisation=scale).exists():
        # The register is scored before the run, as the nightly recompute would have done.
        risk.recompute_organisation(organisation=scale)
    # Actions a supplier can still report on, by supplier organisation.
    reportable: dict[str, list[int]] = {}
    actions = Action.objects.filter(
        status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
        plan__relationship__supplier__isnull=False,
        plan__relationship__supplier_accepted_at__isnull=False,
    ).select_related("plan__relationship__supplier")
    for action in actions:
        shared_with = action.plan.relationship.supplier
        if shared_with is not None:  # filtered above; said again for the type checker
            reportable.setdefault(shared_with.slug, []).append(action.pk)
    plan_ids = sorted(
        {a.plan_id for a in Action.objects.filter(plan__relationship__organisation=plans_org)}
    )
    suppliers = [Organisation.objects.get(slug=slug) for slug in sorted(reportable)]
    if not suppliers:
        sys.exit("the demo has no action shared with a supplier: is seed_demo loaded?")
    importer_org = Organisation.objects.filter(slug=IMPORTS).first() or (
        services.organisation_create(slug=IMPORTS, name="Load Import Buyer", kind="buyer")
    )

    people: dict[str, list[dict[str, object]]] = {"buyers": [], "suppliers": [], "api": []}
    for i in range(USERS):
        buyer = _account(f"buyer{i}@load.test")
        _member(scale, buyer, Role.VIEWER)
        _member(plans_org, buyer, Role.VIEWER)
        people["buyers"].append({"email": buyer.email, "session": _session(buyer)})

        supplier_org = suppliers[i % len(suppliers)]
        supplier = _account(f"supplier{i}@load.test")
        _member(supplier_org, supplier, Role.EDITOR)
        people["suppliers"].append(
            {
                "email": supplier.email,
                "session": _session(supplier),
                "org": supplier_org.slug,
                "actions": reportable[supplier_org.slug],
            }
        )

        client = _account(f"api{i}@load.test")
        _member(scale, client, Role.VIEWER)
        secret = services.api_token_create(user=client, name="load run", read_only=True)[1]
        people["api"].append({"email": client.email, "token": secret})

    importer = _account("importer@load.test")
    _member(importer_org, importer, Role.EDITOR)
    found = {
        "scale": SCALE,
        "plans_org": PLANS,
        "plans": plan_ids,
        "import_org": IMPORTS,
        "import_token": services.api_token_create(user=importer, name="load import")[1],
        "scale_org_id": scale.pk,
        **people,
    }
    with open(path, "w") as out:
        json.dump(found, out)
    print(f"{USERS} buyers, suppliers and API clients written to {path}", file=sys.stderr)


main(sys.argv[1])
