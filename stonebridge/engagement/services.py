"""Every change to engagement data. Each writes one audit entry in the buyer's log; the supplier's
own steps (acknowledging, reporting, answering) are logged there too, with the supplier's person
as the actor, because the record they change is the buyer's due diligence.

Verified actions and confirmed outcome measurements go to risk as evidence (DESIGN.md, rule 5).
"""

import io
import zipfile
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stonebridge.accounts.models import Organisation, Role, User
from stonebridge.audit.services import record
from stonebridge.notifications.models import Notification
from stonebridge.notifications.services import notify
from stonebridge.risk import services as risk
from stonebridge.risk.models import Evidence, EvidenceKind, Issue, SourceType, WorkforceStatement
from stonebridge.supplychain import services as supplychain
from stonebridge.supplychain.models import Facility, UpstreamDisclosure

from . import flags, programmes
from .indicators import BY_CODE
from .models import (
    Action,
    ActionKind,
    ActionStatus,
    Attachment,
    Code,
    Commitment,
    DueDateChange,
    Escalation,
    ExitPlan,
    Measure,
    Order,
    Plan,
    Reading,
    Relationship,
    Request,
    Status,
    Support,
    Update,
)
from .queries import red_flags, upstream_ids

MAX_ATTACHMENT_BYTES = 10_000_000
MAX_ATTACHMENTS = 10
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
# Photos and scans, recognised by their first bytes rather than their names.
ATTACHMENT_TYPES = {
    b"%PDF": ("application/pdf", "pdf"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
}


def _log(
    by: User | None, relationship: Relationship, verb: str, target: Any, /, **changes: Any
) -> None:
    # Positional-only: a change may itself be called "target" (a measure's target value).
    record(
        actor=by,
        organisation=relationship.organisation,
        verb=f"engagement.{verb}",
        target=target,
        changes=changes,
    )


# --- who hears about it -----------------------------------------------------------------------


def buyer_people(relationship: Relationship, owner: User | None = None) -> list[User]:
    """The action's owner, while still a member; otherwise the buyer's editors and owners."""
    memberships = relationship.organisation.memberships.select_related("user")
    if owner is not None:
        return [owner] if memberships.filter(user=owner).exists() else []
    return [m.user for m in memberships if m.allows(Role.EDITOR)]


def supplier_people(relationship: Relationship, owner: User | None = None) -> list[User]:
    """The same on the supplier's side, and only once it accepted what the buyer shares."""
    if relationship.supplier is None or not relationship.shared:
        return []
    memberships = relationship.supplier.memberships.select_related("user")
    if owner is not None:
        return [owner] if memberships.filter(user=owner).exists() else []
    return [m.user for m in memberships]


def tell(
    relationship: Relationship,
    *,
    supplier_side: bool,
    kind: str,
    message: Any,
    params: dict[str, Any],
    view: str,
    owner: User | None = None,
    key: str = "",
    **ids: int,
) -> list[Notification]:
    """Notify one side of the relationship, with a link to the page it sees the thing on.
    Returns the notices created: none for a person who already has one with the same key."""
    organisation = relationship.supplier if supplier_side else relationship.organisation
    if organisation is None:
        return []
    people = (supplier_people if supplier_side else buyer_people)(relationship, owner)
    prefix = "engagement:workspace_" if supplier_side else "engagement:"
    return notify(
        users=people,
        organisation=organisation,
        kind=kind,
        message=message,
        params=params,
        url=reverse(prefix + view, kwargs={"org": organisation.slug, **ids}),
        key=key,
    )


# --- relationships and expectations -----------------------------------------------------------


def _check_supplier(supplier: Organisation | None) -> None:
    if supplier is not None and supplier.kind != Organisation.Kind.SUPPLIER:
        raise ValidationError({"supplier": _("Choose a supplier's organisation.")})


@transaction.atomic
def relationship_create(
    *,
    organisation: Organisation,
    by: User | None,
    facility: Facility,
    supplier: Organisation | None = None,
    improvement_period_days: int | None = None,
) -> Relationship:
    _check_supplier(supplier)
    if Relationship.objects.filter(organisation=organisation, facility=facility).exists():
        raise ValidationError({"facility": _("You already engage with this facility.")})
    relationship = Relationship(organisation=organisation, facility=facility, supplier=supplier)
    if improvement_period_days is not None:
        relationship.improvement_period_days = improvement_period_days
    relationship.created_by = by
    relationship.full_clean()
    relationship.save()
    _log(
        by,
        relationship,
        "relationship_created",
        relationship,
        facility=facility.pk,
        supplier=supplier.slug if supplier else None,
    )
    _ask_to_share(relationship)
    return relationship


def _ask_to_share(relationship: Relationship) -> None:
    if relationship.supplier is None:
        return
    notify(
        users=[m.user for m in relationship.supplier.memberships.select_related("user")],
        organisation=relationship.supplier,
        kind="request",
        message=gettext_lazy(
            "%(buyer)s asks to work with you on %(site)s in StoneBridge. Accept in your workspace."
        ),
        params={"buyer": relationship.organisation.name, "site": str(relationship.facility)},
        url=reverse("engagement:workspace_home", kwargs={"org": relationship.supplier.slug}),
    )


@transaction.atomic
def relationship_update(
    *,
    relationship: Relationship,
    by: User | None,
    supplier: Organisation | None,
    improvement_period_days: int,
) -> Relationship:
    """Change the supplier's account or the improvement period. Another account is asked afresh,
    as for a new relationship: it sees nothing until it accepts, and the one before loses
    access at once."""
    _check_supplier(supplier)
    # Compared with what is stored, not with the object handed in: a form bound to it may
    # already have put the new account on it.
    stored = Relationship.objects.select_for_update().get(pk=relationship.pk)
    changed = stored.supplier_id != (supplier.pk if supplier else None)
    relationship.supplier = supplier
    relationship.improvement_period_days = improvement_period_days
    relationship.supplier_accepted_at = stored.supplier_accepted_at
    relationship.supplier_accepted_by_id = stored.supplier_accepted_by_id
    relationship.supplier_changed_at = stored.supplier_changed_at
    relationship.full_clean()
    changes: dict[str, Any] = {
        "supplier": supplier.slug if supplier else None,
        "improvement_period_days": improvement_period_days,
    }
    if changed:
        changes["previous_supplier"] = stored.supplier.slug if stored.supplier else None
        changes |= _consent_reset(relationship, had_supplier=stored.supplier_id is not None)
    relationship.save(
        update_fields=[
            "supplier",
            "improvement_period_days",
            "supplier_accepted_at",
            "supplier_accepted_by",
            "supplier_changed_at",
        ]
    )
    _log(by, relationship, "relationship_updated", relationship, **changes)
    if changed:
        _ask_to_share(relationship)
    return relationship


def _consent_reset(relationship: Relationship, *, had_supplier: bool) -> dict[str, int]:
    """Another account must accept afresh. The old one's people own nothing here any more, its
    acknowledgement of the code is not the new one's, and no red flag raised while it was the
    supplier stands against the new one: the clocks start again at the new acceptance."""
    now = timezone.now()
    relationship.supplier_accepted_at = None
    relationship.supplier_accepted_by = None
    if had_supplier:
        relationship.supplier_changed_at = now
    return {
        "owners_cleared": Action.objects.filter(
            plan__relationship=relationship, supplier_owner__isnull=False
        ).update(supplier_owner=None),
        "acknowledgements_cleared": relationship.commitments.filter(
            acknowledged_at__isnull=False
        ).update(acknowledged_at=None, acknowledged_by=None),
        "flags_cleared": relationship.flags.filter(cleared_at__isnull=True).update(cleared_at=now),
    }


@transaction.atomic
def sharing_answer(*, relationship: Relationship, by: User, accept: bool) -> Relationship:
    """The supplier accepts to see what the buyer shares, or declines (the buyer may then name
    another account)."""
    relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)
    if relationship.supplier is None or relationship.shared:
        raise ValidationError(_("There is nothing to answer."))
    supplier = relationship.supplier
    if accept:
        relationship.supplier_accepted_at = timezone.now()
        relationship.supplier_accepted_by = by
    else:
        relationship.supplier = None
    relationship.save(update_fields=["supplier", "supplier_accepted_at", "supplier_accepted_by"])
    if accept:
        # The buyer now receives what the supplier has disclosed about its site.
        supplychain.upstream_share_site(
            organisation=supplier,
            site=relationship.facility,
            buyer=relationship.organisation,
            by=by,
        )
        risk.workforce_disclosure_share(
            supplier=supplier,
            facility=relationship.facility,
            buyer=relationship.organisation,
            origin=f"engagement.relationship:{relationship.pk}",
        )
    _log(
        by, relationship, "sharing_answered", relationship, supplier=supplier.slug, accepted=accept
    )
    tell(
        relationship,
        supplier_side=False,
        kind="supplier_report",
        message=(
            gettext_lazy("%(supplier)s accepted to work with you on %(site)s.")
            if accept
            else gettext_lazy("%(supplier)s declined to work with you on %(site)s in StoneBridge.")
        ),
        params={"supplier": supplier.name_zh or supplier.name, "site": str(relationship.facility)},
        view="relationship",
        relationship_id=relationship.pk,
    )
    return relationship


