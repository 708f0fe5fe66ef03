from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from stonebridge.risk.reference import load

    load(apps.get_model("risk", "Issue"), apps.get_model("risk", "Indicator"), apps.get_model("risk", "Baseline"))


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("risk", "Baseline").objects.all().delete()
    apps.get_model("risk", "Indicator").objects.all().delete()
    apps.get_model("risk", "Issue").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
