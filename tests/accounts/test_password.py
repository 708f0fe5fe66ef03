"""Password resets and changes: links to the real site, no flooding, nothing left open."""

import pytest
from django.core import mail
from django.urls import reverse

from stonebridge.accounts.models import ApiToken
from stonebridge.accounts.services import api_token_create

from ..conftest import PASSWORD, client_for

NEW_PASSWORD = "granite-and-basalt-42"


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


def reset_link(message) -> str:
    return next(line for line in message.body.splitlines() if "/accounts/password/reset/" in line)


def test_a_reset_link_points_to_the_site_whatever_host_the_request_named(owner, client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://stonebridge.example.org"
    client.post(
        reverse("accounts:password_reset"), {"email": owner.email}, HTTP_HOST="evil.example"
    )
    assert reset_link(mail.outbox[0]).startswith("https://stonebridge.example.org/accounts/")


def test_reset_requests_are_limited_per_address(owner, client, settings):
    for _ in range(settings.PASSWORD_RESET_LIMIT):
        client.post(reverse("accounts:password_reset"), {"email": owner.email})
    response = client.post(reverse("accounts:password_reset"), {"email": owner.email})
    assert "Too many requests. Wait an hour and try again." in response.content.decode()
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT


def test_one_client_cannot_flood_many_mailboxes(owner, editor, viewer, client, settings):
    settings.PASSWORD_RESET_LIMIT = 2
    for person in (owner, editor):
        client.post(reverse("accounts:password_reset"), {"email": person.email})
    response = client.post(reverse("accounts:password_reset"), {"email": viewer.email})
    assert "Too many requests" in response.content.decode()
    assert [m.to for m in mail.outbox] == [[owner.email], [editor.email]]


def test_a_password_change_logs_out_other_sessions_and_revokes_api_tokens(owner, buyer):
    here, elsewhere = client_for(None), client_for(None)
    for client in (here, elsewhere):
        client.post(reverse("accounts:login"), {"email": owner.email, "password": PASSWORD})
    _token, secret = api_token_create(user=owner, name="ERP")
    here.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    organisation = reverse("accounts:organisation", args=[buyer.slug])
    assert here.get(organisation).status_code == 200, "the person who changed it stays in"
    assert elsewhere.get(organisation).status_code == 302
    assert client_for(None).get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert not ApiToken.objects.active().exists()


def test_a_password_reset_logs_out_every_session_and_revokes_api_tokens(owner, buyer):
    session = client_for(None)
    session.post(reverse("accounts:login"), {"email": owner.email, "password": PASSWORD})
    _token, secret = api_token_create(user=owner, name="ERP")
    client = client_for(None)
    client.post(reverse("accounts:password_reset"), {"email": owner.email})
    path = reset_link(mail.outbox[0]).split("testserver", 1)[1]
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert session.get(reverse("accounts:organisation", args=[buyer.slug])).status_code == 302
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