@transaction.atomic
def code_publish(
    *, organisation: Organisation, by: User | None, title: str, text_en: str, text_zh: str
) -> Code:
    """A new version of the buyer's code of conduct; versions already sent stay as they were."""
    latest = organisation.codes.aggregate(v=Max("version"))["v"] or 0
    code = Code(
        organisation=organisation,
        version=latest + 1,
        title=title.strip(),
        text_en=text_en.strip(),
        text_zh=text_zh.strip(),
        created_by=by,
    )
    code.full_clean()
    code.save()
    record(
        actor=by,
        organisation=organisation,
        verb="engagement.code_published",
        target=code,
        changes={"version": code.version},
    )
    return code


@transaction.atomic
def code_send(*, relationship: Relationship, by: User | None, code: Code) -> Commitment:
    if code.organisation_id != relationship.organisation_id:
        raise ValidationError({"code": _("This code belongs to another organisation.")})
    if relationship.supplier_id is None:
        raise ValidationError(
            {"code": _("Name the supplier's account first, so that someone can acknowledge it.")}
        )
    if relationship.commitments.filter(code=code).exists():
        raise ValidationError({"code": _("This version was already sent to this supplier.")})
    commitment = Commitment.objects.create(relationship=relationship, code=code, sent_by=by)
    _log(by, relationship, "code_sent", commitment, version=code.version)
    tell(
        relationship,
        supplier_side=True,
        kind="request",
        message=gettext_lazy("%(buyer)s asks you to read and acknowledge its code of conduct."),
        params={"buyer": relationship.organisation.name},
        view="home",
    )
    return commitment


