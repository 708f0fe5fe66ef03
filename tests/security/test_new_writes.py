"""Attacks on the writes added for issue 11, each written as the secure behaviour.

Personas: the buyer Noordsteen (owner, viewer), another buyer Steinwerk (other_buyer), the
supplier Haichen (supplier_user), staff with too few permissions, and anonymous. Outsiders get a
404, a role too low a 403, and nothing changes in the database either way.
"""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from stonebridge.accounts.models import ApiToken, Role
from stonebridge.accounts.services import api_token_create
from stonebridge.audit.models import Entry
from stonebridge.engagement.services import disclosure, relationships
from stonebridge.risk import services as risk
from stonebridge.risk.models import WorkforceStatement
from stonebridge.supplychain import importing
from stonebridge.supplychain import services as supplychain
from stonebridge.supplychain.models import Facility, ImportJob, Link, UpstreamShare
from tests.accounts.test_access_matrix import api_operations, api_url, example_body, world
from tests.conftest import PASSWORD, OrganisationFactory, UserFactory, client_for, member
from tests.supplychain.importing.helpers import upload

__all__ = ["world"]  # the access matrix's fixture: one of everything, owned by Noordsteen


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def site(chain, buyer, owner, supplier_org, supplier_user):
    """Noordsteen engages the exporter; Haichen's account accepted."""
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["exporter"], supplier=supplier_org
    )
    return relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)


@pytest.fixture
def share(site, chain, supplier_org, supplier_user):
    """Haichen disclosed a workshop of its site to Noordsteen."""
    disclosed = disclosure.upstream_disclose(
        supplier=supplier_org,
        by=supplier_user,
        site=chain["exporter"],
        customer=chain["exporter"],
        facility=chain["workshop"],
        kind="subcontracts",
    )
    return disclosed.shares.get()


# --- reverting a change to the shared record -----------------------------------------------------


@pytest.fixture
def held_change(chain, buyer, owner, other_buyer_org):
    """Steinwerk also holds the processor; Noordsteen changed its address."""
    supplychain.sourcing_set(
        organisation=other_buyer_org,
        by=None,
        facility=chain["processor"],
        annual_volume=Decimal(10),
    )
    supplychain.facility_update(
        facility=chain["processor"], organisation=buyer, by=owner, address="水头镇新街1号"
    )
    return Entry.objects.get(organisation=buyer, verb="facility.updated")


def revert_url(org, facility, entry):
    return reverse(
        "supplychain:facility_revert",
        kwargs={"org": org.slug, "facility_id": facility.pk, "entry_id": entry.pk},
    )


def address_of(facility):
    facility.refresh_from_db()
    return facility.address


def test_another_buyer_cannot_revert_an_entry_of_the_buyers_own_log(
    held_change, chain, other_buyer_org, other_buyer
):
    url = revert_url(other_buyer_org, chain["processor"], held_change)
    assert client_for(other_buyer).post(url).status_code == 404
    assert address_of(chain["processor"]) == "水头镇新街1号"


def test_a_holder_cannot_revert_through_another_facilitys_url(
    held_change, chain, other_buyer_org, other_buyer
):
    elsewhere = Entry.objects.get(organisation=other_buyer_org, verb="facility.changed_elsewhere")
    url = revert_url(other_buyer_org, chain["quarry"], elsewhere)
    assert client_for(other_buyer).post(url).status_code == 404
    assert address_of(chain["processor"]) == "水头镇新街1号"


def test_a_viewer_of_a_holder_cannot_revert(held_change, chain, other_buyer_org):
    elsewhere = Entry.objects.get(organisation=other_buyer_org, verb="facility.changed_elsewhere")
    viewer = member(other_buyer_org, Role.VIEWER)
    response = client_for(viewer).post(revert_url(other_buyer_org, chain["processor"], elsewhere))
    assert response.status_code == 403
    assert address_of(chain["processor"]) == "水头镇新街1号"


def test_a_supplier_and_anonymous_cannot_revert(
    held_change, chain, buyer, supplier_org, supplier_user
):
    supplier_url = revert_url(supplier_org, chain["processor"], held_change)
    assert client_for(supplier_user).post(supplier_url).status_code == 404
    anonymous = client_for(None).post(revert_url(buyer, chain["processor"], held_change))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert address_of(chain["processor"]) == "水头镇新街1号"


