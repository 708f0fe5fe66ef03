"""A trigram index for facility search on PostgreSQL; SQLite scans the search column."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS supplychain_facility_search_trgm "
            "ON supplychain_facility USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS supplychain_facility_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("supplychain", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
