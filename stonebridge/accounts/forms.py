import zoneinfo
from datetime import datetime, time
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stonebridge.audit.labels import label
from stonebridge.audit.models import Entry
from stonebridge.pages import date_input

from .access import scoped
from .models import Membership, Role, User, hash_secret

TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
CHINA = "Asia/Shanghai"


def time_zone_choices() -> list[tuple[object, list[tuple[str, object]]]]:
    """China and Europe first, where suppliers and buyers are; every other zone after them."""
    europe = [tz for tz in TIME_ZONES if tz.startswith("Europe/")]
    others = [tz for tz in TIME_ZONES if tz != CHINA and not tz.startswith("Europe/")]
    return [
        (_("China"), [(CHINA, _("China Standard Time (Beijing, Asia/Shanghai)"))]),
        (_("Europe"), [(tz, tz.removeprefix("Europe/").replace("_", " ")) for tz in europe]),
        (_("Other time zones"), [(tz, tz) for tz in others]),
    ]


class Throttle:
    """Counts attempts per key in the shared cache (Redis with several app servers).

    Each key has its own ceiling: `Throttle(("account:…", 5), ("client:…", 30))` is blocked as
    soon as either key has reached its ceiling within the window.
    """

    def __init__(self, *limits: tuple[str, int], window: int | None = None) -> None:
        self.limits = [("throttle:" + hash_secret(key), limit) for key, limit in limits if key]
        self.window = window or settings.LOGIN_FAILURE_WINDOW_SECONDS

    def blocked(self) -> bool:
        return any(cache.get(key, 0) >= limit for key, limit in self.limits)

    def fail(self) -> None:
        for key, _limit in self.limits:
            cache.add(key, 0, self.window)
            cache.incr(key)

    def clear(self) -> None:
        cache.delete_many([key for key, _limit in self.limits])


def login_throttle(email: str, client: str) -> Throttle:
    """Failed logins count per account *and* address together, so someone guessing from
    elsewhere cannot lock a person out; a higher ceiling per address alone stops one address
    trying many accounts (an office behind one address still logs in)."""
    return Throttle(
        (f"login:{email}|{client}", settings.LOGIN_FAILURE_LIMIT),
        (f"login-client:{client}", settings.LOGIN_ADDRESS_FAILURE_LIMIT),
    )


TOO_MANY = _("Too many failed attempts. Wait %(minutes)d minutes and try again.")


def too_many_message() -> str:
    return TOO_MANY % {"minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60}


def too_many_requests_message() -> str:
    return str(_("Too many requests. Wait an hour and try again."))


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )

    def __init__(self, *args: Any, client: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        self.user: User | None = None

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        email = str(data.get("email", "")).lower()
        throttle = login_throttle(email, self.client)
        if throttle.blocked():
            raise forms.ValidationError(too_many_message())
        if email and data.get("password"):
            user = authenticate(username=email, password=data["password"])
            if user is None:
                throttle.fail()
                raise forms.ValidationError(_("The e-mail address or password is not correct."))
            throttle.clear()
            self.user = user
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class LoginCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a backup code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}),
    )

    def clean_code(self) -> str:
        # Backup codes are printed in lower case; people type them as they like.
        return "".join(self.cleaned_data["code"].split()).lower()


class PreferencesForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Deadlines and times are shown in this time zone."),
    )


class RegisterForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        help_text=_("At least 8 characters; not only numbers and not a common password."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, User(email=self.email))
        return password


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. 'ERP export'.")
    )
    valid_days = forms.TypedChoiceField(
        label=_("Valid for"),
        choices=[
            ("30", _("30 days")),
            ("90", _("90 days")),
            ("365", _("one year")),
            ("", _("until revoked")),
        ],
        initial="90",
        coerce=int,
        empty_value=None,
        required=False,
    )
    read_only = forms.BooleanField(
        label=_("Read only"),
        required=False,
        help_text=_("The token can read but not change anything."),
    )


class EraseAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        # Limited like a login: an open session must not become a way to guess the password.
        throttle = Throttle(("erase:" + str(self.user.pk), settings.LOGIN_FAILURE_LIMIT))
        if throttle.blocked():
            raise forms.ValidationError(too_many_message())
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            throttle.fail()
            raise forms.ValidationError(_("That password is not correct."))
        throttle.clear()
        return password


class AuditEntryFilterForm(forms.Form):
    verb = forms.ChoiceField(label=pgettext_lazy("audit log", "Action"), required=False)
    actor = forms.ChoiceField(label=_("By"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=date_input())
    until = forms.DateField(label=_("Until"), required=False, widget=date_input())
    q = forms.CharField(label=_("Object"), required=False)

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = scoped(Entry.objects.all(), membership)
        verbs = own.order_by("verb").values_list("verb", flat=True).distinct()
        verb_field = cast(forms.ChoiceField, self.fields["verb"])
        verb_field.choices = [("", _("All actions"))] + [(v, label(v)) for v in verbs]
        actors = (
            own.filter(actor__isnull=False)
            .order_by("actor__email")
            .values_list("actor_id", "actor__email")
            .distinct()
        )
        actor_field = cast(forms.ChoiceField, self.fields["actor"])
        actor_field.choices = [("", _("Everyone"))] + [(str(i), e) for i, e in actors]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("This date is before the start date."))
        return data

    def filter(self, entries: QuerySet[Entry]) -> QuerySet[Entry]:
        data = self.cleaned_data
        if data["verb"]:
            entries = entries.filter(verb=data["verb"])
        if data["actor"]:
            entries = entries.filter(actor_id=data["actor"])
        zone = timezone.get_current_timezone()
        if data["since"]:
            entries = entries.filter(
                created_at__gte=datetime.combine(data["since"], time.min, zone)
            )
        if data["until"]:
            entries = entries.filter(
                created_at__lte=datetime.combine(data["until"], time.max, zone)
            )
        if data["q"]:
            entries = entries.filter(target_label__icontains=data["q"])
        return entries