def test_a_buyer_that_left_the_facility_cannot_revert_what_was_logged_while_it_held_it(
    held_change, chain, other_buyer_org, other_buyer
):
    supplychain.sourcing_delete(
        sourcing=other_buyer_org.sourcing.get(facility=chain["processor"]), by=None
    )
    elsewhere = Entry.objects.get(organisation=other_buyer_org, verb="facility.changed_elsewhere")
    response = client_for(other_buyer).post(
        revert_url(other_buyer_org, chain["processor"], elsewhere)
    )
    assert response.status_code in (403, 404)
    assert address_of(chain["processor"]) == "水头镇新街1号"


# --- what another buyer's log says --------------------------------------------------------------


def test_the_holders_log_never_names_the_buyer_that_changed_the_record(
    held_change, chain, buyer, owner, other_buyer_org, other_buyer
):
    secrets = (buyer.name, buyer.slug, owner.name, owner.email, "Noordsteen", "noordsteen")
    page = client_for(other_buyer).get(reverse("accounts:audit_log", args=[other_buyer_org.slug]))
    facility_page = client_for(other_buyer).get(
        reverse("supplychain:facility", args=[other_buyer_org.slug, chain["processor"].pk])
    )
    secret = api_token_create(user=other_buyer, name="log")[1]
    api = client_for(None).get(f"/api/organisations/{other_buyer_org.slug}/audit", **bearer(secret))
    assert api.status_code == 200
    assert "facility.changed_elsewhere" in api.content.decode()
    bodies = [page.content.decode(), facility_page.content.decode()]
    bodies.append(json.dumps(api.json(), ensure_ascii=False))
    for body in bodies:
        assert "水头镇新街1号" in body  # the change is shown ...
        for name in secrets:  # ... but not who made it
            assert name not in body, name


def test_the_holders_log_never_names_the_buyer_that_reverted_either(
    held_change, chain, buyer, owner, other_buyer_org, other_buyer
):
    elsewhere = Entry.objects.get(organisation=other_buyer_org, verb="facility.changed_elsewhere")
    client_for(other_buyer).post(revert_url(other_buyer_org, chain["processor"], elsewhere))
    assert address_of(chain["processor"]) == ""
    told = Entry.objects.filter(organisation=buyer, verb="facility.changed_elsewhere").get()
    assert told.actor is None
    body = client_for(owner).get(reverse("accounts:audit_log", args=[buyer.slug])).content.decode()
    for name in (other_buyer_org.name, other_buyer_org.slug, other_buyer.email, other_buyer.name):
        assert name not in body


# --- accepting a supplier's disclosed upstream ---------------------------------------------------


def accept_url(org, facility, share):
    return reverse(
        "supplychain:upstream_accept",
        kwargs={"org": org.slug, "facility_id": facility.pk, "share_id": share.pk},
    )


def test_another_buyer_cannot_accept_a_share_by_guessing_its_id(
    share, chain, other_buyer_org, other_buyer
):
    page = client_for(other_buyer).post(accept_url(other_buyer_org, chain["exporter"], share))
    assert page.status_code == 404
    secret = api_token_create(user=other_buyer, name="x")[1]
    api = client_for(None).post(
        f"/api/organisations/{other_buyer_org.slug}/disclosed-upstream/{share.pk}/accept",
        **bearer(secret),
    )
    assert api.status_code == 404
    share.refresh_from_db()
    assert share.accepted_at is None
    assert not Link.objects.filter(organisation=other_buyer_org).exists()


def test_the_supplier_cannot_accept_its_own_disclosure_into_a_chain(
    share, chain, supplier_org, supplier_user
):
    response = client_for(supplier_user).post(accept_url(supplier_org, chain["exporter"], share))
    assert response.status_code == 404
    share.refresh_from_db()
    assert share.accepted_at is None


def test_a_viewer_cannot_accept_a_share(share, chain, buyer, viewer):
    assert client_for(viewer).post(accept_url(buyer, chain["exporter"], share)).status_code == 403
    secret = api_token_create(user=viewer, name="x")[1]
    api = client_for(None).post(
        f"/api/organisations/{buyer.slug}/disclosed-upstream/{share.pk}/accept", **bearer(secret)
    )
    assert api.status_code == 403
    share.refresh_from_db()
    assert share.accepted_at is None


# --- what a supplier may disclose ----------------------------------------------------------------


def workspace(org, relationship, what):
    return f"/o/{org.slug}/workspace/{relationship.pk}/{what}/"


