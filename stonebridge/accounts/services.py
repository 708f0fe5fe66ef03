"""Every change to organisations, people, invitations and tokens. Each writes the audit log."""

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stonebridge.audit.services import pseudonymise, record

from .models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    Role,
    User,
    hash_secret,
    new_secret,
)
from .tasks import send_invitation_email


@transaction.atomic
def organisation_create(
    *,
    slug: str,
    name: str,
    kind: str,
    by: User | None = None,
    name_zh: str = "",
    country: str = "",
    city: str = "",
    covenant: Organisation | None = None,
    credit_code: str | None = None,
) -> Organisation:
    organisation = Organisation(
        credit_code=credit_code or None,
        slug=slug,
        name=name,
        name_zh=name_zh,
        kind=kind,
        country=country,
        city=city,
        covenant=covenant,
    )
    organisation.full_clean()
    organisation.save()
    record(
        actor=by,
        organisation=organisation,
        verb="organisation.created",
        target=organisation,
        changes={"name": name, "name_zh": name_zh, "kind": kind, "credit_code": credit_code},
    )
    return organisation


@transaction.atomic
def membership_add(
    *, organisation: Organisation, user: User, role: str, by: User | None
) -> Membership:
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    membership = Membership.objects.create(organisation=organisation, user=user, role=role)
    record(
        actor=by,
        organisation=organisation,
        verb="membership.added",
        target=membership,
        changes={"person": user.pk, "role": role},
    )
    return membership


