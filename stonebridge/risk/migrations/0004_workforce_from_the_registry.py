"""Each facility's workforce figures, until now one shared record any organisation could change,
become a statement by every buyer whose chain holds the facility (source: the registry, before
the change), so no score moves on upgrade."""

from django.db import migrations

FIELDS = ("workers", "migrant_share", "dispatched_share", "intern_share")


def forwards(apps, schema_editor):
    ChainPosition = apps.get_model("supplychain", "ChainPosition")
    WorkforceStatement = apps.get_model("risk", "WorkforceStatement")
    held = (
        ChainPosition.objects.exclude(
            facility__workers__isnull=True,
            facility__migrant_share__isnull=True,
            facility__dispatched_share__isnull=True,
            facility__intern_share__isnull=True,
        )
        .values_list("organisation_id", "facility_id", "facility__updated_at", *[f"facility__{f}" for f in FIELDS])
        .order_by("pk")
        .iterator(chunk_size=5000)
    )
    batch = []
    for organisation_id, facility_id, updated_at, *figures in held:
        batch.append(
            WorkforceStatement(
                organisation_id=organisation_id,
                facility_id=facility_id,
                source="registry",
                stated_at=updated_at,
                **dict(zip(FIELDS, figures, strict=True)),
            )
        )
        if len(batch) >= 5000:
            WorkforceStatement.objects.bulk_create(batch)
            batch = []
    WorkforceStatement.objects.bulk_create(batch)


def backwards(apps, schema_editor):
    apps.get_model("risk", "WorkforceStatement").objects.filter(source="registry").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("risk", "0003_workforce_statement"),
        ("supplychain", "0003_facility_intern_share"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