UPSTREAM_FORM = {
    "customer": "",
    "kind": "subcontracts",
    "name_zh": "惠安县某某加工点",
    "facility_kind": "workshop",
    "province": "福建省",
}


def disclose_everything(client, org, relationship):
    workforce = client.post(workspace(org, relationship, "workforce"), {"workers": 999})
    upstream = client.post(
        workspace(org, relationship, "upstream"),
        {**UPSTREAM_FORM, "customer": relationship.facility_id},
    )
    return workforce.status_code, upstream.status_code


def nothing_disclosed():
    return (
        not WorkforceStatement.objects.filter(workers=999).exists()
        and not Facility.objects.filter(name_zh="惠安县某某加工点").exists()
        and not UpstreamShare.objects.exists()
    )


def test_a_supplier_that_has_not_accepted_cannot_disclose(
    chain, buyer, owner, supplier_org, supplier_user
):
    asked = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["exporter"], supplier=supplier_org
    )
    assert disclose_everything(client_for(supplier_user), supplier_org, asked) == (404, 404)
    assert nothing_disclosed()


def test_a_supplier_the_buyer_replaced_cannot_disclose_any_more(
    site, buyer, owner, supplier_org, supplier_user
):
    newcomer = OrganisationFactory(slug="jinlong", kind="supplier")
    relationships.relationship_update(
        relationship=site, by=owner, supplier=newcomer, improvement_period_days=365
    )
    assert disclose_everything(client_for(supplier_user), supplier_org, site) == (404, 404)
    assert nothing_disclosed()
    # Nor through the service, by naming the site directly.
    with pytest.raises(ValidationError):
        disclosure.workforce_disclose(
            supplier=supplier_org, by=supplier_user, facility=site.facility, workers=999
        )
    assert nothing_disclosed()


def test_a_supplier_cannot_disclose_for_another_suppliers_relationship(
    site, chain, other_buyer_org, other_buyer, supplier_org, supplier_user
):
    rival = OrganisationFactory(slug="jinlong", kind="supplier")
    theirs = relationships.relationship_create(
        organisation=other_buyer_org, by=other_buyer, facility=chain["processor"], supplier=rival
    )
    relationships.sharing_answer(relationship=theirs, by=member(rival), accept=True)
    assert disclose_everything(client_for(supplier_user), supplier_org, theirs) == (404, 404)
    assert nothing_disclosed()


def test_a_suppliers_viewer_and_a_buyer_cannot_disclose_in_the_suppliers_workspace(
    site, owner, supplier_org
):
    viewer = member(supplier_org, Role.VIEWER)
    assert disclose_everything(client_for(viewer), supplier_org, site) == (403, 403)
    assert disclose_everything(client_for(owner), supplier_org, site) == (404, 404)
    assert nothing_disclosed()


# --- another buyer's workforce figures ------------------------------------------------------------


def test_another_buyer_never_sees_a_buyers_own_workforce_figures(
    chain, buyer, owner, other_buyer_org, other_buyer
):
    risk.workforce_state(organisation=buyer, by=owner, facility=chain["processor"], workers=4321)
    secret = api_token_create(user=other_buyer, name="x")[1]
    api = client_for(None).get(
        f"/api/organisations/{other_buyer_org.slug}/facilities/{chain['processor'].pk}/workforce",
        **bearer(secret),
    )
    assert api.status_code == 200
    assert api.json()["counting"] is None
    assert api.json()["history"] == []
    client = client_for(other_buyer)
    for name in ("risk:facility", "supplychain:facility"):
        page = client.get(reverse(name, args=[other_buyer_org.slug, chain["processor"].pk]))
        assert page.status_code == 200
        assert "4321" not in page.content.decode()
        assert "4,321" not in page.content.decode()
    register = client.get(reverse("risk:register", args=[other_buyer_org.slug]))
    assert "4321" not in register.content.decode()


def test_a_supplier_cannot_state_a_buyers_workforce_figures(chain, supplier_org, supplier_user):
    url = reverse("risk:workforce", args=[supplier_org.slug, chain["processor"].pk])
    response = client_for(supplier_user).post(url, {"workers": 999})
    assert response.status_code == 403
    assert nothing_disclosed()


# --- undoing an import ---------------------------------------------------------------------------