def _ensure_an_owner_remains(membership: Membership) -> None:
    if membership.role == Role.OWNER and membership.organisation.memberships.owners().count() == 1:
        raise ValidationError({"role": _("An organisation needs at least one owner.")})


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, by: User) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if role == membership.role:
        return membership
    if role != Role.OWNER:
        _ensure_an_owner_remains(membership)
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record(
        actor=by,
        organisation=membership.organisation,
        verb="membership.role_changed",
        target=membership,
        changes={"role": [old, role]},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    _ensure_an_owner_remains(membership)
    record(
        actor=by,
        organisation=membership.organisation,
        verb="membership.removed",
        target=membership,
        changes={"person": membership.user_id, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    by: User | None,
    language: str = "en",
    sender: str = "",
) -> tuple[Invitation, str]:
    """Create an invitation and queue its e-mail. Returns the link token, shown only once.
    `sender` names the organisation that asks when it is not the one to join (a buyer inviting
    its supplier); the e-mail says who asks."""
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    token = new_secret()
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        language=language,
        token_hash=hash_secret(token),
        created_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    record(
        actor=by,
        organisation=organisation,
        verb="invitation.created",
        target=invitation,
        changes={"role": role},
    )
    # The database queue stores the task in this transaction: no invitation, no e-mail.
    send_invitation_email.enqueue(invitation_id=invitation.pk, token=token, sender=sender)
    return invitation, token


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.usable():
        raise ValidationError(_("This invitation has expired or was already used."))
    if user.email.lower() != invitation.email:
        raise ValidationError(
            _("This invitation was sent to %(email)s. Log in with that address to accept it.")
            % {"email": invitation.email}
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership_add(
        organisation=invitation.organisation, user=user, role=invitation.role, by=user
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(
        actor=by,
        organisation=invitation.organisation,
        verb="invitation.revoked",
        target=invitation,
    )


@transaction.atomic
def user_register(*, email: str, name: str, password: str, language: str) -> User:
    user = User.objects.create_user(email=email, password=password, name=name, language=language)
    record(actor=user, organisation=None, verb="user.registered", target=user)
    return user


def _diff(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        field: [getattr(obj, field), value]
        for field, value in values.items()
        if getattr(obj, field) != value
    }


@transaction.atomic
def user_update_preferences(*, user: User, **values: Any) -> User:
    """Name, language and time zone: what a person sets for themselves."""
    allowed = {"name", "language", "time_zone"}
    if not set(values) <= allowed:
        raise ValueError(f"only {allowed} can be set here")
    changes = _diff(user, values)
    if changes:
        for field, value in values.items():
            setattr(user, field, value)
        user.full_clean(exclude=["password"])
        user.save(update_fields=list(changes))
        # A name is personal data the log must not hold: it says the name changed, not to what.
        record(
            actor=user,
            organisation=None,
            verb="user.preferences_changed",
            target=user,
            changes={field: "…" if field == "name" else value for field, value in changes.items()},
        )
    return user


@transaction.atomic
def api_token_create(
    *, user: User, name: str, valid_days: int | None = None, read_only: bool = False
) -> tuple[ApiToken, str]:
    """Returns the token and its secret; the secret is never stored and cannot be shown again.

    Without `valid_days` the token works until revoked; a read-only token can only read."""
    secret = ApiToken.PREFIX + new_secret()
    expires_at = timezone.now() + timedelta(days=valid_days) if valid_days else None
    token = ApiToken(
        user=user,
        name=name,
        hint=secret[:10],
        key_hash=hash_secret(secret),
        expires_at=expires_at,
        read_only=read_only,
    )
    token.full_clean()
    token.save()
    record(
        actor=user,
        organisation=None,
        verb="api_token.created",
        target=token,
        changes={
            "name": name,
            "expires_at": expires_at.isoformat() if expires_at else None,
            "read_only": read_only,
        },
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor=by, organisation=None, verb="api_token.revoked", target=token)


@transaction.atomic
def two_factor_confirm(*, device: TOTPDevice, code: str) -> bool:
    """Confirm a new authenticator app with a code it shows. False if the code is wrong."""
    if not device.verify_token(code):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(actor=device.user, organisation=None, verb="two_factor.enabled", target=device.user)
    return True


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    if user.is_staff:
        raise ValidationError(_("Staff accounts must keep two-factor login."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(actor=user, organisation=None, verb="two_factor.disabled", target=user)


# Apps that keep a person's name in text of their own (a notice "Anna reported on …") register a
# hook here when they start; accounts knows no domain app. A hook gets the texts to replace and
# the pseudonym that replaces them.
ErasureHook = Callable[[User, list[str], str], None]
_erasure_hooks: list[ErasureHook] = []


def on_user_erased(hook: ErasureHook) -> None:
    _erasure_hooks.append(hook)


@transaction.atomic
def user_erase(*, user: User, by: User) -> User:
    """Erase a person's account: their right to erasure (GDPR art. 17, PIPL art. 47).

    Their name and e-mail address give way to a pseudonym everywhere StoneBridge keeps them; the
    account row stays, inactive and without a password, so what they did keeps its place in the
    audit log, which names people by id. Their memberships, tokens and authenticator end."""
    user = User.objects.select_for_update().get(pk=user.pk)
    last_owned = [
        m.organisation
        for m in user.memberships.select_related("organisation")
        if m.role == Role.OWNER and m.organisation.memberships.owners().count() == 1
    ]
    if last_owned:
        raise ValidationError(
            _(
                "%(person)s is the only owner of %(organisations)s. "
                "Make someone else an owner first."
            )
            % {"person": user, "organisations": ", ".join(str(o) for o in last_owned)}
        )
    texts = [text for text in (user.email, user.name) if text]
    for membership in user.memberships.select_related("organisation"):
        membership_remove(membership=membership, by=by)
    pseudonym = "erased-" + secrets.token_hex(4)
    pseudonym_email = f"{pseudonym}@erased.invalid"
    Invitation.objects.filter(email__iexact=user.email).update(email=pseudonym_email)
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    for hook in _erasure_hooks:
        hook(user, texts, pseudonym)
    rewritten = pseudonymise(texts=texts, pseudonym=pseudonym)
    user.name = pseudonym
    user.email = pseudonym_email
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.save()
    record(
        actor=by,
        organisation=None,
        verb="person.erased",
        target=user,
        changes={"v1_entries": rewritten} if rewritten else {},
    )
    return user


BACKUP_CODE_COUNT = 10  # StoneBridge default


@transaction.atomic
def backup_codes_create(*, user: User) -> list[str]:
    """New one-time backup codes for when the phone is lost; earlier ones stop working.

    Returned once to show; django-otp's static device uses each code only once."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Turn on two-factor login first."))
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    record(
        actor=user,
        organisation=None,
        verb="two_factor.backup_codes_created",
        target=user,
        changes={"count": len(codes)},
    )
    return codes


@transaction.atomic
def user_password_changed(*, user: User, how: str, by: User | None = None) -> None:
    """After a password change or reset nothing opened with the old password stays open: the
    session check logs out other sessions (Django compares the password hash stored in each
    session), and every API token is revoked here. `by` is staff who set it in the admin."""
    revoked = ApiToken.objects.filter(user=user).active().update(revoked_at=timezone.now())
    record(
        actor=by or user,
        organisation=None,
        verb="admin.password_set" if by is not None and by != user else "user.password_changed",
        target=user,
        changes={"how": how, "api_tokens_revoked": revoked},
    )
