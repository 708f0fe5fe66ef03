from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from stonebridge.audit.models import Entry

from ..conftest import PASSWORD, UserFactory


def test_a_change_made_in_the_admin_is_in_the_audit_log(buyer, client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.post(reverse("accounts:login"), {"email": staff.email, "password": PASSWORD})
    client.post(reverse("accounts:login_verify"), {"code": f"{totp(device.bin_key):06d}"})
    url = reverse("admin:accounts_organisation_change", args=[buyer.pk])
    response = client.post(url, {"slug": buyer.slug, "name": "Noordsteen BV", "kind": "buyer"})
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Entry.objects.order_by("-id").first()
    assert (entry.verb, entry.actor, entry.organisation) == ("admin.changed", staff, buyer)
    assert entry.changes == {"fields": ["name"]}
