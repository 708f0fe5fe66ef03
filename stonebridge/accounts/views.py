import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from stonebridge.audit.models import Entry
from stonebridge.audit.services import describe
from stonebridge.pages import PageRequest, attempt, org_context, paginate, submit

from . import cards, exports, queries, services
from .access import (
    get_own_or_404,
    get_scoped_or_404,
    organisation_view,
    organisations_for,
)
from .forms import (
    ApiTokenForm,
    CodeForm,
    EraseAccountForm,
    InvitationForm,
    LoginCodeForm,
    LoginForm,
    PreferencesForm,
    RegisterForm,
    RoleForm,
    Throttle,
    too_many_message,
    too_many_requests_message,
)
from .models import ApiToken, Invitation, Membership, Organisation, Role, User

PENDING_USER = "pending_two_factor_user"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site: anything else would be taken for a view's name by redirect().
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return reverse("home")


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        # Someone already logged in (e.g. sent here by the admin for lacking staff rights).
        return redirect("home")
    form = LoginForm(request.POST or None, client=request.META.get(settings.CLIENT_IP_HEADER, ""))
    if request.method == "POST" and form.is_valid() and form.user is not None:
        user = form.user
        if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
            request.session[PENDING_USER] = user.pk
            query = urlencode({"next": _next_url(request)})
            return redirect(reverse("accounts:login_verify") + "?" + query)
        login(request, user)
        return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def login_verify(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_USER)
    user = None if pending is None else User.objects.filter(pk=pending, is_active=True).first()
    if user is None:
        return redirect("accounts:login")
    form = LoginCodeForm(request.POST or None)
    # Only someone who knows the password gets here: the account alone is counted.
    throttle = Throttle(("two-factor:" + user.email, settings.LOGIN_FAILURE_LIMIT))
    if request.method == "POST" and form.is_valid():
        device = None if throttle.blocked() else match_token(user, form.cleaned_data["code"])
        if device is None:
            throttle.fail()
            form.add_error(
                "code", too_many_message() if throttle.blocked() else _("That code is not correct.")
            )
        else:
            throttle.clear()
            del request.session[PENDING_USER]
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(request, "accounts/login_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def home(request: PageRequest) -> HttpResponse:
    organisation = organisations_for(request.user).order_by("name").first()
    if organisation is None:
        return render(request, "accounts/no_organisation.html")
    # A supplier's work is what its buyers share with it: it lands there.
    if organisation.kind == Organisation.Kind.SUPPLIER:
        return redirect("engagement:workspace_home", org=organisation.slug)
    return redirect("accounts:organisation", org=organisation.slug)


@organisation_view()
def organisation(request: PageRequest, membership: Membership) -> HttpResponse:
    org = membership.organisation
    return render(
        request,
        "accounts/organisation.html",
        {
            "membership": membership,
            "organisation": org,
            "member_count": org.memberships.count(),
            "cards": cards.shown(membership),
            "recent": describe(Entry.objects.filter(organisation=org).select_related("actor")[:10]),
        },
    )


@vary_on_headers("HX-Request")
@organisation_view()
def audit_log(request: PageRequest, membership: Membership) -> HttpResponse:
    found, form = exports.filtered_entries(membership, request.GET)
    template = "accounts/_audit_entries.html" if request.htmx else "accounts/audit_log.html"
    page = paginate(request, found)
    page.object_list = describe(page.object_list)
    context = org_context(membership, form=form, page=page)
    return render(request, template, context)


@organisation_view(write=Role.OWNER)
def members(request: PageRequest, membership: Membership) -> HttpResponse:
    org = membership.organisation
    form = InvitationForm(
        request.POST or None,
        initial={"language": "zh-hans" if org.kind == org.Kind.SUPPLIER else request.user.language},
    )
    link = None
    created = submit(
        request,
        form,
        lambda data: services.invitation_create(organisation=org, by=request.user, **data),
    )
    if created is not None:
        _invitation, token = created
        link = request.build_absolute_uri(reverse("accounts:invitation", args=[token]))
        messages.success(request, _("Invitation created and sent."))
        form = InvitationForm(initial={"language": form.cleaned_data["language"]})
    query = request.GET.get("q", "").strip()
    people = exports.filtered_members(membership, request.GET)
    return render(
        request,
        "accounts/members.html",
        {
            "membership": membership,
            "organisation": org,
            "page": paginate(request, people),
            "query": query,
            "invitations": org.invitations.pending(),
            "form": form,
            "link": link,
            "invite_days": settings.INVITATION_VALID_DAYS,
            "roles": Role.choices,
        },
    )


@organisation_view(write=Role.OWNER)
@require_POST
def member_role(request: PageRequest, membership: Membership, membership_id: int) -> HttpResponse:
    member = get_scoped_or_404(
        Membership.objects.select_related("user"), membership, pk=membership_id
    )
    form = RoleForm(request.POST)
    if form.is_valid():
        _changed, error = attempt(
            lambda: services.membership_change_role(
                membership=member, role=form.cleaned_data["role"], by=request.user
            )
        )
    else:
        error = _("Choose a valid role.")
    if request.htmx:
        context = {
            "member": member,
            "membership": membership,
            "roles": Role.choices,
            "error": error,
        }
        return render(request, "accounts/_member_row.html", context)
    if error:
        messages.error(request, error)
    return redirect("accounts:members", org=membership.organisation.slug)


@organisation_view(write=Role.OWNER)
def member_remove(request: PageRequest, membership: Membership, membership_id: int) -> HttpResponse:
    member = get_scoped_or_404(
        Membership.objects.select_related("user"), membership, pk=membership_id
    )
    if request.method == "POST":
        _removed, error = attempt(
            lambda: services.membership_remove(membership=member, by=request.user)
        )
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("%(name)s was removed.") % {"name": member.user})
        return redirect("accounts:members", org=membership.organisation.slug)
    return render(
        request,
        "accounts/member_remove.html",
        org_context(membership, member=member),
    )


