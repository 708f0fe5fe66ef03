from django.db import migrations, models

from stonebridge.supplychain.firms import keep

BATCH = 2000


def fill(apps, schema_editor):
    """What an import needs of the names of every facility already in the registry."""
    Facility = apps.get_model("supplychain", "Facility")
    last = 0
    while batch := list(
        Facility.objects.filter(pk__gt=last).order_by("pk").only("name_zh", "name_en")[:BATCH]
    ):
        for facility in batch:
            facility.name_parts = keep(facility.name_zh, facility.name_en)
        Facility.objects.bulk_update(batch, ["name_parts"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("supplychain", "0009_chain_summary"),
    ]

    operations = [
        migrations.AddField(
            model_name="facility",
            name="name_parts",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
