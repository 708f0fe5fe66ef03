from django.db import migrations, models

from stonebridge.supplychain.firms import stored_words

BATCH = 2000


def fill(apps, schema_editor):
    """The words of the names of every facility already in the registry."""
    Facility = apps.get_model("supplychain", "Facility")
    last = 0
    while batch := list(
        Facility.objects.filter(pk__gt=last).order_by("pk").only("name_zh", "name_en")[:BATCH]
    ):
        for facility in batch:
            facility.name_words = stored_words(facility.name_zh, facility.name_en)
        Facility.objects.bulk_update(batch, ["name_words"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("supplychain", "0009_chain_summary"),
    ]

    operations = [
        migrations.AddField(
            model_name="facility",
            name="name_words",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