@organisation_view(write=Role.OWNER)
@require_POST
def invitation_revoke(
    request: PageRequest, membership: Membership, invitation_id: int
) -> HttpResponse:
    invitation = get_scoped_or_404(Invitation.objects.pending(), membership, pk=invitation_id)
    services.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(
        request, _("The invitation for %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return redirect("accounts:members", org=membership.organisation.slug)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invitation link lands: sign up, or accept as the person already logged in."""
    invitation = queries.invitation_for_token(token)
    if invitation is None or not invitation.usable():
        return render(request, "accounts/invitation_invalid.html", status=404)
    if not request.user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # The invitee's language, as in the e-mail, until they choose another.
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language
    existing = User.objects.filter(email=invitation.email).first()
    form = None
    if not request.user.is_authenticated and existing is None:
        form = RegisterForm(
            request.POST or None, email=invitation.email, initial={"language": invitation.language}
        )
    error = ""
    if request.method == "POST":
        user = request.user if request.user.is_authenticated else None
        if form is not None and form.is_valid():
            user = services.user_register(email=invitation.email, **form.cleaned_data)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if user is not None:
            _accepted, error = attempt(
                lambda: services.invitation_accept(invitation=invitation, user=user)
            )
            if not error:
                messages.success(
                    request,
                    _("Welcome to %(organisation)s.")
                    % {"organisation": invitation.organisation.name},
                )
                return redirect("accounts:organisation", org=invitation.organisation.slug)
    context = {"invitation": invitation, "form": form, "existing": existing, "error": error}
    return render(request, "accounts/invitation.html", context)


@login_required
def account(request: PageRequest) -> HttpResponse:
    user = request.user
    initial = {"name": user.name, "language": user.language, "time_zone": user.time_zone}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.user_update_preferences(user=user, **form.cleaned_data)
        messages.success(request, _("Your settings were saved."))
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form})


@login_required
def account_erase(request: PageRequest) -> HttpResponse:
    """The person's own right to erasure: name and e-mail address give way to a pseudonym."""
    form = EraseAccountForm(request.POST or None, user=request.user)
    erased = submit(
        request, form, lambda data: services.user_erase(user=request.user, by=request.user)
    )
    if erased is not None:
        logout(request)
        messages.success(request, _("Your account was erased."))
        return redirect("accounts:login")
    return render(request, "accounts/account_erase.html", {"form": form})


