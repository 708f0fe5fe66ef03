"""Two registry records of one firm, merged by staff: everything moves, conflicts are chosen,
each buyer's data stays its own, and risk follows."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from stonebridge.audit.models import Entry
from stonebridge.engagement.models import Plan, Relationship
from stonebridge.engagement.services import plans, relationships
from stonebridge.risk import services as risk
from stonebridge.risk.models import Evidence, Score
from stonebridge.supplychain import importing, merge, merging, queries, services
from stonebridge.supplychain.models import (
    ChainPosition,
    Facility,
    FacilityRef,
    ImportJob,
    Link,
    MatchDecision,
    Sourcing,
)

from ..conftest import UserFactory, client_for


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, email="staff@stonebridge.example")


@pytest.fixture
def twin(buyer, owner):
    """The chain's processor entered a second time, under its legal name."""
    return services.facility_create(
        organisation=buyer,
        by=owner,
        kind="processor",
        name_zh="南安市水头鑫源石材有限公司",
        province="福建省",
        address="南安市水头镇五里桥工业区88号",
        workers=80,
        activities=["polishing"],
    )


@pytest.fixture
def steinwerk_on_twin(twin, other_buyer_org, other_buyer, chain):
    """Another buyer knows the processor only as the twin: it buys from it directly, knows
    its quarry, has its own code for it, evidence and an improvement plan."""
    services.sourcing_set(
        organisation=other_buyer_org, by=other_buyer, facility=twin, annual_volume=Decimal(777)
    )
    services.link_create(
        organisation=other_buyer_org,
        by=other_buyer,
        supplier=chain["quarry"],
        customer=twin,
        kind="supplies_blocks",
    )
    FacilityRef.objects.create(organisation=other_buyer_org, ref="SW-0042", facility=twin)
    MatchDecision.objects.create(
        organisation=other_buyer_org, row_key="xinyuan|nanan", candidate=twin, same=True
    )
    evidence = risk.evidence_record(
        organisation=other_buyer_org,
        by=other_buyer,
        facility=twin,
        issue="OHS",
        kind="finding",
        observed_on=date(2026, 10, 1),
        source_type="audit",
        summary="Dry cutting without dust extraction.",
    )
    relationship = relationships.relationship_create(
        organisation=other_buyer_org, by=other_buyer, facility=twin
    )
    plan = plans.plan_create(relationship=relationship, by=other_buyer, title="Wet cutting")
    return {"evidence": evidence, "relationship": relationship, "plan": plan}


def test_everything_that_points_at_the_removed_facility_moves_to_the_kept_one(
    chain, twin, steinwerk_on_twin, other_buyer_org, staff
):
    processor = chain["processor"]
    kept = merge.facility_merge(keep=processor, remove=twin, by=staff, choices={})
    assert not Facility.objects.filter(pk=twin.pk).exists()
    assert Sourcing.objects.get(organisation=other_buyer_org).facility == processor
    assert Link.objects.get(organisation=other_buyer_org).customer == processor
    assert FacilityRef.objects.get(ref="SW-0042").facility == processor
    assert MatchDecision.objects.get(organisation=other_buyer_org).candidate == processor
    assert Evidence.objects.get(pk=steinwerk_on_twin["evidence"].pk).facility == processor
    assert Relationship.objects.get(organisation=other_buyer_org).facility == processor
    assert Plan.objects.get(pk=steinwerk_on_twin["plan"].pk).facility == processor
    # The record keeps its own values, takes the other name and fills its blanks.
    assert "南安市水头鑫源石材有限公司" in kept.aliases
    assert kept.name_zh == "南安市水头鑫源石材厂"
    assert kept.address == "南安市水头镇五里桥工业区88号"
    assert kept.workers == 80
    assert set(kept.activity_list()) == {"sawing", "flaming", "polishing"}
    assert "shuitouxinyuanshicaiyouxiangongsi" in kept.search_text
    # The other buyer's chain now holds the kept facility, scored.
    position = ChainPosition.objects.get(organisation=other_buyer_org, facility=processor)
    assert position.tier == 1
    assert Score.objects.filter(organisation=other_buyer_org, facility=processor).exists()
    assert not Score.objects.filter(facility_id=twin.pk).exists()


