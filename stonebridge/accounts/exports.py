"""The audit log and the members as files: the rows the pages show, with the same filters, in
the reader's language."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from stonebridge.audit.models import Entry
from stonebridge.audit.services import describe
from stonebridge.display import plain
from stonebridge.downloads.listing import Listing

from .access import scoped
from .forms import AuditEntryFilterForm
from .models import Membership


def filtered_entries(
    membership: Membership, params: QueryDict
) -> tuple[QuerySet[Entry], AuditEntryFilterForm]:
    form = AuditEntryFilterForm(params or None, membership=membership)
    found = scoped(Entry.objects.select_related("actor"), membership)
    if form.is_valid():
        found = form.filter(found)
    return found, form


def _entry_line(entry: Entry) -> list[object]:
    if entry.by_another_organisation():
        by = _("another organisation")
    else:
        by = str(entry.actor) if entry.actor else _("system")
    changes = "\n".join(f"{field}: {plain(str(text))}" for field, text in entry.change_lines())
    return [
        timezone.localtime(entry.created_at).replace(tzinfo=None, microsecond=0),
        by,
        str(entry.verb_label()),
        plain(str(entry.shown_label())),
        changes,
    ]


AUDIT_LOG = Listing(
    key="stonebridge.accounts.exports.AUDIT_LOG",
    title=lambda: _("Audit log"),
    filename="audit-log",
    page="accounts:audit_log",
    headers=lambda: [
        _("Time"),
        _("By"),
        pgettext("audit log", "Action"),
        _("Object"),
        _("Changes"),
    ],
    rows=lambda membership, params: filtered_entries(membership, params)[0],
    line=_entry_line,
    batch=describe,
)


def filtered_members(membership: Membership, params: QueryDict) -> QuerySet[Membership]:
    """The organisation's members, found by name or e-mail address as on the members page."""
    people = membership.organisation.memberships.select_related("user")
    query = (params.get("q") or "").strip()
    if query:
        people = people.filter(Q(user__name__icontains=query) | Q(user__email__icontains=query))
    return people


def _member_line(member: Any) -> list[object]:
    return [member.user.name, member.user.email, member.get_role_display()]


MEMBERS = Listing(
    key="stonebridge.accounts.exports.MEMBERS",
    title=lambda: _("Members"),
    filename="members",
    page="accounts:members",
    headers=lambda: [pgettext("person", "Name"), _("E-mail address"), _("Role")],
    rows=filtered_members,
    line=_member_line,
)
