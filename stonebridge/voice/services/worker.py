"""What a worker does on an open case with the receipt code: answer the handlers, and say
whether the outcome is satisfying, which closes the case.

Like intake, nothing here receives a request: no address or browser detail reaches a case.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.audit.services import record

from ..models import Case, CaseState, Message, Sender

REPLY_MAX_CHARS = 5000


@transaction.atomic
def worker_reply(*, case: Case, text: str) -> Message:
    """The worker's message on the case. It moves nothing else: the handlers decide what
    happens next."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your answer first.")})
    if len(text) > REPLY_MAX_CHARS:
        raise ValidationError({"text": _("The answer is too long.")})
    if case.state == CaseState.CLOSED:
        raise ValidationError({"text": _("This case is closed.")})
    last = case.messages.order_by("-created_at", "-pk").first()
    if last is not None and last.sender == Sender.WORKER and last.body == text:
        # The same answer posted again (the page reloaded after sending): kept once.
        return last
    return Message.objects.create(case=case, sender=Sender.WORKER, body=text)


@transaction.atomic
def worker_feedback(*, case: Case, satisfied: bool, view: str) -> Case:
    """The worker's view of the outcome, which closes the case. The log says that the worker
    answered and whether they were satisfied, never what they wrote."""
    if case.state != CaseState.RESOLVED:
        raise ValidationError({"satisfied": _("This case has no answer to judge yet.")})
    if len(view) > REPLY_MAX_CHARS:
        raise ValidationError({"view": _("The answer is too long.")})
    case.worker_satisfied = satisfied
    case.worker_view = view.strip()
    case.state = CaseState.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["worker_satisfied", "worker_view", "state", "closed_at"])
    for routing in case.routings.select_related("organisation"):
        record(
            actor=None,
            organisation=routing.organisation,
            verb="voice.case_closed_by_worker",
            target=case,
            changes={"satisfied": satisfied},
        )
    return case