def test_the_merge_is_audited_and_each_buyer_sees_only_its_own_part(
    chain, twin, steinwerk_on_twin, buyer, owner, other_buyer_org, staff
):
    merge.facility_merge(keep=chain["processor"], remove=twin, by=staff, choices={})
    overall = Entry.objects.get(verb="facility.merged", organisation=None)
    assert overall.actor == staff
    assert overall.changes["removed"]["id"] == twin.pk
    assert overall.changes["moved"]["risk evidence moved"] == 1
    theirs = Entry.objects.get(verb="facility.merged", organisation=other_buyer_org)
    assert theirs.changes["moved"]["sourcing moved"] == 1
    assert theirs.changes["moved"]["references moved"] == 1
    mine = Entry.objects.get(verb="facility.merged", organisation=buyer)
    assert "sourcing moved" not in mine.changes["moved"]
    assert "risk evidence moved" not in mine.changes["moved"]
    # Noordsteen's pages about the merged facility show nothing of Steinwerk's.
    client = client_for(owner)
    for url in (
        reverse("supplychain:facility", args=[buyer.slug, chain["processor"].pk]),
        reverse("risk:facility", args=[buyer.slug, chain["processor"].pk]),
        reverse("accounts:audit_log", args=[buyer.slug]),
    ):
        body = client.get(url).content.decode()
        # Steinwerk's volume as a number of its own, not digits inside a time stamp.
        assert not re.search(r"(?<![\d.])777(?!\d)", body), url
        for secret in ("SW-0042", "Steinwerk", "Dry cutting", "Wet cutting"):
            assert secret not in body, (url, secret)


@pytest.fixture
def held_twice(chain, twin, buyer, owner):
    """Noordsteen holds both records the same way: direct sourcing, an engagement and the
    same link to its exporter, one for each."""
    processor = chain["processor"]
    services.sourcing_set(
        organisation=buyer, by=owner, facility=processor, annual_volume=Decimal(100)
    )
    services.sourcing_set(organisation=buyer, by=owner, facility=twin, annual_volume=Decimal(250))
    services.link_create(
        organisation=buyer, by=owner, supplier=twin, customer=chain["exporter"], kind="trades"
    )
    on_keep = relationships.relationship_create(organisation=buyer, by=owner, facility=processor)
    on_twin = relationships.relationship_create(organisation=buyer, by=owner, facility=twin)
    plan = plans.plan_create(relationship=on_twin, by=owner, title="Dust masks")
    return {"on_keep": on_keep, "on_twin": on_twin, "plan": plan}


def test_conflicts_are_listed_and_nothing_changes_until_staff_choose(
    chain, twin, held_twice, staff
):
    conflicts = queries.merge_conflicts(keep=chain["processor"], remove=twin)
    assert sorted(c.key.split(":")[0] for c in conflicts) == ["link", "relationship", "sourcing"]
    sourcing = next(c for c in conflicts if c.key.startswith("sourcing"))
    assert "100 m³" in sourcing.kept
    assert "250 m³" in sourcing.removed
    with pytest.raises(ValidationError):
        merge.facility_merge(keep=chain["processor"], remove=twin, by=staff, choices={})
    assert Facility.objects.filter(pk=twin.pk).exists()
    assert Sourcing.objects.filter(facility=twin).exists()
    assert not Entry.objects.filter(verb="facility.merged").exists()


def test_staff_choices_decide_which_row_stays_and_the_history_moves(
    chain, twin, held_twice, buyer, staff
):
    processor = chain["processor"]
    conflicts = queries.merge_conflicts(keep=processor, remove=twin)
    choices = {
        c.key: merging.REMOVE if c.key.startswith("sourcing") else merging.KEEP for c in conflicts
    }
    merge.facility_merge(keep=processor, remove=twin, by=staff, choices=choices)
    # The removed facility's sourcing figures were chosen.
    assert Sourcing.objects.get(organisation=buyer, facility=processor).annual_volume == 250
    # One engagement stays, the kept one, with the other's plan.
    relationship = Relationship.objects.get(organisation=buyer)
    assert relationship.pk == held_twice["on_keep"].pk
    plan = Plan.objects.get(pk=held_twice["plan"].pk)
    assert (plan.relationship_id, plan.facility_id) == (relationship.pk, processor.pk)
    # One link processor → exporter, and the chain is rebuilt with it.
    assert Link.objects.filter(organisation=buyer, supplier=processor, kind="trades").count() == 1
    assert ChainPosition.objects.get(organisation=buyer, facility=processor).tier == 1
    entry = Entry.objects.get(verb="facility.merged", organisation=buyer)
    assert set(entry.changes["choices"]) == set(choices)


def test_evidence_about_the_removed_record_raises_the_kept_facilitys_risk(
    small_chain, buyer, owner, staff
):
    plant = small_chain["plant"]
    twin = services.facility_create(
        organisation=buyer, by=owner, kind="processor", name_zh="南安鑫源石材有限公司"
    )
    risk.evidence_record(
        organisation=buyer,
        by=owner,
        facility=twin,
        issue="OHS",
        indicator="OHS_SILICA",
        kind="finding",
        observed_on=date(2026, 10, 1),
        source_type="audit",
        confidence="high",
        summary="Dry cutting, no masks.",
        people_affected=120,
    )
    before = Score.objects.get(organisation=buyer, facility=plant, issue="OHS").priority
    merge.facility_merge(keep=plant, remove=twin, by=staff, choices={})
    after = Score.objects.get(organisation=buyer, facility=plant, issue="OHS").priority
    assert after > before


