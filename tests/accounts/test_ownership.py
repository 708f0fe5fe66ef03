"""Each model of organisation data says once, on the model, which organisation owns a row and,
when a buyer shares the row with a supplier, which organisation it is shared with. Access finds
rows along those paths, so no view types one, and a new model that forgets its owner fails here
rather than showing its rows to the wrong organisation."""

from datetime import date

import pytest
from django.apps import apps
from django.db import models
from django.http import Http404

from stonebridge.accounts.access import get_as_supplier_or_404, get_scoped_or_404
from stonebridge.accounts.models import Membership, Organisation
from stonebridge.engagement.models import Action, Relationship
from stonebridge.engagement.services import escalation, support
from stonebridge.voice.models import Remedy
from stonebridge.voice.services import remedies
from tests.accounts.test_access_matrix import world
from tests.conftest import OrganisationFactory

__all__ = ["world"]  # the access matrix's fixture: one of everything, owned by Noordsteen

# Models that name an organisation without being its data, and why.
NOT_OWNED = {
    "accounts.Organisation": "the organisation itself, and the covenant it belongs to",
    "notifications.Notification": "a person's own notice; the organisation says where it leads",
    "voice.Channel": "a facility's one channel, shared like the facility (its sponsors are owned)",
    "voice.Case": "a worker's case: found along recipient_paths by the organisations it goes to",
    "voice.Message": "read only through its case, found as the case is",
    "voice.Attachment": "read only through its case, found as the case is",
}


def related(model: type[models.Model]) -> list[type[models.Model]]:
    """The models a row points to through its own foreign keys."""
    return [
        field.related_model
        for field in model._meta.get_fields()
        if field.is_relation and not field.auto_created and field.related_model
    ]


def reaches_organisation(model: type[models.Model], seen: frozenset = frozenset()) -> bool:
    return any(
        target is Organisation
        or (target not in seen and reaches_organisation(target, seen | {model}))
        for target in related(model)
    )


OWNED = sorted(
    (
        model
        for model in apps.get_models()
        if model._meta.label not in NOT_OWNED and reaches_organisation(model)
    ),
    key=lambda model: model._meta.label,
)
SHARED = [model for model in OWNED if hasattr(model, "supplier_path")]


def resolve(model: type[models.Model], path: str) -> models.Field:
    """The field a lookup path ends on, following each foreign key on the way."""
    *through, last = path.split("__")
    for name in through:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(last)


def test_every_model_of_organisation_data_declares_its_owner():
    labels = {model._meta.label for model in OWNED}
    assert {
        "accounts.Membership",
        "audit.Entry",
        "engagement.Attachment",
        "risk.WorkforceStatement",
        "supplychain.ImportOutcome",
        "supplychain.UpstreamShare",
    } <= labels
    undeclared = [
        m._meta.label for m in OWNED if not isinstance(getattr(m, "owner_path", None), str)
    ]
    assert undeclared == []


def test_each_declared_path_leads_to_an_organisation():
    for model in OWNED:
        assert resolve(model, model.owner_path).related_model is Organisation, model
    # What the supplier's workspace shows of a buyer's engagement, and the records checks of its
    # own facility, and nothing more.
    assert {model._meta.label for model in SHARED} == {
        "assessments.HoursApproval",
        "assessments.RecordsCheck",
        "assessments.RecordsViolation",
        "assessments.RecordsIndication",
    } | {
        f"engagement.{name}"
        for name in (
            "Relationship",
            "Commitment",
            "Request",
            "Support",
            "Plan",
            "Action",
            "Measure",
            "Reading",
            "Update",
            "Attachment",
            "DueDateChange",
            "FlagState",
            "ExitPlan",
        )
    } | {f"assessments.{name}" for name in ("VisitSite", "Finding", "Dispute", "FindingFile")} | {
        "voice.Remedy",
        "voice.RemedyMilestone",
    }
    for model in SHARED:
        assert resolve(model, model.supplier_path).related_model is Organisation, model
        accepted = resolve(model, model.accepted_path)
        assert isinstance(accepted, models.DateTimeField), model
        assert accepted.null, model


def as_member_of(organisation: Organisation) -> Membership:
    return Membership(organisation=organisation)


@pytest.mark.django_db
def test_access_finds_each_row_for_the_organisation_that_owns_it_and_no_other(world):
    outsider = OrganisationFactory()
    checked = set()
    for model in OWNED:
        rows = model._default_manager.values_list("pk", model.owner_path)
        for pk, owner_id in rows:
            if owner_id is None:  # an audit entry about a person, not an organisation
                continue
            owner = Organisation.objects.get(pk=owner_id)
            found = get_scoped_or_404(model._default_manager.all(), as_member_of(owner), pk=pk)
            assert found.pk == pk
            with pytest.raises(Http404):
                get_scoped_or_404(model._default_manager.all(), as_member_of(outsider), pk=pk)
            checked.add(model._meta.label)
    assert {"engagement.Attachment", "supplychain.UpstreamShare", "audit.Entry"} <= checked


@pytest.mark.django_db
def test_a_shared_row_reaches_the_supplier_only_once_it_accepted(world, buyer, owner, supplier_org):
    relationship = Relationship.objects.get(pk=world["relationship_id"])
    support.support_record(
        relationship=relationship,
        by=owner,
        kind="training",
        description="Dust training.",
        given_on=date(2026, 1, 5),
        actions=[Action.objects.get(pk=world["action_id"])],
    )
    # A red flag standing: the supplier sees it as a concern on its workspace.
    relationship.flags.create(code="refusal_to_engage")
    # An exit planned: the supplier reads why and how the relationship ends.
    escalation.exit_plan_create(
        relationship=relationship,
        by=owner,
        reason="No change after two years.",
        decided_on=date(2026, 1, 6),
        notice_days=90,
        workers_affected=20,
        wind_down="Orders end in April.",
    )
    # A remedy at the supplier's site with its first step: the supplier follows it.
    remedies.milestone_add(
        remedy=Remedy.objects.get(pk=world["remedy_id"]),
        by=owner,
        title="Back pay for March",
        due_on=date(2026, 2, 1),
    )
    rows = [
        (model, pk)
        for model in SHARED
        for pk in model._default_manager.values_list("pk", flat=True)
    ]
    assert SHARED
    assert {model for model, _pk in rows} == set(SHARED)
    for model, pk in rows:
        queryset = model._default_manager.all()
        assert get_as_supplier_or_404(queryset, as_member_of(supplier_org), pk=pk).pk == pk
        with pytest.raises(Http404):
            get_as_supplier_or_404(queryset, as_member_of(buyer), pk=pk)
    Relationship.objects.filter(pk=relationship.pk).update(supplier_accepted_at=None)
    for model, pk in rows:
        queryset = model._default_manager.all()
        with pytest.raises(Http404):
            get_as_supplier_or_404(queryset, as_member_of(supplier_org), pk=pk)
        asked = get_as_supplier_or_404(queryset, as_member_of(supplier_org), accepted=False, pk=pk)
        assert asked.pk == pk
