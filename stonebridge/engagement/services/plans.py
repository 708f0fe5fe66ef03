"""Improvement plans and their actions: plans from the guidance's engagement models, actions
with their owners and due dates, progress reports with evidence files, verification (which
the risk register learns of as remediation), cancellation, and due dates moved by agreement."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stonebridge.accounts.models import User
from stonebridge.languages import placed
from stonebridge.risk import services as risk
from stonebridge.risk.models import Evidence, EvidenceKind, Issue, SourceType
from stonebridge.supplychain.models import Facility

from .. import programmes
from ..indicators import BY_CODE
from ..models import (
    Action,
    ActionKind,
    ActionStatus,
    Attachment,
    DueDateChange,
    Measure,
    Plan,
    Relationship,
    Status,
    Update,
)
from ..queries import upstream_ids
from .attachments import check_files
from .notices import log, tell


@transaction.atomic
def plan_create(
    *,
    relationship: Relationship,
    by: User | None,
    title: str = "",
    title_zh: str = "",
    facility: Facility | None = None,
    starts_on: date | None = None,
    programme: str = "",
) -> Plan:
    """A plan, empty or started from one of the guidance's engagement models. After an exit only
    an empty plan, for remediation, can be made."""
    if relationship.status == Status.EXITED and programme:
        raise ValidationError(_("The relationship has ended: only remediation can continue."))
    template = programmes.programmes().get(programme) if programme else None
    if programme and template is None:
        raise ValidationError({"programme": _("Unknown programme.")})
    title, title_zh = placed(title.strip(), title_zh.strip())
    if template is not None:
        title = title or template.name_en
        title_zh = title_zh or template.name_zh
    if not (title or title_zh):
        raise ValidationError({"title": _("Give the plan a title, in English, Chinese or both.")})
    if facility is not None and facility.pk not in upstream_ids(relationship)[0]:
        raise ValidationError(
            {"facility": _("Choose the supplier's own site or one up its chain in your map.")}
        )
    plan = Plan.objects.create(
        relationship=relationship,
        facility=facility or relationship.facility,
        title=title.strip(),
        title_zh=title_zh.strip(),
        starts_on=starts_on or timezone.localdate(),
        programme=programme,
        created_by=by,
    )
    if template is not None:
        _fill_from_template(plan, template)
    log(by, relationship, "plan_created", plan, programme=programme, facility=plan.facility_id)
    tell(
        relationship,
        supplier_side=True,
        kind="plan_shared",
        message=gettext_lazy("%(buyer)s shared an improvement plan with you: %(plan)s"),
        params={"buyer": relationship.organisation.name, "plan": plan.title_zh or plan.title},
        view="plan",
        plan_id=plan.pk,
    )
    return plan


def _fill_from_template(plan: Plan, template: programmes.Programme) -> None:
    for item in template.actions:
        action = Action.objects.create(
            plan=plan,
            kind=item["kind"],
            title=item["title_en"],
            title_zh=item["title_zh"],
            issue_id=item["issue"],
            due_on=plan.starts_on + timedelta(days=item["due_days"]),
        )
        for milestone in item["milestones"]:
            Measure.objects.create(
                action=action,
                kind=Measure.Kind.MILESTONE,
                title=milestone["title_en"],
                title_zh=milestone["title_zh"],
                due_on=plan.starts_on + timedelta(days=milestone["due_days"]),
            )
        for code in item["outcomes"]:
            indicator = BY_CODE[code]
            Measure.objects.create(
                action=action,
                kind=Measure.Kind.OUTCOME,
                title=str(indicator.label),
                indicator=code,
                unit=indicator.unit,
                lower_is_better=indicator.lower_is_better,
            )


@transaction.atomic
def plan_close(*, plan: Plan, by: User | None) -> Plan:
    if plan.actions.still_open().exists():
        raise ValidationError(_("Close or cancel the open actions first."))
    plan.state = Plan.State.CLOSED
    plan.save(update_fields=["state"])
    log(by, plan.relationship, "plan_closed", plan)
    return plan


def _check_people(
    relationship: Relationship, buyer_owner: User | None, supplier_owner: User | None
) -> None:
    errors = {}
    if buyer_owner and not relationship.organisation.memberships.filter(user=buyer_owner).exists():
        errors["buyer_owner"] = _("Choose a person of your organisation.")
    if supplier_owner and not (
        relationship.supplier is not None
        and relationship.shared
        and relationship.supplier.memberships.filter(user=supplier_owner).exists()
    ):
        errors["supplier_owner"] = _("Choose a person of the supplier's organisation.")
    if errors:
        raise ValidationError(errors)


def _titles(title: str, title_zh: str) -> tuple[str, str]:
    """An action's title in English, Chinese or both; one of them is needed."""
    title, title_zh = placed(title.strip(), title_zh.strip())
    if not (title or title_zh):
        raise ValidationError({"title": _("Say what will be done, in English, Chinese or both.")})
    return title, title_zh


