"""What assessments has waiting for someone, as cards: on a supplier's workspace (questionnaires
to answer, findings to read), on a buyer's home page (answers to review, disputes to decide) and
on a service provider's (its current assignments). Registered in `apps.ready`."""

from typing import Any

from django.db.models import Q
from django.utils import timezone

from stonebridge.accounts.access import granted, received, scoped
from stonebridge.accounts.models import Membership, Organisation

from .models import Dispute, Finding, Submission, SubmissionStatus, Visit

SHOWN = 5
Card = tuple[str, dict[str, Any]] | None


def workspace_card(membership: Membership) -> Card:
    if membership.organisation.kind != Organisation.Kind.SUPPLIER:
        return None
    to_answer = (
        scoped(Submission.objects.select_related("buyer", "version"), membership)
        .filter(
            Q(status__in=[SubmissionStatus.DRAFT, SubmissionStatus.FOLLOW_UP])
            | Q(answers__follow_ups__replied_at__isnull=True, answers__follow_ups__isnull=False)
        )
        .distinct()
        .order_by("-started_at", "-pk")
    )
    findings = (
        Finding.objects.shared_with(membership.organisation)
        .seen_by_supplier()
        .filter(state=Finding.State.STANDS)
    )
    answers, finding_count = list(to_answer[: SHOWN + 1]), findings.count()
    if not answers and not finding_count:
        return None
    return "assessments/_workspace_card.html", {
        "to_answer": answers[:SHOWN],
        "more_to_answer": len(answers) > SHOWN,
        "finding_count": finding_count,
    }


def home_card(membership: Membership) -> Card:
    org = membership.organisation
    if org.kind == Organisation.Kind.SERVICE_PROVIDER:
        assigned = granted(Visit.objects.all(), membership).count()
        return ("assessments/_home_card.html", {"assigned": assigned}) if assigned else None
    if org.kind not in (Organisation.Kind.BUYER, Organisation.Kind.COVENANT):
        return None
    to_review = (
        received(Submission.objects.all(), membership)
        .filter(status=SubmissionStatus.SUBMITTED, buyer=org)
        .count()
    )
    disputes = scoped(Dispute.objects.all(), membership).filter(resolved_at__isnull=True).count()
    coming = (
        scoped(Visit.objects.all(), membership).filter(visit_on__gte=timezone.localdate()).count()
    )
    if not (to_review or disputes or coming):
        return None
    return "assessments/_home_card.html", {
        "to_review": to_review,
        "disputes": disputes,
        "coming": coming,
    }