@pytest.fixture
def imported(buyer, owner):
    """Noordsteen's list created a facility."""
    rows = [["N1", "processor", "南安鑫源石材厂", "南安"]]
    job = upload(buyer, owner, ["ref", "kind", "name_zh", "city"], rows)
    assert job.status == ImportJob.Status.DONE, job.errors
    return job


def undo(client, org, job):
    return client.post(reverse("supplychain:import_undo", args=[org.slug, job.pk]))


def still_done(job):
    job.refresh_from_db()
    return (
        job.status == ImportJob.Status.DONE
        and Facility.objects.filter(name_zh="南安鑫源石材厂").exists()
    )


def test_another_buyer_and_the_supplier_cannot_undo_a_buyers_import(
    imported, other_buyer_org, other_buyer, supplier_org, supplier_user
):
    assert undo(client_for(other_buyer), other_buyer_org, imported).status_code == 404
    assert undo(client_for(supplier_user), supplier_org, imported).status_code == 404
    assert still_done(imported)


def test_a_viewer_cannot_undo_an_import(imported, buyer, viewer):
    assert undo(client_for(viewer), buyer, imported).status_code == 403
    assert still_done(imported)


def test_undoing_an_import_never_deletes_another_buyers_workforce_figures(
    imported, buyer, owner, other_buyer_org, other_buyer
):
    created = Facility.objects.get(name_zh="南安鑫源石材厂")
    risk.workforce_state(organisation=other_buyer_org, by=other_buyer, facility=created, workers=77)
    response = undo(client_for(owner), buyer, imported)
    assert response.status_code == 302
    assert WorkforceStatement.objects.filter(organisation=other_buyer_org, workers=77).exists()
    assert still_done(imported)
    page = client_for(owner).get(reverse("supplychain:import", args=[buyer.slug, imported.pk]))
    assert "which 1 record this import did not create now refers to" in page.content.decode()


def test_undoing_an_import_is_refused_not_an_error_when_another_buyer_engages_the_facility(
    imported, buyer, owner, other_buyer_org, other_buyer
):
    created = Facility.objects.get(name_zh="南安鑫源石材厂")
    relationships.relationship_create(
        organisation=other_buyer_org, by=other_buyer, facility=created
    )
    response = undo(client_for(owner), buyer, imported)
    assert response.status_code == 302
    assert still_done(imported)


# --- staff pages: merging facilities, erasing accounts --------------------------------------------


def staff_with(*codenames):
    """A staff member with these permissions only, logged in with their second factor."""
    person = UserFactory(is_staff=True)
    person.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    client = Client()
    client.post(reverse("accounts:login"), {"email": person.email, "password": PASSWORD})
    client.post(reverse("accounts:login_verify"), {"code": f"{totp(device.bin_key):06d}"})
    assert client.get(reverse("admin:index")).status_code == 200
    return client


def merge(client, keep, remove):
    return client.post(
        reverse("admin:supplychain_facility_merge"), {"keep": keep.pk, "remove": remove.pk}
    )


def both_there(*facilities):
    return Facility.objects.filter(pk__in=[f.pk for f in facilities]).count() == len(facilities)


def test_a_member_who_is_not_staff_cannot_merge_facilities(chain, owner):
    response = merge(client_for(owner), chain["processor"], chain["workshop"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    anonymous = merge(client_for(None), chain["processor"], chain["workshop"])
    assert anonymous.status_code == 302
    assert both_there(chain["processor"], chain["workshop"])


def test_staff_who_may_only_look_at_facilities_cannot_merge_them(chain):
    for person in (staff_with(), staff_with("view_facility")):
        assert merge(person, chain["processor"], chain["workshop"]).status_code == 403
    assert both_there(chain["processor"], chain["workshop"])
    actions = (staff_with("view_facility")).get(reverse("admin:supplychain_facility_changelist"))
    assert "merge_two" not in actions.content.decode()


def test_staff_who_may_change_facilities_merge_them(chain):
    person = staff_with("view_facility", "change_facility")
    assert merge(person, chain["processor"], chain["workshop"]).status_code == 302
    assert not Facility.objects.filter(pk=chain["workshop"].pk).exists()


def erase_action(client, *people):
    return client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "erase_accounts", "_selected_action": [p.pk for p in people]},
    )


def not_erased(person):
    person.refresh_from_db()
    return person.is_active and not person.email.endswith("@erased.invalid")


def test_a_member_who_is_not_staff_cannot_erase_anyone(owner, other_buyer, editor):
    response = erase_action(client_for(other_buyer), editor)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not_erased(editor)


