"""A buyer brings its supplier onto StoneBridge from the engagement page, and picks a supplier's
account only among those its chain or a search finds."""

import pytest
from django.core import mail
from django.urls import reverse

from stonebridge.accounts.models import Invitation, Organisation, Role
from stonebridge.audit.models import Entry
from stonebridge.engagement.services import relationships
from stonebridge.supplychain.codes import credit_code_check_character
from stonebridge.supplychain.services import facility_update

from ..conftest import OrganisationFactory, client_for, member


def credit_code(first17: str) -> str:
    return first17 + credit_code_check_character(first17)


XINYUAN = credit_code("91350583MA2XYKD3Q")


@pytest.fixture
def relationship(buyer, owner, chain):
    return relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["processor"]
    )


def invite_url(buyer, relationship):
    return reverse("engagement:supplier_invite", args=[buyer.slug, relationship.pk])


def post_invite(user, buyer, relationship, code=XINYUAN, email="chen@xinyuan.example"):
    return client_for(user).post(
        invite_url(buyer, relationship),
        {"name_zh": "南安市水头鑫源石材厂", "name": "", "credit_code": code, "email": email},
    )


def test_a_new_supplier_is_created_and_invited_in_chinese_with_a_link_and_qr_code(
    buyer, owner, relationship
):
    response = post_invite(owner, buyer, relationship)
    assert response.status_code == 200
    supplier = Organisation.objects.get(credit_code=XINYUAN)
    assert supplier.kind == Organisation.Kind.SUPPLIER
    assert supplier.name_zh == "南安市水头鑫源石材厂"
    relationship.refresh_from_db()
    assert relationship.supplier == supplier
    assert not relationship.shared
    invitation = Invitation.objects.get(organisation=supplier)
    assert (invitation.email, invitation.role, invitation.language) == (
        "chen@xinyuan.example",
        Role.OWNER,
        "zh-hans",
    )
    (email,) = mail.outbox
    assert "邀请" in email.subject
    assert "Noordsteen Natuursteen B.V." in email.body
    assert "贵公司" in email.body
    token = email.body.split("/invite/")[1].split("/")[0]
    page = response.content.decode()
    assert f"/invite/{token}/" in page
    assert "<svg" in page
    assert Entry.objects.filter(verb="engagement.supplier_invited").exists()


def test_the_invitation_page_opens_in_chinese_for_a_visitor_from_wechat(
    buyer, owner, relationship, client
):
    post_invite(owner, buyer, relationship)
    token = mail.outbox[0].body.split("/invite/")[1].split("/")[0]
    response = client.get(reverse("accounts:invitation", args=[token]))
    assert "加入" in response.content.decode()


def test_inviting_by_a_known_credit_code_names_the_existing_organisation(
    buyer, owner, relationship, supplier_org, supplier_user
):
    supplier_org.credit_code = XINYUAN
    supplier_org.save()
    response = post_invite(owner, buyer, relationship, code=XINYUAN.lower())
    assert response.status_code == 200
    assert Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER).count() == 1
    relationship.refresh_from_db()
    assert relationship.supplier == supplier_org
    # Its people see the request in their workspace: no buyer places an address among them.
    assert not Invitation.objects.filter(organisation=supplier_org).exists()
    assert "already" in response.content.decode()


def test_inviting_a_known_address_finds_the_organisation_an_administrator_made(
    buyer, owner, relationship, supplier_org, supplier_user
):
    post_invite(owner, buyer, relationship, email="Manager@Haichen.example")
    relationship.refresh_from_db()
    assert relationship.supplier == supplier_org
    assert not Organisation.objects.filter(credit_code=XINYUAN).exists()


def test_a_wrong_credit_code_is_explained_and_nothing_is_created(buyer, owner, relationship):
    response = post_invite(owner, buyer, relationship, code=XINYUAN[:-1] + "0")
    assert response.status_code == 200
    assert "credit code" in response.content.decode()
    assert not Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER).exists()
    assert not mail.outbox


def test_a_viewer_and_other_buyers_cannot_invite(buyer, viewer, other_buyer, relationship):
    assert post_invite(viewer, buyer, relationship).status_code == 403
    assert post_invite(other_buyer, buyer, relationship).status_code == 404
    assert not Organisation.objects.filter(credit_code=XINYUAN).exists()


# --- the supplier picker ------------------------------------------------------------------------


def picker(user, buyer, find=""):
    url = reverse("engagement:relationship_create", args=[buyer.slug])
    return client_for(user).get(url, {"find": find} if find else {}).content.decode()


def test_the_picker_lists_no_supplier_unrelated_to_the_buyers_chain(owner, buyer, chain):
    OrganisationFactory(name="Unrelated Granite", kind=Organisation.Kind.SUPPLIER)
    assert "Unrelated Granite" not in picker(owner, buyer)


def test_the_picker_lists_the_supplier_whose_credit_code_a_chain_facility_carries(
    owner, buyer, chain
):
    OrganisationFactory(
        name="Jinlong Granite", kind=Organisation.Kind.SUPPLIER, credit_code=XINYUAN
    )
    facility_update(facility=chain["processor"], organisation=buyer, by=owner, credit_code=XINYUAN)
    assert "Jinlong Granite" in picker(owner, buyer)


def test_a_search_by_name_or_credit_code_finds_a_supplier(owner, buyer, chain):
    OrganisationFactory(
        name="Jinlong Granite", kind=Organisation.Kind.SUPPLIER, credit_code=XINYUAN
    )
    assert "Jinlong Granite" in picker(owner, buyer, find="jinlong")
    assert "Jinlong Granite" in picker(owner, buyer, find=XINYUAN.lower())
    assert "Jinlong Granite" not in picker(owner, buyer, find="x")


def test_a_supplier_found_by_search_can_be_chosen(owner, buyer, chain):
    found = OrganisationFactory(name="Jinlong Granite", kind=Organisation.Kind.SUPPLIER)
    url = reverse("engagement:relationship_create", args=[buyer.slug]) + "?find=Jinlong"
    response = client_for(owner).post(
        url, {"facility": chain["processor"].pk, "supplier": found.pk}
    )
    assert response.status_code == 302
    assert buyer.relationships.get().supplier == found


def test_an_unrelated_supplier_cannot_be_posted_to_the_edit_form(owner, buyer, relationship):
    unrelated = OrganisationFactory(name="Unrelated Granite", kind=Organisation.Kind.SUPPLIER)
    member(unrelated)
    url = reverse("engagement:relationship_edit", args=[buyer.slug, relationship.pk])
    response = client_for(owner).post(
        url, {"supplier": unrelated.pk, "improvement_period_days": 365}
    )
    assert response.status_code == 200
    relationship.refresh_from_db()
    assert relationship.supplier is None
