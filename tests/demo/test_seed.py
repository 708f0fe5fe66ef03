from django.core.management import call_command
from django.db import transaction

from stonebridge.accounts.models import Membership, Organisation, User
from stonebridge.assessments.models import Visit
from stonebridge.audit.models import Entry
from stonebridge.audit.services import verify
from stonebridge.engagement.models import Relationship


def snapshot():
    return (
        list(
            Organisation.objects.order_by("slug").values_list(
                "slug", "name", "name_zh", "kind", "city"
            )
        ),
        list(User.objects.order_by("email").values_list("email", "name", "language")),
        list(
            Membership.objects.order_by("user__email").values_list(
                "user__email", "organisation__slug", "role"
            )
        ),
    )


def test_the_demo_is_a_believable_covenant(db, capsys):
    call_command("seed_demo")
    kinds = list(Organisation.objects.values_list("kind", flat=True))
    assert kinds.count("buyer") == 3
    assert kinds.count("covenant") == 1
    cities = set(Organisation.objects.filter(kind="supplier").values_list("city", flat=True))
    assert {"Xiamen", "Nan'an", "Hui'an", "Laizhou", "Wulian", "Yunfu"} <= cities
    assert all(
        name
        for name in Organisation.objects.filter(kind="supplier").values_list("name_zh", flat=True)
    )
    assert set(Membership.objects.values_list("role", flat=True)) == {"owner", "editor", "viewer"}
    assert Organisation.objects.filter(kind="buyer", covenant__kind="covenant").count() == 3
    out = capsys.readouterr().out
    assert "owner@noordsteen.example" in out
    assert "password for all: stonebridge-demo" in out
    assert verify().ok


class Rollback(Exception):
    pass


def test_the_same_seed_gives_the_same_data_and_a_second_run_adds_nothing(db):
    try:
        with transaction.atomic():
            call_command("seed_demo", seed=7)
            first = snapshot()
            call_command("seed_demo", seed=7)
            assert snapshot() == first
            raise Rollback
    except Rollback:
        pass
    assert not Organisation.objects.exists()
    call_command("seed_demo", seed=7)
    assert snapshot() == first


def test_another_seed_gives_other_people(db):
    try:
        with transaction.atomic():
            call_command("seed_demo", seed=7)
            first = snapshot()
            raise Rollback
    except Rollback:
        pass
    call_command("seed_demo", seed=8)
    assert snapshot()[1] != first[1]


def test_the_demo_engages_suppliers_with_a_flag_raised_and_remediation_after_exit(db):
    from stonebridge.engagement.models import FlagState, Relationship
    from stonebridge.engagement.queries import open_remediation_after_exit
    from stonebridge.notifications.models import Notification

    call_command("seed_demo", stdout=None)
    noordsteen = Organisation.objects.get(slug="noordsteen")
    statuses = set(Relationship.objects.values_list("status", flat=True))
    assert statuses == {"engaged", "exited"}
    # The carving works refused a visit: the daily pass raised the transparency flag.
    raised = FlagState.objects.filter(cleared_at__isnull=True).values_list(
        "relationship__facility__name_en", "code"
    )
    assert ("Hui'an Chongwu Yongxing Carving Works", "refusal_of_transparency") in raised
    # The Hongda plant was left; the dismissed worker's remedy is still open.
    assert [
        a.plan.relationship.facility.name_en for a in open_remediation_after_exit(noordsteen)
    ] == ["Nan'an Shuitou Hongda Stone Processing"]
    # The Xinyuan manager was reminded of the overdue insurance action.
    assert Notification.objects.filter(user__email="manager@xinyuan.example").exists()


def test_each_change_in_an_organisations_log_is_by_one_of_its_people_or_its_suppliers(db):
    call_command("seed_demo")
    people = {}
    for user_id, organisation_id in Membership.objects.values_list("user_id", "organisation_id"):
        people.setdefault(organisation_id, set()).add(user_id)
    for buyer_id, supplier_id in Relationship.objects.values_list("organisation_id", "supplier_id"):
        people[buyer_id] |= people.get(supplier_id, set())
    # The service providers a buyer sends on its visits record their findings in its log.
    for buyer_id, provider_id in Visit.objects.values_list("organisation_id", "provider_id"):
        people[buyer_id] |= people.get(provider_id, set())
    strangers = [
        (entry.organisation.slug, str(entry.actor), entry.verb)
        for entry in Entry.objects.exclude(actor=None)
        .exclude(organisation=None)
        .select_related("actor", "organisation")
        if entry.actor_id not in people[entry.organisation_id]
    ]
    assert strangers == []
    pierre_bleue = Entry.objects.filter(organisation__slug="pierre-bleue", verb="link.created")
    assert set(pierre_bleue.values_list("actor__email", flat=True)) == {"owner@pierrebleue.example"}


def test_every_demo_buyer_knows_who_works_in_its_chain(db):
    from stonebridge.risk import facts
    from stonebridge.supplychain.models import Facility

    call_command("seed_demo")
    factory = Facility.objects.get(name_en="Nan'an Shuitou Xinyuan Stone Factory")
    for buyer in Organisation.objects.filter(kind="buyer"):
        assert facts.for_facility(buyer.pk, factory.pk).workers == factory.workers
