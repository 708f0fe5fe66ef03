from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from stonebridge.accounts.access import get_own_or_404
from stonebridge.pages import PageRequest, paginate

from . import services
from .models import Notification


def _safe(request: HttpRequest, target: str) -> str:
    """A path on this site, or the notification list."""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("notifications:list")


@login_required
def notification_list(request: PageRequest) -> HttpResponse:
    show = "all" if request.GET.get("show") == "all" else "unread"
    notifications = Notification.objects.filter(user=request.user).select_related("organisation")
    if show == "unread":
        notifications = notifications.unread()
    context = {"page": paginate(request, notifications), "show": show}
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def notification_open(request: PageRequest, notification_id: int) -> HttpResponse:
    notification = get_own_or_404(Notification.objects.all(), request.user, pk=notification_id)
    services.mark_read(user=request.user, notification=notification)
    return redirect(_safe(request, notification.url))


@vary_on_headers("HX-Request")
@login_required
@require_POST
def notification_read(request: PageRequest, notification_id: int) -> HttpResponse:
    notification = get_own_or_404(
        Notification.objects.select_related("organisation"), request.user, pk=notification_id
    )
    services.mark_read(user=request.user, notification=notification)
    if request.htmx:
        return render(request, "notifications/_row.html", {"notification": notification})
    return redirect(_safe(request, request.POST.get("next", "")))


@login_required
@require_POST
def notification_read_all(request: PageRequest) -> HttpResponse:
    services.mark_read(user=request.user)
    messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:list")