@transaction.atomic
def code_acknowledge(*, commitment: Commitment, by: User) -> Commitment:
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.acknowledged_at is not None:
        raise ValidationError(_("This code was already acknowledged."))
    commitment.acknowledged_at = timezone.now()
    commitment.acknowledged_by = by
    commitment.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _log(
        by,
        commitment.relationship,
        "code_acknowledged",
        commitment,
        version=commitment.code.version,
    )
    return commitment


# --- plans, actions, measures -----------------------------------------------------------------


def _check_open(relationship: Relationship) -> None:
    if relationship.status == Status.EXITED:
        raise ValidationError(_("The relationship has ended: only remediation can continue."))


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
    if template is not None:
        title = title or template.name_en
        title_zh = title_zh or template.name_zh
    if not title.strip():
        raise ValidationError({"title": _("Give the plan a title.")})
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
    _log(by, relationship, "plan_created", plan, programme=programme, facility=plan.facility_id)
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
    _log(by, plan.relationship, "plan_closed", plan)
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


@transaction.atomic
def action_create(
    *,
    plan: Plan,
    by: User | None,
    title: str,
    issue: Issue | str,
    due_on: date,
    kind: str = ActionKind.CORRECTIVE,
    title_zh: str = "",
    description: str = "",
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
    _check_people(relationship, buyer_owner, supplier_owner)
    action = Action(
        plan=plan,
        kind=kind,
        title=title.strip(),
        title_zh=title_zh.strip(),
        description=description.strip(),
        issue_id=issue_code,
        finding=finding,
        buyer_owner=buyer_owner,
        supplier_owner=supplier_owner,
        due_on=due_on,
    )
    action.full_clean()
    action.save()
    _log(by, relationship, "action_created", action, due_on=due_on, issue=action.issue_id)
    tell(
        relationship,
        supplier_side=True,
        kind="request",
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


def _attachments(files: Iterable[UploadedFile]) -> list[tuple[str, str, bytes]]:
    files = list(files)
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"files": _("Send at most 10 files at a time.")})
    checked = []
    for upload in files:
        content = upload.read(MAX_ATTACHMENT_BYTES + 1)
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise ValidationError({"files": _("Each file must be 10 MB or less.")})
        kind = _file_type(content)
        if kind is None:
            raise ValidationError(
                {
                    "files": _("“%(name)s” is not a PDF, JPEG, PNG or Office file.")
                    % {"name": upload.name}
                }
            )
        content_type, extension = kind
        stem = Path(str(upload.name)).stem[:180] or "file"
        # The name ends as the content is, so a download opens in the right program.
        checked.append((f"{stem}.{extension}", content_type, content))
    return checked