def test_staff_who_may_only_look_at_accounts_cannot_erase_them(owner, editor):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    looker = staff_with("view_user")
    response = erase_action(looker, editor, superuser)
    assert response.status_code in (200, 302, 403)
    assert not_erased(editor)
    assert not_erased(superuser)
    page = looker.get(reverse("admin:accounts_user_changelist"))
    assert "erase_accounts" not in page.content.decode()


def test_the_erase_page_erases_only_the_person_logged_in(owner, other_buyer, editor):
    response = client_for(editor).post(
        reverse("accounts:account_erase"),
        {"password": "a-long-test-password", "user": other_buyer.pk, "email": other_buyer.email},
    )
    assert response.status_code == 302
    assert not_erased(other_buyer)
    assert not not_erased(editor)


def test_the_erase_page_wants_the_persons_password(editor):
    response = client_for(editor).post(reverse("accounts:account_erase"), {"password": "guess"})
    assert response.status_code == 200
    assert not_erased(editor)
    assert client_for(None).post(reverse("accounts:account_erase")).status_code == 302
    assert not_erased(editor)


# --- read-only and expired API tokens ---------------------------------------------------------


def test_a_read_only_token_is_refused_on_every_write_route(world, owner):
    secret = api_token_create(user=owner, name="read", read_only=True)[1]
    writes = [(p, m, o, s) for p, m, o, s in api_operations() if m != "get"]
    assert len(writes) >= 25
    before = (Entry.objects.count(), ApiToken.objects.count())
    for path, method, operation, schema in writes:
        response = getattr(client_for(None), method)(
            api_url(path, world),
            example_body(operation, schema),
            content_type="application/json",
            **bearer(secret),
        )
        assert response.status_code == 403, (method, path, response.status_code)
    assert (Entry.objects.count(), ApiToken.objects.count()) == before
    # It still reads.
    assert client_for(None).get("/api/me", **bearer(secret)).status_code == 200


def test_an_expired_token_is_refused_on_every_route(world, owner):
    secret = api_token_create(user=owner, name="old", valid_days=1)[1]
    ApiToken.objects.filter(name="old").update(expires_at=timezone.now() - timedelta(seconds=1))
    before = Entry.objects.count()
    for path, method, operation, schema in api_operations():
        response = getattr(client_for(None), method)(
            api_url(path, world),
            example_body(operation, schema),
            content_type="application/json",
            **bearer(secret),
        )
        assert response.status_code == 401, (method, path, response.status_code)
    assert Entry.objects.count() == before


# --- an import filling in another buyer's facility ------------------------------------------


def test_an_import_filling_in_a_held_facility_shows_in_the_holders_log_and_can_be_put_back(
    chain, buyer, owner, other_buyer_org, other_buyer
):
    """An imported list fills the empty fields of a facility it matches; for the buyers whose
    chain holds that facility this is a change to the shared record like any other."""
    quarry = chain["quarry"]  # in Noordsteen's chain, its address not known
    job = upload(
        other_buyer_org,
        other_buyer,
        ["ref", "kind", "name_zh", "city", "address"],
        [["Q1", "quarry", quarry.name_zh, "日照市", "叩官镇假地址1号"]],
    )
    assert job.status == ImportJob.Status.DONE, job.errors
    assert address_of(quarry) == "叩官镇假地址1号"
    told = Entry.objects.get(organisation=buyer, verb="facility.changed_elsewhere")
    assert told.actor is None
    assert told.changes["address"] == ["", "叩官镇假地址1号"]
    response = client_for(owner).post(revert_url(buyer, quarry, told))
    assert response.status_code == 302
    assert address_of(quarry) == ""


def test_undoing_such_an_import_shows_in_the_holders_log_too(
    chain, buyer, owner, other_buyer_org, other_buyer
):
    quarry = chain["quarry"]
    job = upload(
        other_buyer_org,
        other_buyer,
        ["ref", "kind", "name_zh", "city", "address"],
        [["Q1", "quarry", quarry.name_zh, "日照市", "叩官镇假地址1号"]],
    )
    importing.import_undo(job=job, by=other_buyer)
    assert address_of(quarry) == ""
    told = Entry.objects.filter(organisation=buyer, verb="facility.changed_elsewhere").latest("pk")
    assert told.actor is None
    assert told.changes["address"] == ["叩官镇假地址1号", ""]
