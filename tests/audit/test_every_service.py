"""Every service writes exactly one audit entry. A new service fails here until it has a case."""

import inspect

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from stonebridge.accounts import services
from stonebridge.accounts.models import Membership
from stonebridge.audit.models import Entry

from ..conftest import OrganisationFactory, UserFactory

# Registers what another app does when an account is erased; changes nothing itself.
HOOKS = {"on_user_erased"}


def confirm(owner, **_):
    device = TOTPDevice.objects.create(user=owner, name="phone", confirmed=False)
    code = f"{totp(device.bin_key):06d}"
    return lambda: services.two_factor_confirm(device=device, code=code)


def backup_codes(owner, **_):
    TOTPDevice.objects.create(user=owner, name="phone", confirmed=True)
    return lambda: services.backup_codes_create(user=owner)


CASES = {
    "organisation_create": lambda **w: (
        lambda: services.organisation_create(
            slug="marmo", name="Marmo", kind="buyer", by=w["owner"]
        )
    ),
    "membership_add": lambda **w: (
        lambda: services.membership_add(
            organisation=w["buyer"], user=UserFactory(), role="viewer", by=w["owner"]
        )
    ),
    "membership_change_role": lambda **w: (
        lambda: services.membership_change_role(
            membership=Membership.objects.get(user=w["viewer"]), role="editor", by=w["owner"]
        )
    ),
    "membership_remove": lambda **w: (
        lambda: services.membership_remove(
            membership=Membership.objects.get(user=w["viewer"]), by=w["owner"]
        )
    ),
    "invitation_create": lambda **w: (
        lambda: services.invitation_create(
            organisation=w["buyer"], email="a@example.com", role="viewer", by=w["owner"]
        )
    ),
    "invitation_accept": lambda **w: (
        lambda invitation: (
            lambda: services.invitation_accept(
                invitation=invitation, user=UserFactory(email="b@example.com")
            )
        )
    )(
        services.invitation_create(
            organisation=w["buyer"], email="b@example.com", role="viewer", by=w["owner"]
        )[0]
    ),
    "invitation_revoke": lambda **w: (
        lambda invitation: lambda: services.invitation_revoke(invitation=invitation, by=w["owner"])
    )(
        services.invitation_create(
            organisation=w["buyer"], email="c@example.com", role="viewer", by=w["owner"]
        )[0]
    ),
    "user_register": lambda **w: (
        lambda: services.user_register(
            email="d@example.com", name="D", password="x-long-password", language="en"
        )
    ),
    "user_update_preferences": lambda **w: (
        lambda: services.user_update_preferences(user=w["owner"], language="zh-hans")
    ),
    "api_token_create": lambda **w: lambda: services.api_token_create(user=w["owner"], name="t"),
    "api_token_revoke": lambda **w: (
        lambda token: lambda: services.api_token_revoke(token=token, by=w["owner"])
    )(services.api_token_create(user=w["owner"], name="t")[0]),
    "two_factor_confirm": confirm,
    "two_factor_disable": lambda **w: lambda: services.two_factor_disable(user=w["owner"]),
    # A person in no organisation: each membership ended on the way is one more entry.
    "user_erase": lambda **w: (lambda person: lambda: services.user_erase(user=person, by=person))(
        UserFactory()
    ),
    "backup_codes_create": backup_codes,
    "user_password_changed": lambda **w: (
        lambda: services.user_password_changed(user=w["owner"], how="change")
    ),
}


def service_names():
    return sorted(
        name
        for name, fn in inspect.getmembers(services, inspect.isfunction)
        if fn.__module__ == services.__name__ and not name.startswith("_") and name not in HOOKS
    )


def test_every_service_has_a_case():
    assert service_names() == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_service_writes_one_entry(name, owner, viewer, buyer):
    OrganisationFactory()
    call = CASES[name](owner=owner, viewer=viewer, buyer=buyer)
    before = Entry.objects.count()
    call()
    assert Entry.objects.count() == before + 1