def _file_type(content: bytes) -> tuple[str, str] | None:
    """What the bytes are, whatever the name says: PDF, JPEG, PNG, or an Office Open XML file
    (a zip with Office's content types and the part of a workbook or a document)."""
    for magic, kind in ATTACHMENT_TYPES.items():
        if content.startswith(magic):
            return kind
    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "xl/workbook.xml" in names:
        return XLSX
    if "word/document.xml" in names:
        return DOCX
    return None


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
    checked = _attachments(files)
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
    _log(
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
    title: str,
    due_on: date,
    title_zh: str = "",
    description: str = "",
    buyer_owner: User | None = None,
    supplier_owner: User | None = None,
) -> Action:
    """The buyer changes what was agreed: the wording, the owners or the due date."""
    if not action.is_open:
        raise ValidationError(_("This action is closed."))
    relationship = action.plan.relationship
    _check_people(relationship, buyer_owner, supplier_owner)
    before = {"due_on": action.due_on, "buyer_owner": action.buyer_owner_id}
    action.title = title.strip()
    action.title_zh = title_zh.strip()
    action.description = description.strip()
    action.due_on = due_on
    action.buyer_owner = buyer_owner
    action.supplier_owner = supplier_owner
    action.full_clean()
    action.save()
    _log(by, relationship, "action_updated", action, before=before, due_on=due_on)
    if before["due_on"] != due_on:
        tell(
            relationship,
            supplier_side=True,
            kind="comment",
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
    _log(by, relationship, "action_verified", action, note=note.strip())
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
    _log(by, action.plan.relationship, "action_cancelled", action, reason=reason.strip())
    return action


@transaction.atomic
def measure_add(
    *,
    action: Action,
    by: User | None,
    kind: str,
    title: str = "",
    title_zh: str = "",
    indicator: str = "",
    unit: str = "",
    lower_is_better: bool | None = None,
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    due_on: date | None = None,
) -> Measure:
    if not action.is_open:
        raise ValidationError(_("This action is closed."))
    known = BY_CODE.get(indicator)
    if kind == Measure.Kind.OUTCOME and known is None and not title.strip():
        raise ValidationError({"indicator": _("Choose an indicator or name what is measured.")})
    if kind == Measure.Kind.MILESTONE and not title.strip():
        raise ValidationError({"title": _("Name the milestone.")})
    measure = Measure(
        action=action,
        kind=kind,
        title=title.strip() or str(known.label if known else ""),
        title_zh=title_zh.strip(),
        indicator=indicator,
        unit=unit or (known.unit if known else ""),
        # A known indicator knows which way is better; one of the buyer's own says so itself.
        lower_is_better=known.lower_is_better if known else bool(lower_is_better),
        baseline=baseline,
        target=target,
        due_on=due_on,
    )
    measure.full_clean()
    measure.save()
    _log(
        by,
        action.plan.relationship,
        "measure_added",
        measure,
        kind=kind,
        baseline=baseline,
        target=target,
    )
    return measure


@transaction.atomic
def measure_set_targets(
    *, measure: Measure, by: User | None, baseline: Decimal | None, target: Decimal | None
) -> Measure:
    """Baseline (before) and target of an outcome."""
    measure.baseline = baseline
    measure.target = target
    measure.save(update_fields=["baseline", "target"])
    _log(
        by,
        measure.action.plan.relationship,
        "measure_targets_set",
        measure,
        baseline=baseline,
        target=target,
    )
    return measure


@transaction.atomic
def milestone_achieve(*, measure: Measure, by: User | None, achieved_on: date) -> Measure:
    if measure.kind != Measure.Kind.MILESTONE:
        raise ValidationError(_("Only a milestone is achieved; an outcome is measured."))
    if not measure.action.is_open:
        raise ValidationError(_("This action is closed."))
    if achieved_on > timezone.localdate():
        raise ValidationError({"achieved_on": _("The date cannot be in the future.")})
    measure.achieved_on = achieved_on
    measure.save(update_fields=["achieved_on"])
    _log(
        by, measure.action.plan.relationship, "milestone_achieved", measure, achieved_on=achieved_on
    )
    return measure


@transaction.atomic
def reading_record(
    *,
    measure: Measure,
    by: User,
    by_supplier: bool,
    measured_on: date,
    value: Decimal,
    note: str = "",
) -> Reading:
    """A measured value. The buyer's own counts at once; a supplier's waits for confirmation."""
    if measure.kind != Measure.Kind.OUTCOME:
        raise ValidationError(_("A milestone is achieved, not measured."))
    if not measure.action.is_open:
        raise ValidationError(_("This action is closed."))
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("The date cannot be in the future.")})
    reading = Reading.objects.create(
        measure=measure,
        measured_on=measured_on,
        value=value,
        note=note.strip(),
        reported_by=by,
        by_supplier=by_supplier,
    )
    action = measure.action
    relationship = action.plan.relationship
    _log(
        by,
        relationship,
        "reading_recorded",
        reading,
        value=value,
        measured_on=measured_on,
        by_supplier=by_supplier,
    )
    if by_supplier:
        tell(
            relationship,
            supplier_side=False,
            kind="supplier_report",
            message=gettext_lazy("%(who)s reported a new measurement of “%(measure)s”: %(value)s."),
            params={"who": str(by), "measure": measure.title, "value": value},
            view="action",
            owner=action.buyer_owner,
            action_id=action.pk,
        )
    else:
        _confirm(reading, by)
    return reading


