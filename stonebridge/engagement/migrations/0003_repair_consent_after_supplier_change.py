"""Repair relationships whose supplier's account was changed without asking it afresh.

Before this release the buyer's edit form could name another supplier's account and keep the
acceptance of the one before. A relationship accepted by someone who is not a member of its
current supplier's account goes back to asking (that account sees nothing until it accepts), and
its red-flag clocks start again at the new acceptance. Action owners and acknowledgements of the
code by people outside the current, accepting account are cleared.

A person who accepted and has since left the supplier's organisation cannot be told apart from
one of another organisation: such a relationship is asked again too, which costs one click.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone


def repair_consent(apps, schema_editor):
    Relationship = apps.get_model("engagement", "Relationship")
    Action = apps.get_model("engagement", "Action")
    Commitment = apps.get_model("engagement", "Commitment")
    FlagState = apps.get_model("engagement", "FlagState")
    Membership = apps.get_model("accounts", "Membership")
    now = timezone.now()

    accepted_by_member = Membership.objects.filter(
        organisation=OuterRef("supplier"), user=OuterRef("supplier_accepted_by")
    )
    wrong = list(
        Relationship.objects.filter(
            supplier_accepted_at__isnull=False, supplier_accepted_by__isnull=False
        )
        .exclude(Exists(accepted_by_member))
        .values_list("pk", flat=True)
    )
    Relationship.objects.filter(pk__in=wrong).update(
        supplier_accepted_at=None, supplier_accepted_by=None, supplier_changed_at=now
    )
    FlagState.objects.filter(relationship__in=wrong, cleared_at__isnull=True).update(
        cleared_at=now
    )

    # Owners and acknowledgements belong to people of the current account, once it accepted.
    not_accepted = Q(plan__relationship__supplier_accepted_at__isnull=True)
    owner_is_member = Membership.objects.filter(
        organisation=OuterRef("plan__relationship__supplier"), user=OuterRef("supplier_owner")
    )
    Action.objects.filter(supplier_owner__isnull=False).filter(
        not_accepted | ~Exists(owner_is_member)
    ).update(supplier_owner=None)
    acknowledged_by_member = Membership.objects.filter(
        organisation=OuterRef("relationship__supplier"), user=OuterRef("acknowledged_by")
    )
    Commitment.objects.filter(acknowledged_by__isnull=False).filter(
        Q(relationship__supplier_accepted_at__isnull=True) | ~Exists(acknowledged_by_member)
    ).update(acknowledged_at=None, acknowledged_by=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("engagement", "0002_relationship_supplier_changed_at"),
    ]

    operations = [migrations.RunPython(repair_consent, migrations.RunPython.noop)]
