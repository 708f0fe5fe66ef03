from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from stonebridge.defaults.shipped import load

    load(apps.get_model("defaults", "Default"))


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("defaults", "Default").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("defaults", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
