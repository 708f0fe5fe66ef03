"""Staff make two registry records of one firm one: the kept record takes the removed one's
names and fills its blanks, and each app's handler (merging.py) moves what pointed at it."""

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation, User
from stonebridge.audit.services import record

from . import chain, merging, queries, services
from .models import Facility, pack_codes, unpack_codes
from .signals import facility_changed

# Fields of the removed record that fill the kept record's blanks.
_FILLED_FROM_REMOVED = (
    "name_zh",
    "name_en",
    "province",
    "city",
    "district",
    "address",
    "latitude",
    "longitude",
    "credit_code",
    "os_hub_id",
    "workers",
    "migrant_share",
    "dispatched_share",
    "intern_share",
)


def _absorb(keep: Facility, remove: Facility) -> dict[str, list[Any]]:
    """The kept record takes the removed one's names as other names and fills its blanks."""
    before = {f: getattr(keep, f) for f in (*_FILLED_FROM_REMOVED, "aliases", "activities")}
    for field in _FILLED_FROM_REMOVED:
        if getattr(keep, field) in (None, "") and getattr(remove, field) not in (None, ""):
            setattr(keep, field, getattr(remove, field))
    own = {keep.name_zh, keep.name_en, ""}
    names = [remove.name_zh, remove.name_en, *remove.aliases]
    keep.aliases = list(dict.fromkeys([*keep.aliases, *(n for n in names if n not in own)]))
    keep.activities = pack_codes(unpack_codes(keep.activities) + unpack_codes(remove.activities))
    keep.stone_types = pack_codes(unpack_codes(keep.stone_types) + unpack_codes(remove.stone_types))
    return {f: [v, getattr(keep, f)] for f, v in before.items() if v != getattr(keep, f)}


@transaction.atomic
def facility_merge(
    *, keep: Facility, remove: Facility, by: User, choices: Mapping[str, str] | None = None
) -> Facility:
    """Make `remove` part of `keep`: everything that points at it moves, through the map's own
    handler and those other apps registered (merging.py); its names become other names of the
    kept record and fill its blanks. Staff only, audited in the log of staff and of every
    organisation whose rows moved (each sees only its own). Conflicts need a choice in
    `choices` ({conflict.key: merging.KEEP or merging.REMOVE}); without one nothing changes.
    Every chain that held either facility is rebuilt, which rescores its risks."""
    if by is None or not by.is_staff:
        raise PermissionDenied
    if keep.pk == remove.pk:
        raise ValidationError(_("Choose two different facilities."))
    missing = merging.unhandled_relations()
    if missing:
        raise RuntimeError(f"No merge handler moves {sorted(missing)}; register one.")
    keep = Facility.objects.select_for_update().get(pk=keep.pk)
    remove = Facility.objects.select_for_update().get(pk=remove.pk)
    if keep.credit_code and remove.credit_code and keep.credit_code != remove.credit_code:
        raise ValidationError(
            _(
                "The two facilities have different unified social credit codes, so they are "
                "different firms. If one code is wrong, correct it first."
            )
        )
    conflicts = queries.merge_conflicts(keep=keep, remove=remove)
    choices = {c.key: merging.chosen(choices or {}, c) for c in conflicts}
    holders = queries.chains_holding(keep, remove)
    moved: merging.Moved = {}
    for handler in merging.handlers():
        for organisation_id, counts in handler.merge(
            keep=keep, remove=remove, choices=choices, by=by
        ).items():
            moved.setdefault(organisation_id, Counter()).update(counts)
    removed = {"id": remove.pk, "name": str(remove), "credit_code": remove.credit_code}
    changes = _absorb(keep, remove)
    remove.delete()  # first: the kept record may take over its credit code
    services.prepare_facility(keep)
    keep.updated_at = timezone.now()
    keep.full_clean()
    keep.save()
    for organisation in Organisation.objects.filter(pk__in=holders).order_by("pk"):
        loop = chain.find_cycle(queries.all_edges(organisation))
        if loop:
            raise ValidationError(
                _(
                    "Merging would make a loop in the chain of %(organisation)s: one of the two "
                    "facilities supplies the other through others. Correct its links first."
                )
                % {"organisation": organisation}
            )
    totals: Counter[str] = Counter()
    for counts in moved.values():
        totals.update(counts)
    record(
        actor=by,
        organisation=None,
        verb="facility.merged",
        target=keep,
        changes={"removed": removed, "record": changes, "choices": choices, "moved": totals},
    )
    for organisation in Organisation.objects.filter(pk__in=holders | set(moved) - {None}):
        mine = {c.key: choices[c.key] for c in conflicts if c.organisation_id == organisation.pk}
        record(
            actor=by,
            organisation=organisation,
            verb="facility.merged",
            target=keep,
            changes={"removed": removed, "choices": mine, "moved": moved.get(organisation.pk, {})},
        )
    for organisation in Organisation.objects.filter(pk__in=holders).order_by("pk"):
        services.chain_rebuild(organisation=organisation)
    facility_changed.send(sender=Facility, facility_ids=[keep.pk])
    return keep
