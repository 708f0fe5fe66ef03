"""A person's right to erasure (GDPR art. 17, PIPL art. 47): their name and e-mail address give
way to a pseudonym everywhere, and the audit log still verifies."""

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from stonebridge.accounts import services
from stonebridge.accounts.models import Invitation, Membership, Role, User
from stonebridge.audit.models import Entry
from stonebridge.audit.services import verify
from stonebridge.notifications.models import Notification

from ..audit.test_chain import write_version_1_entries
from ..conftest import PASSWORD, UserFactory, client_for, member

EMAIL = "lin.xiuying@noordsteen.example"
NAME = "林秀英"


@pytest.fixture
def lin(buyer, other_buyer_org):
    """A person named in entries from before chain version 2, in a membership, an invitation
    from another organisation and a notice to a colleague."""
    person = UserFactory(email=EMAIL, name=NAME)
    write_version_1_entries(person, buyer, 2)
    owner = member(buyer, Role.OWNER, email="owner@noordsteen.example", name="Anna de Vries")
    services.membership_add(organisation=buyer, user=person, role=Role.EDITOR, by=owner)
    steinwerk = member(other_buyer_org, Role.OWNER, email="owner@steinwerk.example")
    services.invitation_create(
        organisation=other_buyer_org, email=EMAIL, role=Role.VIEWER, by=steinwerk
    )
    Notification.objects.create(
        user=owner, kind="comment", message=f"{NAME} commented on “Dust extraction”.", url="/"
    )
    Notification.objects.create(user=person, kind="comment", message="For Lin", url="/")
    return person


def stored_everywhere():
    """Every stored value of the tables that could hold the person's name or address."""
    return " ".join(
        str(list(model.objects.values()))
        for model in (User, Entry, Invitation, Notification, Membership)
    )


def test_erasing_replaces_name_and_address_everywhere_and_the_chain_still_verifies(lin, buyer):
    assert EMAIL in stored_everywhere()
    assert NAME in stored_everywhere()
    hashed_before = dict(Entry.objects.values_list("id", "hash"))
    owner = User.objects.get(email="owner@noordsteen.example")

    services.user_erase(user=lin, by=lin)

    stored = stored_everywhere()
    assert EMAIL not in stored
    assert "lin.xiuying" not in stored
    assert NAME not in stored
    lin.refresh_from_db()
    assert lin.name.startswith("erased-")
    assert lin.email == f"{lin.name}@erased.invalid"
    assert (lin.is_active, lin.has_usable_password()) == (False, False)
    assert not Membership.objects.filter(user=lin).exists()
    assert Invitation.objects.get().email == lin.email
    assert Notification.objects.get().message == f"{lin.name} commented on “Dust extraction”."
    # No hash changed, and the chain verifies, old entries included.
    assert {
        pk: digest for pk, digest in Entry.objects.values_list("id", "hash") if pk in hashed_before
    } == hashed_before
    assert verify().ok
    erased = Entry.objects.get(verb="person.erased")
    assert erased.actor == lin
    assert len(erased.changes["v1_entries"]) == 2
    # The log shows the pseudonym where it showed the person.
    page = client_for(owner).get(reverse("accounts:audit_log", args=[buyer.slug])).content.decode()
    assert f"<strong>person</strong>: {lin.name}" in page
    assert NAME not in page


def test_an_erased_old_entry_is_still_checked_for_its_place(lin):
    services.user_erase(user=lin, by=lin)
    _first, second = Entry.objects.filter(version=1).order_by("id")
    models.QuerySet(Entry).filter(pk=second.pk).delete()
    assert not verify().ok


def test_the_only_owner_cannot_be_erased_until_someone_else_owns(buyer, owner, viewer):
    with pytest.raises(ValidationError, match="only owner of Noordsteen"):
        services.user_erase(user=owner, by=owner)
    assert User.objects.get(pk=owner.pk).email == "owner@noordsteen.example"
    services.membership_change_role(
        membership=Membership.objects.get(user=viewer), role=Role.OWNER, by=owner
    )
    services.user_erase(user=owner, by=owner)
    assert verify().ok


def test_a_person_erases_their_own_account_with_their_password(lin):
    client = client_for(lin)
    page = client.get(reverse("accounts:account")).content.decode()
    assert reverse("accounts:account_erase") in page
    wrong = client.post(reverse("accounts:account_erase"), {"password": "not-it"})
    assert "That password is not correct." in wrong.content.decode()
    assert User.objects.get(pk=lin.pk).email == EMAIL
    response = client.post(reverse("accounts:account_erase"), {"password": PASSWORD})
    assert response["Location"] == reverse("accounts:login")
    assert User.objects.get(pk=lin.pk).name.startswith("erased-")
    # Logged out, and the old password no longer opens anything.
    assert client.get(reverse("accounts:account")).status_code == 302
    login = client_for(None).post(reverse("accounts:login"), {"email": EMAIL, "password": PASSWORD})
    assert "not correct" in login.content.decode()


def test_guessing_the_password_on_the_erase_page_is_limited_like_a_login(lin, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    client = client_for(lin)
    for _attempt in range(3):
        client.post(reverse("accounts:account_erase"), {"password": "not-it"})
    page = client.post(reverse("accounts:account_erase"), {"password": PASSWORD}).content.decode()
    assert "Too many failed attempts" in page
    assert User.objects.get(pk=lin.pk).email == EMAIL


def test_staff_erase_an_account_from_the_admin(client, lin):
    staff = UserFactory(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.post(reverse("accounts:login"), {"email": staff.email, "password": PASSWORD})
    client.post(reverse("accounts:login_verify"), {"code": f"{totp(device.bin_key):06d}"})
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "erase_accounts", "_selected_action": [lin.pk]},
        follow=True,
    )
    assert "1 account erased." in response.content.decode()
    lin.refresh_from_db()
    assert lin.name.startswith("erased-")
    assert Entry.objects.get(verb="person.erased").actor == staff
    assert verify().ok
