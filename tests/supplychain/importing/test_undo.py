"""Importing: the result page says what each row did, and an import can be undone."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from stonebridge.accounts.services import api_token_create
from stonebridge.audit.models import Entry
from stonebridge.supplychain import importing, services
from stonebridge.supplychain.models import Facility, FacilityRef, Link, Sourcing
from tests.conftest import client_for
from tests.supplychain.importing.helpers import Status, registry, upload

HEADERS = ["ref", "kind", "name_zh", "city", "workers"]


@pytest.fixture
def known():
    """A facility someone else put in the registry, its workers not known yet."""
    return registry(name_zh="厦门海辰石业有限公司", city="厦门")


@pytest.fixture
def job(buyer, owner, known):
    """The buyer's list: a new facility, one filling in the known facility's workers."""
    rows = [
        ["N1", "processor", "南安鑫源石材厂", "南安", "40"],
        ["H1", "processor", "厦门海辰石业有限公司", "厦门", "120"],
    ]
    job = upload(buyer, owner, HEADERS, rows)
    assert job.status == Status.DONE, job.errors
    return job


def page(user, job):
    url = reverse("supplychain:import", args=[job.organisation.slug, job.pk])
    return client_for(user).get(url).content.decode()


def test_the_result_page_lists_what_each_row_did(job, owner):
    body = page(owner, job)
    outcomes = body[body.index('id="import-outcomes"') :]
    assert outcomes.index("南安鑫源石材厂") < outcomes.index("厦门海辰石业有限公司")
    assert "New facility" in outcomes
    assert "Changed" in outcomes
    assert "workers: 120" in outcomes
    assert "Undo this import" in body


def test_undoing_an_import_removes_what_it_created_and_reverts_what_it_changed(
    buyer, owner, job, known
):
    links = upload(
        buyer,
        owner,
        ["supplier", "customer", "kind"],
        [["N1", "H1", "trades"]],
        kind="links",
    )
    sourcing = upload(buyer, owner, ["supplier", "annual_volume"], [["H1", "50"]], kind="sourcing")
    assert (Link.objects.count(), Sourcing.objects.count()) == (1, 1)

    client = client_for(owner)
    for later in (sourcing, links, job):
        client.post(reverse("supplychain:import_undo", args=[buyer.slug, later.pk]))
        later.refresh_from_db()
        assert later.status == Status.UNDONE
    assert (Link.objects.count(), Sourcing.objects.count()) == (0, 0)
    assert list(Facility.objects.all()) == [known]
    known.refresh_from_db()
    assert known.workers is None
    assert not FacilityRef.objects.exists()
    undone = Entry.objects.filter(verb="import.undone").order_by("pk")
    assert [e.changes["facilities_deleted"] for e in undone] == [0, 0, 1]
    assert undone.last().changes["records_reverted"] == 1


def test_an_import_is_not_undone_once_others_rely_on_what_it_created(
    buyer, owner, job, other_buyer_org, known
):
    created = Facility.objects.get(name_zh="南安鑫源石材厂")
    services.sourcing_set(
        organisation=other_buyer_org, by=None, facility=created, annual_volume=Decimal(10)
    )
    services.facility_update(facility=known, organisation=buyer, by=owner, workers=150)

    body = page(owner, job)
    blockers = body[body.index('id="undo-blockers"') :]
    # To an English reader a name known only in hanzi reads in pinyin, the hanzi beside it.
    assert (
        "Row 2 created Nan&#x27;an Xinyuan Shicai Chang (南安鑫源石材厂), "
        "which 1 record this import did not create"
    ) in blockers
    assert (
        "Row 3 changed workers of Xiamen Haichen Shiye Youxian Gongsi (厦门海辰石业有限公司), "
        "which has changed again since."
    ) in blockers
    assert "Undo this import" not in body
    with pytest.raises(ValidationError):
        importing.import_undo(job=job, by=owner)
    job.refresh_from_db()
    assert job.status == Status.DONE
    assert Facility.objects.filter(pk=created.pk).exists()


def api(user):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


def test_an_import_is_undone_through_the_api_and_refused_with_its_reasons(
    buyer, owner, viewer, other_buyer, job, known
):
    url = f"/api/organisations/{buyer.slug}/imports/{job.pk}/undo"
    assert api(other_buyer).post(url).status_code == 404
    assert api(viewer).post(url).status_code == 403
    done = api(owner).post(url)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == Status.UNDONE
    assert not Facility.objects.filter(name_zh="南安鑫源石材厂").exists()

    again = upload(
        buyer, owner, HEADERS, [["H1", "processor", "厦门海辰石业有限公司", "厦门", "90"]]
    )
    services.facility_update(facility=known, organisation=buyer, by=owner, workers=150)
    refused = api(owner).post(f"/api/organisations/{buyer.slug}/imports/{again.pk}/undo")
    assert refused.status_code == 422
    assert "has changed again since" in refused.content.decode()
    again.refresh_from_db()
    assert again.status == Status.DONE


def test_a_facility_imported_after_an_undo_never_takes_an_undone_facilitys_number(
    buyer, owner, job, known
):
    """The audit log and the undone job's rows still name the facility the undo removed: a new
    facility must not answer to its number."""
    removed = Facility.objects.get(name_zh="南安鑫源石材厂").pk
    importing.import_undo(job=job, by=owner)
    again = upload(buyer, owner, HEADERS, [["N2", "quarry", "五莲新石矿", "五莲", "12"]])
    assert again.status == Status.DONE, again.errors
    new = Facility.objects.get(name_zh="五莲新石矿")
    assert new.pk > removed
    assert Facility.objects.filter(pk=removed).count() == 0
