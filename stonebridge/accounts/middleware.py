"""Per-person language and time zone; two-factor login required for staff."""

import zoneinfo
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.middleware import is_verified

Handler = Callable[[HttpRequest], HttpResponse]


def user_preferences(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
            timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
        else:
            timezone.deactivate()
        return get_response(request)

    return middleware


def staff_two_factor(get_response: Handler) -> Handler:
    """Staff reach the admin and everyone's data: they must log in with a second factor."""
    allowed_prefixes = ("/account/two-factor/", "/accounts/logout/", "/static/", "/language/")

    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.is_staff
            and not is_verified(user)  # reads the device OTPMiddleware (earlier) found
            and not request.path.startswith(allowed_prefixes)
        ):
            messages.warning(request, _("Staff accounts must set up two-factor login first."))
            return redirect(reverse("accounts:two_factor"))
        return get_response(request)

    return middleware
