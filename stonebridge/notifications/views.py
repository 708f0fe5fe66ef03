from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from stonebridge.accounts.access import get_own_or_404
from stonebridge.display import plain
from stonebridge.downloads.files import CONTENT_TYPES, FORMATS, write_table
from stonebridge.pages import PageRequest, attachment, paginate

from . import services
from .models import Notification


def _safe(request: HttpRequest, target: str) -> str:
    """A path on this site, or the notification list."""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("notifications:list")


def _shown(request: PageRequest) -> tuple[QuerySet[Notification], str]:
    """The person's own notices, the unread ones or all, newest first."""
    show = "all" if request.GET.get("show") == "all" else "unread"
    notifications = Notification.objects.filter(user=request.user).select_related("organisation")
    if show == "unread":
        notifications = notifications.unread()
    return notifications, show


@login_required
def notification_list(request: PageRequest) -> HttpResponse:
    notifications, show = _shown(request)
    context = {"page": paginate(request, notifications), "show": show}
    return render(request, "notifications/list.html", context)


@login_required
@require_GET
def notification_export(request: PageRequest, fmt: str) -> HttpResponse:
    """The person's notices as the list shows them, as CSV or XLSX. They are the person's own,
    not an organisation's, so the file is always written while they wait."""
    if fmt not in FORMATS:
        raise Http404
    notifications, _show = _shown(request)
    headers = [_("Kind"), _("Message"), _("Organisation"), _("Time"), _("Already read")]
    rows = (
        [
            n.get_kind_display(),
            plain(n.message),
            n.organisation.name if n.organisation else "",
            timezone.localtime(n.created_at).replace(tzinfo=None, microsecond=0),
            _("yes") if n.read_at else _("no"),
        ]
        for n in notifications.iterator(chunk_size=2000)
    )
    content = write_table(fmt, headers, rows, sheet_title=_("Notifications"))
    name = f"notifications-{timezone.localdate().isoformat()}.{fmt}"
    return attachment(content, name, CONTENT_TYPES[fmt])


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
