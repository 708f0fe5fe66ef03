import pytest

from stonebridge.accounts.models import Invitation, Membership
from stonebridge.accounts.services import api_token_create


@pytest.fixture
def api(owner):
    from django.test import Client

    secret = api_token_create(user=owner, name="test")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_openapi_and_docs_are_served(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "StoneBridge API"
    assert "/api/organisations/{org}/members" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_lists_come_in_pages(api, buyer, owner, viewer):
    body = api.get(f"/api/organisations/{buyer.slug}/members", {"page_size": 1}).json()
    assert body["count"] == 2
    assert len(body["items"]) == 1


def test_bad_input_returns_field_errors(api, buyer):
    response = api.post(
        f"/api/organisations/{buyer.slug}/invitations",
        {"email": "not-an-address", "role": "boss"},
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"email", "role"}
    assert not Invitation.objects.exists()


def test_a_service_refusal_is_a_field_error(api, buyer, viewer):
    response = api.post(
        f"/api/organisations/{buyer.slug}/invitations",
        {"email": viewer.email, "role": "viewer"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email"


def test_an_owner_invites_and_changes_roles_through_the_api(api, buyer, viewer):
    response = api.post(
        f"/api/organisations/{buyer.slug}/invitations",
        {"email": "new@example.com", "role": "editor", "language": "zh-hans"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert "/invite/" in response.json()["link"]
    membership = Membership.objects.get(user=viewer)
    response = api.patch(
        f"/api/organisations/{buyer.slug}/members/{membership.pk}",
        {"role": "editor"},
        content_type="application/json",
    )
    assert response.json()["role"] == "editor"


def test_the_audit_log_is_filtered_through_the_api(api, buyer, owner):
    body = api.get(f"/api/organisations/{buyer.slug}/audit", {"verb": "membership.added"}).json()
    assert body["count"] == 1
    assert body["items"][0]["actor"] is None
    assert len(body["items"][0]["hash"]) == 64
