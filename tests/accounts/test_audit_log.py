"""The audit log's page and API: an organisation's own entries, filtered, with people looked up."""

import re

from django.urls import reverse

from stonebridge.accounts import services
from stonebridge.accounts.models import Membership

from ..conftest import client_for


def test_the_page_lists_only_the_organisations_own_entries_with_filters(
    owner, viewer, other_buyer, buyer
):
    services.membership_change_role(
        membership=Membership.objects.get(user=viewer), role="editor", by=owner
    )
    client = client_for(viewer)
    page = client.get(reverse("accounts:audit_log", args=[buyer.slug])).content.decode()
    assert "Role changed" in page
    assert "Viewer → Editor" in page
    assert "owner@steinwerk.example" not in page
    filtered = client.get(
        reverse("accounts:audit_log", args=[buyer.slug]), {"verb": "membership.added"}
    ).content.decode()
    assert 'data-verb="membership.role_changed"' not in filtered
    assert 'data-verb="membership.added"' in filtered
    none = client.get(
        reverse("accounts:audit_log", args=[buyer.slug]), {"since": "2999-01-01"}
    ).content.decode()
    assert "No entries match these filters." in none


def test_a_reversed_date_range_is_a_field_error(owner, buyer):
    page = client_for(owner).get(
        reverse("accounts:audit_log", args=[buyer.slug]),
        {"since": "2026-02-01", "until": "2026-01-01"},
    )
    assert "This date is before the start date." in page.content.decode()


def test_the_api_looks_up_the_people_an_entry_is_about(owner, viewer, buyer):
    _token, secret = services.api_token_create(user=owner, name="ERP")
    body = client_for(None).get(
        f"/api/organisations/{buyer.slug}/audit",
        {"verb": "membership.added"},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    labels = {item["target_label"] for item in body.json()["items"]}
    assert labels == {
        f"Anna de Vries · {buyer} · Owner",
        f"{viewer} · {buyer} · Viewer",
    }


def test_entries_read_as_labels_never_as_keys(owner, viewer, buyer, chain):
    services.membership_change_role(
        membership=Membership.objects.get(user=viewer), role="editor", by=owner
    )
    owner.language = "zh-hans"
    owner.save()
    page = client_for(owner).get(reverse("accounts:audit_log", args=[buyer.slug])).content.decode()
    assert "<strong>角色</strong>：只读成员 → 编辑" in page
    # The exporter's direct sourcing: a share of output that was not recorded before.
    assert "<strong>占供应商产量的份额</strong>：— → " in page
    text = re.sub(r"<[^>]+>", " ", page.split("<main")[1])
    for key in ("role", "share_of_output", "annual_volume", "None", "viewer", "membership.added"):
        assert key not in text, key
