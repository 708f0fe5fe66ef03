"""Staff change StoneBridge defaults in the admin: the meaning and the shipped value beside the
value in use, field errors for values out of bounds, every change in the audit log, and no way
to add or remove a default."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from stonebridge.audit.models import Entry
from stonebridge.defaults import queries as defaults
from stonebridge.defaults.models import Default, Key

from ..conftest import PASSWORD, UserFactory, client_for


@pytest.fixture
def staff(db) -> Client:
    person = UserFactory(is_staff=True, is_superuser=True, email="admin@stonebridge.example")
    device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    client = Client()
    client.post(reverse("accounts:login"), {"email": person.email, "password": PASSWORD})
    client.post(reverse("accounts:login_verify"), {"code": f"{totp(device.bin_key):06d}"})
    return client


def change_url(key: str) -> str:
    return reverse("admin:defaults_default_change", args=[Default.objects.get(key=key).pk])


def test_the_list_shows_each_default_with_the_value_stonebridge_ships(staff):
    page = staff.get(reverse("admin:defaults_default_changelist")).content.decode()
    assert "Days past due before silence counts as ignored" in page
    assert "Fewest members behind a covenant figure" in page
    assert "As StoneBridge ships it" in page
    assert "delete_selected" not in page
    assert reverse("admin:defaults_default_add") not in page


def test_the_change_page_explains_the_default(staff):
    page = staff.get(change_url(Key.SHORT_LEAD_DAYS)).content.decode()
    assert "shows the practice “Short lead time”" in page
    assert 'name="value"' in page
    assert 'name="stonebridge_default"' not in page


def test_a_change_in_the_admin_is_used_and_shows_in_the_audit_log(staff):
    response = staff.post(change_url(Key.GRACE_DAYS), {"value": "45"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert defaults.value(Key.GRACE_DAYS) == 45
    entry = Entry.objects.get(verb="defaults.changed")
    assert entry.actor.email == "admin@stonebridge.example"
    log = staff.get(reverse("admin:audit_entry_changelist")).content.decode()
    assert "defaults.changed" in log
    assert "Days past due before silence counts as ignored" in log


@pytest.mark.parametrize(
    ("key", "value"), [(Key.SURVEY_MIN_ANSWERS, 4), (Key.COVENANT_MIN_MEMBERS, 2)]
)
def test_a_minimum_group_size_below_its_floor_is_a_field_error(staff, key, value):
    response = staff.post(change_url(key), {"value": str(value)})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "in a smaller group people could be recognised" in errors["value"][0]
    assert defaults.value(key) == Default.objects.get(key=key).stonebridge_default
    assert not Entry.objects.filter(verb="defaults.changed").exists()


def test_staff_can_neither_add_nor_delete_a_default(staff):
    row = Default.objects.get(key=Key.GRACE_DAYS)
    assert staff.get(reverse("admin:defaults_default_add")).status_code == 403
    assert staff.post(reverse("admin:defaults_default_delete", args=[row.pk])).status_code == 403
    staff.post(
        reverse("admin:defaults_default_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert Default.objects.count() == len(Key.values)


def test_a_member_who_is_not_staff_cannot_change_a_default(owner):
    response = client_for(owner).post(change_url(Key.GRACE_DAYS), {"value": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert defaults.value(Key.GRACE_DAYS) == 30