@transaction.atomic
def action_create(
    *,
    plan: Plan,
    by: User | None,
    issue: Issue | str,
    due_on: date,
    title: str = "",
    kind: str = ActionKind.CORRECTIVE,
    title_zh: str = "",
    description: str = "",
    description_zh: str = "",
    finding: Evidence | None = None,
    buyer_owner: User | None = None,
    supplier_owner: User | None = None,
) -> Action:
    relationship = plan.relationship
    if relationship.status == Status.EXITED and kind != ActionKind.REMEDIATION:
        raise ValidationError(_("The relationship has ended: only remediation can continue."))
    if plan.state == Plan.State.CLOSED:
        raise ValidationError(_("This plan is closed."))
    issue_code = issue if isinstance(issue, str) else issue.pk
    if finding is not None and finding.organisation_id != relationship.organisation_id:
        raise ValidationError({"finding": _("This finding belongs to another organisation.")})
    if finding is not None and finding.issue_id != issue_code:
        raise ValidationError({"finding": _("This finding is about another risk.")})
    if finding is not None and finding.facility_id != plan.facility_id:
        raise ValidationError({"finding": _("This finding was made at another site.")})
    _check_people(relationship, buyer_owner, supplier_owner)
    title, title_zh = _titles(title, title_zh)
    description, description_zh = placed(description.strip(), description_zh.strip())
    action = Action(
        plan=plan,
        kind=kind,
        title=title,
        title_zh=title_zh,
        description=description,
        description_zh=description_zh,
        issue_id=issue_code,
        finding=finding,
        buyer_owner=buyer_owner,
        supplier_owner=supplier_owner,
        due_on=due_on,
    )
    action.full_clean()
    action.save()
    log(by, relationship, "action_created", action, due_on=due_on, issue=action.issue_id)
    tell(
        relationship,
        supplier_side=True,
        kind="action_added",
        message=gettext_lazy("New action in the plan “%(plan)s”: %(action)s, due %(due)s."),
        params={
            "plan": plan.title_zh or plan.title,
            "action": action.title_zh or action.title,
            "due": due_on,
        },
        view="action",
        owner=supplier_owner,
        action_id=action.pk,
    )
    return action


@transaction.atomic
def update_post(
    *,
    action: Action,
    by: User,
    by_supplier: bool,
    text: str,
    status: str = "",
    files: Iterable[UploadedFile] = (),
) -> Update:
    """A progress report or a comment, from either side, with evidence files. The supplier may
    move the action to in progress or reported done; the buyer may send an action reported done
    back to in progress, and only the buyer verifies it (action_verify)."""
    if by_supplier:
        allowed = {"", ActionStatus.IN_PROGRESS, ActionStatus.REPORTED_DONE}
    else:
        allowed = {"", ActionStatus.IN_PROGRESS}
    if status not in allowed:
        raise ValidationError({"status": _("Choose in progress or done.")})
    if status and not by_supplier and action.status != ActionStatus.REPORTED_DONE:
        raise ValidationError({"status": _("Only an action reported done can be sent back.")})
    if not text.strip():
        raise ValidationError({"text": _("Write what happened.")})
    if not action.is_open:
        raise ValidationError(_("This action is closed."))
    checked = check_files(files)
    update = Update.objects.create(
        action=action, author=by, by_supplier=by_supplier, text=text.strip(), status=status
    )
    for name, content_type, content in checked:
        Attachment.objects.create(
            update=update, name=name, content_type=content_type, size=len(content), content=content
        )
    if status:
        action.status = status
        action.save(update_fields=["status"])
    relationship = action.plan.relationship
    log(
        by,
        relationship,
        "update_posted",
        action,
        status=status,
        files=len(checked),
        by_supplier=by_supplier,
    )
    params = {"action": action.title, "who": str(by)}
    if by_supplier:
        tell(
            relationship,
            supplier_side=False,
            kind="supplier_report",
            message=gettext_lazy("%(who)s reported on “%(action)s”."),
            params=params,
            view="action",
            owner=action.buyer_owner,
            action_id=action.pk,
        )
    else:
        params["action"] = action.title_zh or action.title
        tell(
            relationship,
            supplier_side=True,
            kind="comment",
            message=gettext_lazy("%(who)s commented on “%(action)s”."),
            params=params,
            view="action",
            owner=action.supplier_owner,
            action_id=action.pk,
        )
    return update


@transaction.atomic
def action_update(
    *,
    action: Action,
    by: User | None,
    due_on: date,
    title: str = "",
    title_zh: str = "",
    description: str = "",
    description_zh: str = "",
    buyer_owner: User | None = None,
    supplier_owner: User | None = None,
) -> Action:
    """The buyer changes what was agreed: the wording, the owners or the due date."""
    if not action.is_open:
        raise ValidationError(_("This action is closed."))
    relationship = action.plan.relationship
    _check_people(relationship, buyer_owner, supplier_owner)
    before = {"due_on": action.due_on, "buyer_owner": action.buyer_owner_id}
    action.title, action.title_zh = _titles(title, title_zh)
    action.description, action.description_zh = placed(description.strip(), description_zh.strip())
    action.due_on = due_on
    action.buyer_owner = buyer_owner
    action.supplier_owner = supplier_owner
    action.full_clean()
    action.save()
    log(by, relationship, "action_updated", action, before=before, due_on=due_on)
    if before["due_on"] != due_on:
        tell(
            relationship,
            supplier_side=True,
            kind="due_date_changed",
            message=gettext_lazy("“%(action)s” is now due on %(due)s."),
            params={"action": action.title_zh or action.title, "due": due_on},
            view="action",
            owner=supplier_owner,
            action_id=action.pk,
        )
    return action


