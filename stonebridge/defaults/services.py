"""Changing a StoneBridge default: validated, saved and audited in one transaction."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from stonebridge.audit.services import record

from .models import Default
from .queries import CACHE_KEY


@transaction.atomic
def default_change(*, key: str, value: int, by: AbstractBaseUser) -> Default:
    """Set the value in use. Refused with a field error on `value` below the floor of a group
    size, below 1, or above 100 for a score; changes nothing when the value is the same."""
    default = Default.objects.select_for_update().get(key=key)
    before = default.value
    default.value = value
    default.full_clean(validate_unique=False, validate_constraints=False)
    if value == before:
        return default
    default.updated_at = timezone.now()
    default.updated_by_id = by.pk
    default.save(update_fields=["value", "updated_at", "updated_by"])
    record(
        actor=by,
        organisation=None,
        verb="defaults.changed",
        target=default,
        changes={"key": default.key, "value": [before, value]},
    )
    # Forget now, so this transaction reads the new value, and again after the commit, in case
    # another process cached the old value in between.
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    return default
