"""Undoing an import of the buyer's own: the links and sourcing it added are removed, the fields
it filled in are emptied again and the facilities it created deleted, unless something it did not
create now refers to such a facility, or a field it changed has changed since."""

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stonebridge.accounts.models import User
from stonebridge.audit.services import record

from .. import services
from ..models import Facility, FacilityRef, ImportJob, ImportOutcome, Link, Sourcing
from ..signals import facility_changed

Action = ImportOutcome.Action
_CHUNK = 500


def _field(record: models.Model, name: str) -> models.Field[Any, Any]:
    field = record._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _relations_to_facility() -> list[Any]:
    """Every foreign key to a facility, those without a reverse accessor (`related_name="+"`,
    such as a buyer's engagement or a supplier's disclosure) included."""
    return [
        field
        for field in Facility._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and field.one_to_many
    ]


def _owned_by_organisation(model: Any) -> bool:
    """Rows an organisation stated itself, as opposed to rows rebuilt from its chain (tiers,
    scores), which a model marks with `rebuilt_from_chain`."""
    names = {field.name for field in model._meta.get_fields()}
    return "organisation" in names and not getattr(model, "rebuilt_from_chain", False)


class _Undo:
    """What an import did, from its outcomes."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.outcomes = list(job.outcomes.select_related("facility", "link", "sourcing"))
        self.created = {
            o.facility_id: o.row
            for o in self.outcomes
            if o.action == Action.CREATED and o.facility_id
        }
        self.links = {o.link_id for o in self.outcomes if o.action == Action.LINKED and o.link_id}
        self.sourcing = {
            o.sourcing_id for o in self.outcomes if o.action == Action.LINKED and o.sourcing_id
        }
        self.refs = [(o.ref, o.facility_id) for o in self.outcomes if o.ref and o.facility_id]

    def changed(self) -> list[tuple[ImportOutcome, models.Model]]:
        """The rows that changed a record that still exists, with that record."""
        found: list[tuple[ImportOutcome, models.Model]] = []
        for outcome in self.outcomes:
            target: models.Model | None = outcome.link or outcome.sourcing or outcome.facility
            if outcome.action == Action.CHANGED and target is not None:
                found.append((outcome, target))
        return found

    def _own(self, model: type[models.Model]) -> set[int]:
        """The records of this model the import created (and so may remove)."""
        if model is Link:
            return self.links
        if model is Sourcing:
            return self.sourcing
        return set()

    def referrers(self) -> dict[int, int]:
        """Per facility the import created: how many records it did not create refer to it.
        Records that live and die with the facility (tiers, scores) do not count; the buyer's
        references do, except those the import added. Another organisation's own rows that
        would go with the facility (its workforce figures, its answers about a list) count too:
        undoing one buyer's import never deletes another's data."""
        counts: dict[int, int] = defaultdict(int)
        ids = list(self.created)
        own_refs = {(ref, facility) for ref, facility in self.refs}
        for relation in _relations_to_facility():
            model = relation.related_model
            name = relation.field.name
            if model is FacilityRef:
                for start in range(0, len(ids), _CHUNK):
                    for ref in FacilityRef.objects.filter(facility__in=ids[start : start + _CHUNK]):
                        mine = ref.organisation_id == self.job.organisation_id
                        if not (mine and (ref.ref, ref.facility_id) in own_refs):
                            counts[ref.facility_id] += 1
            elif relation.on_delete is models.PROTECT:
                own = self._own(model)
                for start in range(0, len(ids), _CHUNK):
                    found = model._default_manager.filter(
                        **{f"{name}__in": ids[start : start + _CHUNK]}
                    ).values_list("pk", name)
                    for pk, facility in found:
                        if pk not in own:
                            counts[facility] += 1
            elif relation.on_delete is models.CASCADE and _owned_by_organisation(model):
                for start in range(0, len(ids), _CHUNK):
                    chunk = ids[start : start + _CHUNK]
                    others = model._default_manager.filter(**{f"{name}__in": chunk}).exclude(
                        organisation=self.job.organisation_id
                    )
                    for facility in others.values_list(name, flat=True):
                        counts[facility] += 1
        return counts

    def blockers(self) -> list[str]:
        found: list[tuple[int, str]] = []
        referrers = self.referrers()
        if referrers:
            names = Facility.objects.in_bulk(list(referrers))
            for facility, count in referrers.items():
                found.append(
                    (
                        self.created[facility],
                        ngettext(
                            "Row %(row)d created %(facility)s, which %(count)d record this "
                            "import did not create now refers to.",
                            "Row %(row)d created %(facility)s, which %(count)d records this "
                            "import did not create now refer to.",
                            count,
                        )
                        % {
                            "row": self.created[facility],
                            "facility": names[facility],
                            "count": count,
                        },
                    )
                )
        for outcome, target in self.changed():
            for name, after in outcome.after.items():
                field = _field(target, name)
                if field.to_python(after) != getattr(target, name):
                    found.append(
                        (
                            outcome.row,
                            _(
                                "Row %(row)d changed %(field)s of %(record)s, which has "
                                "changed again since."
                            )
                            % {
                                "row": outcome.row,
                                "field": field.verbose_name,
                                "record": target,
                            },
                        )
                    )
        return [message for _row, message in sorted(found, key=lambda item: item[0])]


def undo_blockers(job: ImportJob) -> list[str]:
    """Why the import cannot be undone now; empty if it can."""
    return _Undo(job).blockers()


def can_undo(job: ImportJob) -> bool:
    """Whether the import is of a kind that may be undone: done, with what it did recorded."""
    return job.status == ImportJob.Status.DONE and job.outcomes.exists()


@transaction.atomic
def import_undo(*, job: ImportJob, by: User | None) -> ImportJob:
    """Undo a finished import (see the module), or refuse with the reasons it cannot be."""
    job = ImportJob.objects.select_for_update().select_related("organisation").get(pk=job.pk)
    if not can_undo(job):
        raise ValidationError(_("This import cannot be undone."))
    undo = _Undo(job)
    blockers = undo.blockers()
    if blockers:
        raise ValidationError(blockers)
    now = timezone.now()
    reverted: dict[Facility, dict[str, Any]] = {}
    for outcome, target in undo.changed():
        for name, before in outcome.before.items():
            setattr(target, name, _field(target, name).to_python(before))
        fields = list(outcome.before)
        if isinstance(target, Facility):
            services.prepare_facility(target)
            target.updated_at = now
            fields += ["search_text", "name_parts", "updated_at"]
            reverted.setdefault(target, {}).update(
                {name: [outcome.after[name], before] for name, before in outcome.before.items()}
            )
        target.save(update_fields=fields)
    Link.objects.filter(pk__in=undo.links).delete()
    Sourcing.objects.filter(pk__in=undo.sourcing).delete()
    for ref, facility in undo.refs:
        FacilityRef.objects.filter(
            organisation=job.organisation, ref=ref, facility_id=facility
        ).delete()
    created = list(undo.created)
    for start in range(0, len(created), _CHUNK):
        Facility.objects.filter(pk__in=created[start : start + _CHUNK]).delete()
    services.chain_rebuild(organisation=job.organisation)
    if reverted:
        facility_changed.send(sender=Facility, facility_ids=[f.pk for f in reverted])
        services.tell_holders(editor=job.organisation, by=by, changes=reverted)
    job.status = ImportJob.Status.UNDONE
    job.save(update_fields=["status"])
    changes: dict[str, Any] = {
        "facilities_deleted": len(created),
        "links_removed": len(undo.links),
        "sourcing_removed": len(undo.sourcing),
        "records_reverted": len(undo.changed()),
    }
    record(
        actor=by, organisation=job.organisation, verb="import.undone", target=job, changes=changes
    )
    return job
