"""Who owns a row of organisation data, and which supplier a buyer shares it with, declared
once on its model.

A model of organisation data names, as plain class attributes:
- `owner_path`: the lookup from a row to the organisation that owns it
  (`"plan__relationship__organisation"`);
- `supplier_path` and `accepted_path`, when a buyer shares the row with a supplier's
  organisation: the lookup to that organisation, and to the moment it accepted the sharing.
  Nothing reaches the supplier before it accepts.
- `provider_path` and `granted_until_path`, when a buyer lets a service provider (an auditor, a
  local partner) see the row for a visit: the lookup to the provider's organisation, and to the
  last day of its access.

- `recipient_paths`, when the owner sends a row to other organisations (a supplier's answers to
  the buyer that asked, and to the buyers it consents to share them with): each lookup to a
  recipient organisation, with the lookups that must hold while the sending stands (a consent
  not withdrawn).

`access.py` finds rows along these paths, so no view types one. Plain attributes rather than a
base class, so that `audit` declares its owner without importing `accounts`.
"""

from datetime import date
from typing import Self, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet

from .models import Organisation

M = TypeVar("M", bound=Model)


def declared(model: type[Model], name: str) -> str:
    """The path a model declares under `name`. A model that declares none fails loudly: its
    rows must not fall back to being everyone's."""
    path = getattr(model, name, None)
    if not isinstance(path, str):
        raise ImproperlyConfigured(f"{model._meta.label} declares no {name}.")
    return path


def owned_by(model: type[Model], organisation: Organisation) -> Q:
    return Q(**{declared(model, "owner_path"): organisation})


def shared_with(model: type[Model], organisation: Organisation, *, accepted: bool = True) -> Q:
    """Rows a buyer shares with the supplier's organisation: once it accepted, or, with
    `accepted=False`, while the buyer still waits for its answer."""
    return Q(
        **{
            declared(model, "supplier_path"): organisation,
            f"{declared(model, 'accepted_path')}__isnull": not accepted,
        }
    )


def received_by(model: type[Model], organisation: Organisation) -> Q:
    """Rows sent to the organisation along any of the model's recipient paths, while the
    sending stands."""
    paths = getattr(model, "recipient_paths", None)
    if not isinstance(paths, dict) or not paths:
        raise ImproperlyConfigured(f"{model._meta.label} declares no recipient_paths.")
    # One subquery per path: a row sent along two paths is still one row.
    found = Q(pk__in=[])
    for path, standing in paths.items():
        sent = model._default_manager.filter(**{path: organisation, **standing}).values("pk")
        found |= Q(pk__in=sent)
    return found


class SharedQuerySet(QuerySet[M]):
    """Rows of a model that a buyer shares with a supplier's organisation."""

    def shared_with(self, organisation: Organisation) -> Self:
        """What the supplier's organisation sees: only once it accepted the buyer's sharing."""
        return self.filter(shared_with(self.model, organisation))


def granted_to(model: type[Model], organisation: Organisation, today: date) -> Q:
    """Rows a buyer lets a service provider's organisation see for a visit: named as its
    provider, and only until the day the grant ends (inclusive)."""
    return Q(
        **{
            declared(model, "provider_path"): organisation,
            f"{declared(model, 'granted_until_path')}__gte": today,
        }
    )
