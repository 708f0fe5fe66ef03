"""Notices to one person: something needs their attention, shown on their list and e-mailed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class Kind(models.TextChoices):
        """What a notice is about; its label is the notice's title, one for each kind of news."""

        ACTION_DUE = "action_due", _("Action due soon")
        ACTION_OVERDUE = "action_overdue", _("Action overdue")
        ACTION_ADDED = "action_added", _("New action in a plan")
        DUE_DATE_CHANGED = "due_date_changed", _("Due date changed")
        DUE_DATE_PROPOSED = "due_date_proposed", _("New due date proposed")
        DUE_DATE_DECIDED = "due_date_decided", _("Answer to a proposed due date")
        SUPPLIER_REPORT = "supplier_report", _("New report from a supplier")
        READING_REPORTED = "reading_reported", _("New measurement from a supplier")
        COMMENT = "comment", _("New comment")
        REQUEST = "request", _("New request")
        REQUEST_ANSWERED = "request_answered", _("Request answered")
        DISCLOSURE = "disclosure", _("Problem disclosed by a supplier")
        PLAN_SHARED = "plan_shared", _("Plan shared with you")
        CODE_SENT = "code_sent", _("Code of conduct to acknowledge")
        SHARING_ASKED = "sharing_asked", _("A buyer asks to work with you")
        SHARING_ANSWERED = "sharing_answered", _("Answer on working together")
        ORDERS_SUSPENDED = "orders_suspended", _("New orders suspended")
        ORDERS_RESUMED = "orders_resumed", _("Orders resumed")
        EXIT_PLANNED = "exit_planned", _("Business relationship ending")
        RED_FLAG = "red_flag", _("Red flag raised")
        VISIT_ASSIGNED = "visit_assigned", _("Visit assigned to you")
        FINDING = "finding", _("New finding from a visit")
        FINDING_DISPUTED = "finding_disputed", _("Finding disputed by a supplier")
        DISPUTE_RESOLVED = "dispute_resolved", _("Decision on a disputed finding")
        GRIEVANCE = "grievance", _("New grievance from a worker")
        GRIEVANCE_OVERDUE = "grievance_overdue", _("Grievance overdue")
        GRIEVANCE_ESCALATED = "grievance_escalated", _("Grievance escalated to you")
        COLLECTIVE_PROPOSED = "collective_proposed", _("New joint action proposed")
        COLLECTIVE_JOINED = "collective_joined", _("A member joined a joint action")
        COLLECTIVE_CLOSED = "collective_closed", _("Joint action closed")
        # Notices sent before the kinds above were told apart keep their title.
        RELATIONSHIP = "relationship", _("Change in a business relationship")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # The organisation the notice is about, so its link opens in the right place.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Rendered in the person's language when it was created.
    message = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=300)
    # Names the event ("action-12-due-2026-03-10"), so the same reminder is never sent twice.
    key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~models.Q(key=""),
                name="one_notification_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · {self.created_at:%Y-%m-%d %H:%M}"