@login_required
def api_tokens(request: PageRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = services.api_token_create(user=request.user, **form.cleaned_data)
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user).active()
    return render(
        request, "accounts/api_tokens.html", {"form": form, "secret": secret, "tokens": tokens}
    )


@login_required
@require_POST
def api_token_revoke(request: PageRequest, token_id: int) -> HttpResponse:
    token = get_own_or_404(ApiToken.objects.active(), request.user, pk=token_id)
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")


@login_required
def two_factor(request: PageRequest) -> HttpResponse:
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    form = CodeForm(request.POST or None)
    if confirmed is not None:
        # Turning it off asks for a current code, and only a few wrong ones: a stolen session
        # alone cannot do it, nor guess its way there.
        throttle = Throttle(("two-factor-off:" + str(user.pk), settings.LOGIN_FAILURE_LIMIT))
        if request.method == "POST" and form.is_valid():
            if throttle.blocked():
                form.add_error("code", too_many_message())
            elif match_token(user, form.cleaned_data["code"]) is None:
                throttle.fail()
                form.add_error("code", _("That code is not correct."))
            else:
                throttle.clear()
                _disabled, error = attempt(lambda: services.two_factor_disable(user=user))
                if error:
                    messages.error(request, error)
                else:
                    messages.success(request, _("Two-factor login is off."))
                return redirect("accounts:two_factor")
        context = {
            "confirmed": confirmed,
            "form": form,
            "backup_codes_left": StaticToken.objects.filter(device__user=user).count(),
        }
        return render(request, "accounts/two_factor.html", context)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        # A key to scan, not yet in force: nothing changes until a code confirms it.
        device = TOTPDevice.objects.create(user=user, confirmed=False, name="authenticator")
    if request.method == "POST" and form.is_valid():
        if services.two_factor_confirm(device=device, code=form.cleaned_data["code"]):
            otp_login(request, device)
            messages.success(request, _("Two-factor login is on."))
            return redirect("accounts:two_factor")
        form.add_error("code", _("That code is not correct."))
    context = {
        "form": form,
        "qr": segno.make(device.config_url).svg_inline(scale=4),
        "secret": device.config_url.split("secret=")[1].split("&")[0],
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_POST
def backup_codes(request: PageRequest) -> HttpResponse:
    codes, error = attempt(lambda: services.backup_codes_create(user=request.user))
    if error:
        messages.error(request, error)
        return redirect("accounts:two_factor")
    return render(request, "accounts/backup_codes.html", {"codes": codes})


class PasswordResetView(auth_views.PasswordResetView):
    """Links point to SITE_URL, never to the host a request names; requests are counted per
    address asked for and per client, so nobody floods a mailbox."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        self.extra_email_context = {"site_url": settings.SITE_URL}
        client = self.request.META.get(settings.CLIENT_IP_HEADER, "")
        email = form.cleaned_data["email"].lower()
        throttle = Throttle(
            ("reset:" + email, settings.PASSWORD_RESET_LIMIT),
            ("reset-client:" + client, settings.PASSWORD_RESET_LIMIT),
            window=60 * 60,
        )
        if throttle.blocked():
            form.add_error(None, too_many_requests_message())
            return self.form_invalid(form)
        throttle.fail()
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    @transaction.atomic
    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        services.user_password_changed(user=form.user, how="reset")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    @transaction.atomic
    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        # Django keeps this session (update_session_auth_hash) and logs out all others.
        response = super().form_valid(form)
        services.user_password_changed(user=form.user, how="change")
        messages.success(
            self.request,
            _("Your password was changed. Other sessions were logged out and API tokens revoked."),
        )
        return response


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Switch the language; a logged-in person keeps it as their setting."""
    code = request.POST.get("language", "")
    response = redirect(_next_url(request))
    if code in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            services.user_update_preferences(user=request.user, language=code)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response
