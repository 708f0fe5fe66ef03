"""A buyer brings its supplier onto StoneBridge: it finds the supplier's organisation by credit
code or e-mail address, or creates it, invites its first person in Chinese, and names it on the
relationship, which the supplier then accepts in its workspace."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stonebridge.accounts import services as accounts
from stonebridge.accounts.models import Organisation, Role, User
from stonebridge.supplychain.codes import validate_credit_code

from .. import queries
from ..models import Relationship
from .notices import log
from .relationships import relationship_update

# Suppliers read StoneBridge in Chinese: their invitation e-mail and page are in Chinese.
SUPPLIER_LANGUAGE = "zh-hans"


@dataclass(frozen=True)
class Invited:
    supplier: Organisation
    created: bool
    # The invitation link's secret, shown once; None when the organisation already has people,
    # who see the buyer's request in their workspace instead.
    token: str | None


@transaction.atomic
def supplier_invite(
    *,
    relationship: Relationship,
    by: User,
    name_zh: str,
    credit_code: str,
    email: str,
    name: str = "",
) -> Invited:
    """Invite the supplier of a relationship. A buyer may bring the first person into an
    organisation that has none; into one that has people it only asks to share, so no buyer
    can place its own address among another company's people."""
    try:
        code = validate_credit_code(credit_code)
    except ValidationError as error:
        raise ValidationError({"credit_code": error.messages}) from None
    email = email.strip().lower()
    supplier = queries.supplier_known(code, email)
    created = supplier is None
    if supplier is None:
        supplier = accounts.organisation_create(
            slug=f"s-{code.lower()}",
            name=name.strip() or name_zh.strip(),
            name_zh=name_zh.strip(),
            kind=Organisation.Kind.SUPPLIER,
            country="CN",
            credit_code=code,
            by=by,
        )
    elif supplier.kind != Organisation.Kind.SUPPLIER:
        raise ValidationError(
            {
                "credit_code": _(
                    "This credit code belongs to an organisation that is not a supplier."
                )
            }
        )
    token = None
    if not supplier.memberships.exists():
        _invitation, token = accounts.invitation_create(
            organisation=supplier,
            email=email,
            role=Role.OWNER,
            by=by,
            language=SUPPLIER_LANGUAGE,
            sender=relationship.organisation.name,
        )
    if relationship.supplier_id != supplier.pk:
        relationship_update(
            relationship=relationship,
            by=by,
            supplier=supplier,
            improvement_period_days=relationship.improvement_period_days,
        )
    log(
        by,
        relationship,
        "supplier_invited",
        supplier,
        supplier=supplier.slug,
        created=created,
        invited=token is not None,
    )
    return Invited(supplier=supplier, created=created, token=token)