@transaction.atomic
def action_verify(*, action: Action, by: User, note: str = "") -> Action:
    """The buyer confirms the action was done: the register learns of it as remediation."""
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("plan__relationship", "finding")
        .get(pk=action.pk)
    )
    if not action.is_open:
        raise ValidationError(_("This action is already closed."))
    action.status = ActionStatus.VERIFIED
    action.verified_at = timezone.now()
    action.verified_by = by
    action.save(update_fields=["status", "verified_at", "verified_by"])
    relationship = action.plan.relationship
    log(by, relationship, "action_verified", action, note=note.strip())
    risk.evidence_record(
        organisation=relationship.organisation,
        by=by,
        # Where the finding was made, so it is that finding's weight the remediation removes.
        facility=action.finding.facility if action.finding else action.plan.facility,
        issue=action.issue_id,
        indicator=action.finding.indicator if action.finding else None,
        kind=EvidenceKind.REMEDIATION,
        observed_on=timezone.localdate(),
        source_type=SourceType.DOCUMENT,
        summary=note.strip() or action.title,
        origin=f"engagement.action:{action.pk}",
    )
    return action


@transaction.atomic
def action_cancel(*, action: Action, by: User | None, reason: str) -> Action:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the action is cancelled.")})
    if not action.is_open:
        raise ValidationError(_("This action is already closed."))
    if action.kind == ActionKind.REMEDIATION and action.plan.relationship.status in (
        Status.EXITING,
        Status.EXITED,
    ):
        raise ValidationError(_("Remediation stays open after an exit until it is fulfilled."))
    action.status = ActionStatus.CANCELLED
    action.save(update_fields=["status"])
    log(by, action.plan.relationship, "action_cancelled", action, reason=reason.strip())
    return action


@transaction.atomic
def due_date_propose(
    *, action: Action, by: User, proposed_due_on: date, reason: str
) -> DueDateChange:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the date should move.")})
    if proposed_due_on == action.due_on:
        raise ValidationError({"proposed_due_on": _("Choose a different date.")})
    if proposed_due_on < timezone.localdate():
        raise ValidationError({"proposed_due_on": _("Choose a date from today on.")})
    if not action.is_open:
        raise ValidationError(_("This action is closed."))
    if action.due_date_changes.filter(decision=DueDateChange.Decision.PENDING).exists():
        raise ValidationError(_("A proposal for this action is already waiting for a decision."))
    change = DueDateChange.objects.create(
        action=action,
        current_due_on=action.due_on,
        proposed_due_on=proposed_due_on,
        reason=reason.strip(),
        proposed_by=by,
    )
    relationship = action.plan.relationship
    log(by, relationship, "due_date_proposed", change, proposed_due_on=proposed_due_on)
    tell(
        relationship,
        supplier_side=False,
        kind="due_date_proposed",
        message=gettext_lazy("%(who)s proposes to move “%(action)s” to %(due)s: %(reason)s"),
        params={
            "who": str(by),
            "action": action.title,
            "due": proposed_due_on,
            "reason": change.reason,
        },
        view="action",
        owner=action.buyer_owner,
        action_id=action.pk,
    )
    return change


@transaction.atomic
def due_date_decide(*, change: DueDateChange, by: User, accept: bool) -> DueDateChange:
    change = DueDateChange.objects.select_for_update().select_related("action").get(pk=change.pk)
    if change.decision != DueDateChange.Decision.PENDING:
        raise ValidationError(_("This proposal was already decided."))
    change.decision = DueDateChange.Decision.ACCEPTED if accept else DueDateChange.Decision.DECLINED
    change.decided_by = by
    change.decided_at = timezone.now()
    change.save(update_fields=["decision", "decided_by", "decided_at"])
    action = change.action
    if accept:
        action.due_on = change.proposed_due_on
        action.save(update_fields=["due_on"])
    relationship = action.plan.relationship
    log(by, relationship, "due_date_decided", change, accepted=accept, due_on=action.due_on)
    tell(
        relationship,
        supplier_side=True,
        kind="due_date_decided",
        message=(
            gettext_lazy("Your new date for “%(action)s” was accepted: %(due)s.")
            if accept
            else gettext_lazy("Your new date for “%(action)s” was declined; it stays due %(due)s.")
        ),
        params={"action": action.title_zh or action.title, "due": action.due_on},
        view="action",
        owner=change.proposed_by,
        action_id=action.pk,
    )
    return change
