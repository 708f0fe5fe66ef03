"""Recomputation runs in the task worker, so recording evidence or editing the map stays fast."""

from django_tasks import task

# Imported inside each task because services enqueues these tasks: a module-level import would
# loop.


@task()
def recompute_facility(*, facility_id: int, organisation_id: int | None = None) -> int:
    from .services import recompute_facility

    return recompute_facility(facility_id=facility_id, organisation_id=organisation_id)


@task()
def recompute_facilities(*, facility_ids: list[int]) -> int:
    from .services import recompute_facilities

    return recompute_facilities(facility_ids=facility_ids)


@task()
def recompute_organisation(*, organisation_id: int, requested_at: str = "") -> int:
    """Skipped when the chain was rescored after the request: ten link edits in a row queue
    ten of these, and the first to run after the last edit covers them all."""
    from datetime import datetime

    from stonebridge.accounts.models import Organisation

    from .models import ScoreState
    from .services import recompute_organisation

    if (
        requested_at
        and ScoreState.objects.filter(
            organisation_id=organisation_id, computed_at__gt=datetime.fromisoformat(requested_at)
        ).exists()
    ):
        return 0
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    return recompute_organisation(organisation=organisation) if organisation else 0


@task()
def recompute_all() -> int:
    from .services import recompute_all

    return recompute_all()


@task()
def write_register_export(*, export_id: int) -> int:
    """A large register download; a failure is shown on its page, not lost."""
    from .exporting import write_export
    from .models import RegisterExport

    export = RegisterExport.objects.select_related("organisation").filter(pk=export_id).first()
    if export is None or export.status == RegisterExport.Status.DONE:
        return 0  # safe to run twice
    try:
        write_export(export)
    except Exception:
        RegisterExport.objects.filter(pk=export_id).update(status=RegisterExport.Status.FAILED)
        raise
    return export_id