def test_only_staff_merge(chain, twin, owner):
    with pytest.raises(PermissionDenied):
        merge.facility_merge(keep=chain["processor"], remove=twin, by=owner, choices={})


def test_two_different_credit_codes_are_two_firms(chain, twin, buyer, owner, staff):
    services.facility_update(
        facility=chain["processor"], organisation=buyer, by=owner, credit_code=code("A")
    )
    services.facility_update(facility=twin, organisation=buyer, by=owner, credit_code=code("B"))
    with pytest.raises(ValidationError, match="different unified social credit codes"):
        merge.facility_merge(keep=chain["processor"], remove=twin, by=staff, choices={})


def code(serial_start: str) -> str:
    from stonebridge.supplychain.codes import credit_code_check_character

    first17 = "91350583" + serial_start + "A2Y4KD71"
    return first17 + credit_code_check_character(first17)


def test_a_merge_that_would_make_a_loop_in_a_chain_is_refused(chain, twin, buyer, owner, staff):
    # The twin buys from the exporter, which the processor supplies: one firm would loop.
    services.link_create(
        organisation=buyer, by=owner, supplier=chain["exporter"], customer=twin, kind="trades"
    )
    with pytest.raises(ValidationError, match="loop"):
        merge.facility_merge(keep=chain["processor"], remove=twin, by=staff, choices={})
    assert Facility.objects.filter(pk=twin.pk).exists()


def test_every_relation_to_a_facility_has_a_merge_handler(db):
    # A new model pointing at facilities fails here until it registers how it follows a merge.
    assert merging.unhandled_relations() == set()
    assert "engagement.relationship.facility" in merging.facility_relations()


def staff_client(client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ..conftest import PASSWORD

    user = UserFactory(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.post(reverse("accounts:login"), {"email": user.email, "password": PASSWORD})
    client.post(reverse("accounts:login_verify"), {"code": f"{totp(device.bin_key):06d}"})
    return client


def test_staff_merge_in_the_admin_after_choosing_on_the_conflicts_page(
    chain, twin, held_twice, buyer, client
):
    processor = chain["processor"]
    client = staff_client(client)
    response = client.post(
        reverse("admin:supplychain_facility_changelist"),
        {"action": "merge_two", "_selected_action": [processor.pk, twin.pk]},
    )
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Held twice by the same organisation" in body
    assert "Noordsteen" in body
    assert "250 m³" in body
    conflicts = queries.merge_conflicts(keep=processor, remove=twin)
    # Without a choice for every conflict: refused, said, nothing merged.
    refused = client.post(
        reverse("admin:supplychain_facility_merge"), {"keep": processor.pk, "remove": twin.pk}
    )
    assert refused.status_code == 200
    assert "Choose what to keep" in refused.content.decode()
    assert Facility.objects.filter(pk=twin.pk).exists()
    done = client.post(
        reverse("admin:supplychain_facility_merge"),
        {"keep": processor.pk, "remove": twin.pk, **{c.key: merging.KEEP for c in conflicts}},
    )
    assert done.status_code == 302
    assert not Facility.objects.filter(pk=twin.pk).exists()
    assert Sourcing.objects.get(organisation=buyer, facility=processor).annual_volume == 100


def test_the_merge_page_is_closed_to_people_who_are_not_staff(chain, twin, owner):
    url = reverse("admin:supplychain_facility_merge") + f"?keep={chain['processor'].pk}"
    response = client_for(owner).get(url + f"&remove={twin.pk}")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert Facility.objects.filter(pk=twin.pk).exists()


def test_an_import_waiting_for_answers_offers_the_kept_record_after_a_merge(
    chain, twin, buyer, owner, staff
):
    processor = chain["processor"]
    job = ImportJob.objects.create(
        organisation=buyer,
        created_by=owner,
        kind="facilities",
        status=ImportJob.Status.NEEDS_REVIEW,
        review=[
            {
                "row": 2,
                "row_key": "xinyuan",
                "name": "鑫源石材",
                "city": "",
                "candidates": [{"id": twin.pk, "name": str(twin), "score": 80}],
            },
            {
                "row": 3,
                "row_key": "xinyuan-2",
                "name": "鑫源",
                "city": "",
                "candidates": [
                    {"id": processor.pk, "name": str(processor), "score": 85},
                    {"id": twin.pk, "name": str(twin), "score": 80},
                ],
            },
        ],
    )
    merge.facility_merge(keep=processor, remove=twin, by=staff, choices={})
    job.refresh_from_db()
    assert [[c["id"] for c in e["candidates"]] for e in job.review] == [
        [processor.pk],
        [processor.pk],
    ]
    # The answer a person gives is about the kept record, and it is taken.
    importing.import_decide(job=job, by=owner, row_key="xinyuan", candidate=processor, same=True)
    assert MatchDecision.objects.get(row_key="xinyuan").candidate == processor