def _confirm(reading: Reading, by: User) -> None:
    reading.confirmed_at = timezone.now()
    reading.save(update_fields=["confirmed_at"])
    measure = reading.measure
    if measure.baseline is None:
        return  # nothing to compare with: no evidence of change either way
    action = measure.action
    improved = measure.improved(reading.value)
    risk.evidence_record(
        organisation=action.plan.relationship.organisation,
        by=by,
        facility=action.plan.facility,
        issue=BY_CODE[measure.indicator].issue if measure.indicator in BY_CODE else action.issue_id,
        kind=EvidenceKind.OUTCOME,
        observed_on=reading.measured_on,
        source_type=SourceType.WORKER_INTERVIEW
        if measure.source == Measure.Source.SURVEY
        else SourceType.DOCUMENT,
        improved=improved,
        summary=f"{measure.title}: {measure.baseline} → {reading.value} {measure.unit}".strip(),
        origin=f"engagement.reading:{reading.pk}",
    )


@transaction.atomic
def reading_confirm(*, reading: Reading, by: User) -> Reading:
    reading = Reading.objects.select_for_update().get(pk=reading.pk)
    if reading.confirmed_at is not None:
        raise ValidationError(_("This measurement was already confirmed."))
    _confirm(reading, by)
    _log(
        by,
        reading.measure.action.plan.relationship,
        "reading_confirmed",
        reading,
        value=reading.value,
    )
    return reading


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
    _log(by, relationship, "due_date_proposed", change, proposed_due_on=proposed_due_on)
    tell(
        relationship,
        supplier_side=False,
        kind="supplier_report",
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
    _log(by, relationship, "due_date_decided", change, accepted=accept, due_on=action.due_on)
    tell(
        relationship,
        supplier_side=True,
        kind="comment",
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


# --- requests, support, orders, disclosure ----------------------------------------------------


@transaction.atomic
def request_create(
    *, relationship: Relationship, by: User | None, kind: str, text: str, due_on: date
) -> Request:
    _check_open(relationship)
    request = Request(
        relationship=relationship, kind=kind, text=text.strip(), due_on=due_on, created_by=by
    )
    request.full_clean()
    request.save()
    _log(by, relationship, "request_created", request, kind=kind, due_on=due_on)
    tell(
        relationship,
        supplier_side=True,
        kind="request",
        message=gettext_lazy("%(buyer)s asks: %(text)s (answer by %(due)s)"),
        params={"buyer": relationship.organisation.name, "text": request.text[:120], "due": due_on},
        view="request",
        request_id=request.pk,
    )
    return request


@transaction.atomic
def request_answer(*, request: Request, by: User, answer: str, refuse: bool = False) -> Request:
    """The supplier answers, or says it will not (which the transparency red flag weighs)."""
    request = Request.objects.select_for_update().get(pk=request.pk)
    if request.state != Request.State.OPEN:
        raise ValidationError(_("This request was already answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write your answer, or why you cannot give it.")})
    request.state = Request.State.REFUSED if refuse else Request.State.ANSWERED
    request.answer = answer.strip()
    request.answered_at = timezone.now()
    request.answered_by = by
    request.save(update_fields=["state", "answer", "answered_at", "answered_by"])
    relationship = request.relationship
    _log(by, relationship, "request_answered", request, refused=refuse)
    tell(
        relationship,
        supplier_side=False,
        kind="supplier_report",
        message=gettext_lazy("%(who)s answered your request: %(text)s"),
        params={"who": str(by), "text": request.text[:120]},
        view="relationship",
        relationship_id=relationship.pk,
    )
    return request


@transaction.atomic
def support_record(
    *,
    relationship: Relationship,
    by: User | None,
    kind: str,
    description: str,
    given_on: date,
    amount: Decimal | None = None,
    currency: str = "",
    actions: Iterable[Action] = (),
) -> Support:
    actions = list(actions)
    if any(a.plan.relationship_id != relationship.pk for a in actions):
        raise ValidationError({"actions": _("Choose actions of this supplier's plans.")})
    if amount is not None and not currency:
        raise ValidationError({"currency": _("Give the currency of the amount.")})
    support = Support(
        relationship=relationship,
        kind=kind,
        description=description.strip(),
        given_on=given_on,
        amount=amount,
        currency=currency.upper(),
        created_by=by,
    )
    support.full_clean()
    support.save()
    support.actions.set(actions)
    _log(
        by,
        relationship,
        "support_recorded",
        support,
        kind=kind,
        actions=[a.pk for a in actions],
        amount=amount,
        currency=support.currency,
    )
    return support


@transaction.atomic
def order_record(*, relationship: Relationship, by: User | None, **values: Any) -> Order:
    order = Order(relationship=relationship, created_by=by, **values)
    order.full_clean()
    errors = {}
    if order.delivery_due_on < order.placed_on:
        errors["delivery_due_on"] = _("Delivery cannot be due before the order is placed.")
    if order.last_changed_on and order.last_changed_on < order.placed_on:
        errors["last_changed_on"] = _("An order cannot change before it is placed.")
    if errors:
        raise ValidationError(errors)
    order.save()
    _log(by, relationship, "order_recorded", order, reference=order.reference)
    return order


@transaction.atomic
def finding_disclose(
    *,
    relationship: Relationship,
    by: User,
    issue: str,
    summary: str,
    observed_on: date,
    indicator: str = "",
    people_affected: int | None = None,
) -> Evidence:
    """A problem the supplier tells its buyer about. It counts in the buyer's risk register as
    a finding disclosed by the supplier, and never raises a red flag (no zero tolerance)."""
    evidence = risk.evidence_record(
        organisation=relationship.organisation,
        by=by,
        facility=relationship.facility,
        issue=issue,
        indicator=indicator or None,
        kind=EvidenceKind.FINDING,
        observed_on=observed_on,
        source_type=SourceType.SELF_ASSESSMENT,
        summary=summary,
        people_affected=people_affected,
        disclosed_by_supplier=True,
        origin=f"engagement.relationship:{relationship.pk}",
    )
    tell(
        relationship,
        supplier_side=False,
        kind="supplier_report",
        message=gettext_lazy("%(who)s disclosed a problem: %(text)s"),
        params={"who": str(by), "text": evidence.summary[:120]},
        view="relationship",
        relationship_id=relationship.pk,
    )
    return evidence


def _buyers_at(supplier: Organisation, site: Facility) -> list[Organisation]:
    """The buyers a supplier has accepted to work with at one of its own sites."""
    buyers = [
        r.organisation
        for r in Relationship.objects.shared_with(supplier)
        .filter(facility=site)
        .exclude(status=Status.EXITED)
        .select_related("organisation")
        .order_by("pk")
    ]
    if not buyers:
        raise ValidationError(_("This is not a site you have accepted to work on with a buyer."))
    return buyers


@transaction.atomic
def upstream_disclose(
    *,
    supplier: Organisation,
    by: User,
    site: Facility,
    customer: Facility,
    kind: str,
    facility: Facility | None = None,
    new_facility: dict[str, Any] | None = None,
    product: str = "",
    stone_type: str = "",
    share: Decimal | None = None,
) -> UpstreamDisclosure:
    """The supplier discloses who supplies or works for its own site (`facility` supplies
    `customer`), to every buyer it has accepted there. A facility not yet in the registry is
    added from `new_facility`."""
    buyers = _buyers_at(supplier, site)
    if facility is None:
        facility = supplychain.facility_create(organisation=supplier, by=by, **(new_facility or {}))
    return supplychain.upstream_disclose(
        organisation=supplier,
        by=by,
        site=site,
        customer=customer,
        supplier=facility,
        kind=kind,
        buyers=buyers,
        product=product,
        stone_type=stone_type,
        share=share,
    )


@transaction.atomic
def workforce_disclose(
    *,
    supplier: Organisation,
    by: User,
    facility: Facility,
    workers: int | None = None,
    migrant_share: Decimal | None = None,
    dispatched_share: Decimal | None = None,
    intern_share: Decimal | None = None,
) -> list[WorkforceStatement]:
    """The supplier says who works at its own site: a facility of a relationship it has
    accepted. Every buyer it accepted for that site receives the figures, labelled as
    disclosed by the supplier; each buyer's own figures, when newer, still count for it."""
    return risk.workforce_disclose(
        supplier=supplier,
        by=by,
        facility=facility,
        buyers=_buyers_at(supplier, facility),
        workers=workers,
        migrant_share=migrant_share,
        dispatched_share=dispatched_share,
        intern_share=intern_share,
        origin=f"engagement.supplier:{supplier.pk}",
    )


# --- escalation and exit ----------------------------------------------------------------------

_STATUS_AFTER: dict[str, str] = {
    Escalation.Step.SUSPEND_ORDERS: Status.ORDERS_SUSPENDED,
    Escalation.Step.RESUME_ORDERS: Status.ENGAGED,
}


@transaction.atomic
def escalation_take(
    *, relationship: Relationship, by: User | None, step: str, taken_on: date, note: str = ""
) -> Escalation:
    _check_open(relationship)
    if step == Escalation.Step.EXIT:
        raise ValidationError({"step": _("Exit through an exit plan, which protects the workers.")})
    if step == Escalation.Step.RESUME_ORDERS and relationship.status != Status.ORDERS_SUSPENDED:
        raise ValidationError({"step": _("Orders are not suspended.")})
    escalation = Escalation(
        relationship=relationship, step=step, taken_on=taken_on, note=note.strip(), created_by=by
    )
    escalation.full_clean()
    escalation.save()
    if step in _STATUS_AFTER and relationship.status != Status.EXITING:
        relationship.status = _STATUS_AFTER[step]
        relationship.save(update_fields=["status"])
    _log(by, relationship, "escalation_taken", escalation, step=step, status=relationship.status)
    if step in _STATUS_AFTER:
        tell(
            relationship,
            supplier_side=True,
            kind="relationship",
            message=(
                gettext_lazy("%(buyer)s has suspended new orders: %(note)s")
                if step == Escalation.Step.SUSPEND_ORDERS
                else gettext_lazy("%(buyer)s places orders again: %(note)s")
            ),
            params={"buyer": relationship.organisation.name, "note": escalation.note or "—"},
            view="home",
        )
    return escalation


@transaction.atomic
def exit_plan_create(
    *,
    relationship: Relationship,
    by: User | None,
    reason: str,
    decided_on: date,
    notice_days: int,
    workers_affected: int,
    wind_down: str,
    workers_note: str = "",
    red_flags: Iterable[str] = (),
    last_order_on: date | None = None,
) -> ExitPlan:
    _check_open(relationship)
    if hasattr(relationship, "exit_plan"):
        raise ValidationError(_("This relationship already has an exit plan."))
    plan = ExitPlan(
        relationship=relationship,
        reason=reason.strip(),
        red_flags=",".join(red_flags),
        decided_on=decided_on,
        notice_days=notice_days,
        workers_affected=workers_affected,
        workers_note=workers_note.strip(),
        wind_down=wind_down.strip(),
        last_order_on=last_order_on,
        created_by=by,
    )
    plan.full_clean()
    plan.save()
    Escalation.objects.create(
        relationship=relationship,
        step=Escalation.Step.EXIT,
        taken_on=decided_on,
        note=plan.reason,
        created_by=by,
    )
    relationship.status = Status.EXITING
    relationship.save(update_fields=["status"])
    tell(
        relationship,
        supplier_side=True,
        kind="relationship",
        message=gettext_lazy(
            "%(buyer)s will end the business relationship on %(date)s. Remediation for workers "
            "continues until it is done."
        ),
        params={"buyer": relationship.organisation.name, "date": plan.ends_on},
        view="home",
    )
    _log(
        by,
        relationship,
        "exit_planned",
        plan,
        notice_days=notice_days,
        workers_affected=workers_affected,
        red_flags=plan.red_flags,
    )
    return plan


@transaction.atomic
def exit_complete(*, exit_plan: ExitPlan, by: User | None) -> ExitPlan:
    """The relationship ends. Corrective and preventive actions stop; remediation for harm done
    stays open, on the buyer's dashboard, until it is fulfilled."""
    if exit_plan.completed_at is not None:
        raise ValidationError(_("This exit was already completed."))
    if timezone.localdate() < exit_plan.ends_on:
        raise ValidationError(
            _("The notice period runs until %(date)s.") % {"date": exit_plan.ends_on.isoformat()}
        )
    relationship = exit_plan.relationship
    stopped = (
        Action.objects.filter(plan__relationship=relationship)
        .still_open()
        .exclude(kind=ActionKind.REMEDIATION)
        .update(status=ActionStatus.CANCELLED)
    )
    exit_plan.completed_at = timezone.now()
    exit_plan.save(update_fields=["completed_at"])
    relationship.status = Status.EXITED
    relationship.save(update_fields=["status"])
    # Red flags are no longer evaluated for an ended relationship: none stays standing.
    relationship.flags.filter(cleared_at__isnull=True).update(cleared_at=exit_plan.completed_at)
    remaining = Action.objects.filter(plan__relationship=relationship).still_open().count()
    _log(
        by,
        relationship,
        "exit_completed",
        exit_plan,
        actions_stopped=stopped,
        remediation_open=remaining,
    )
    return exit_plan


@transaction.atomic
def flags_refresh(*, relationship: Relationship, today: date) -> list[str]:
    """Evaluate the red flags and remember which are raised. A flag that rises is logged and
    told to the buyer once; one that falls is logged as cleared. Returns the codes that rose."""
    raised = {flag.code: flag for flag in red_flags(relationship, today) if flag.raised}
    standing = {state.code: state for state in relationship.flags.filter(cleared_at__isnull=True)}
    rose = [code for code in raised if code not in standing]
    fell = [code for code in standing if code not in raised]
    now = timezone.now()
    for code in fell:
        standing[code].cleared_at = now
        standing[code].save(update_fields=["cleared_at"])
    for code in rose:
        relationship.flags.create(code=code, raised_at=now)
    if rose or fell:
        _log(None, relationship, "red_flags_changed", relationship, raised=rose, cleared=fell)
    for code in rose:
        tell(
            relationship,
            supplier_side=False,
            kind="red_flag",
            message=gettext_lazy("Red flag for %(supplier)s: %(flag)s"),
            params={"supplier": str(relationship.facility), "flag": flags.TITLES[code]},
            view="relationship",
            key=f"flag:{relationship.pk}:{code}:{now.date().isoformat()}",
            relationship_id=relationship.pk,
        )
    return rose
