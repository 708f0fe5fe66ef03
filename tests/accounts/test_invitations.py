from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from stonebridge.accounts import services
from stonebridge.accounts.models import Invitation, Membership, User

from ..conftest import client_for


def invite(owner, buyer, email="new.person@example.com", role="editor", language="en"):
    return services.invitation_create(
        organisation=buyer, email=email, role=role, by=owner, language=language
    )


def test_an_owner_invites_from_the_people_page_and_the_mail_goes_out(owner, buyer):
    response = client_for(owner).post(
        reverse("accounts:members", args=[buyer.slug]),
        {"email": "Lena@Example.com", "role": "editor", "language": "en"},
    )
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.email == "lena@example.com"
    assert len(mail.outbox) == 1
    assert "/invite/" in mail.outbox[0].body
    # Only a digest of the link is stored.
    token = mail.outbox[0].body.split("/invite/")[1].split("/")[0]
    assert token not in invitation.token_hash
    assert token in response.content.decode()


def test_a_supplier_is_invited_in_chinese(owner, buyer):
    invite(owner, buyer, language="zh-hans")
    assert "邀请" in mail.outbox[0].subject


def test_a_new_person_signs_up_through_the_link(owner, buyer, client):
    _, token = invite(owner, buyer)
    url = reverse("accounts:invitation", args=[token])
    response = client.post(url, {"name": "Lena", "password": "short", "language": "zh-hans"})
    assert response.status_code == 200
    assert not User.objects.filter(email="new.person@example.com").exists()
    response = client.post(
        url, {"name": "Lena", "password": "polished-granite-77", "language": "zh-hans"}
    )
    assert response["Location"] == reverse("accounts:organisation", args=[buyer.slug])
    membership = Membership.objects.get(user__email="new.person@example.com")
    assert membership.role == "editor"
    assert membership.user.language == "zh-hans"


def test_a_link_works_only_once(owner, buyer, client):
    _, token = invite(owner, buyer)
    url = reverse("accounts:invitation", args=[token])
    client.post(url, {"name": "Lena", "password": "polished-granite-77", "language": "en"})
    response = client_for(None).get(url)
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()


def test_an_expired_link_does_not_work(owner, buyer, client):
    invitation, token = invite(owner, buyer)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(reverse("accounts:invitation", args=[token])).status_code == 404


def test_a_withdrawn_link_does_not_work(owner, buyer, client):
    invitation, token = invite(owner, buyer)
    client_for(owner).post(reverse("accounts:invitation_revoke", args=[buyer.slug, invitation.pk]))
    assert client.get(reverse("accounts:invitation", args=[token])).status_code == 404


def test_someone_logged_in_with_another_address_cannot_take_the_invitation(
    owner, buyer, other_buyer
):
    _, token = invite(owner, buyer)
    response = client_for(other_buyer).post(reverse("accounts:invitation", args=[token]))
    assert "was sent to new.person@example.com" in response.content.decode()
    assert not Membership.objects.filter(user=other_buyer, organisation=buyer).exists()


def test_an_existing_user_accepts_while_logged_in(owner, buyer, other_buyer):
    _, token = invite(owner, buyer, email=other_buyer.email, role="viewer")
    client_for(other_buyer).post(reverse("accounts:invitation", args=[token]))
    assert Membership.objects.get(user=other_buyer, organisation=buyer).role == "viewer"


def test_a_member_cannot_be_invited_twice(owner, buyer, viewer):
    with pytest.raises(ValidationError) as error:
        invite(owner, buyer, email=viewer.email)
    assert "email" in error.value.message_dict
