"""Start version 2 of the audit chain (HMAC keyed from AUDIT_KEY), recording where version 1
ended: entries written so far stay version 1 and keep their plain SHA-256 hashes."""

from django.db import migrations, models


def record_old_head(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    Entry = apps.get_model("audit", "Entry")
    head = ChainHead.objects.filter(pk=1).first()
    if head is None:
        newest = Entry.objects.order_by("-id").first()
        if newest is None:
            return
        head = ChainHead(pk=1, last_hash=newest.hash, count=Entry.objects.count())
    head.v1_last_hash = head.last_hash
    head.v1_count = head.count
    head.save()


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="version",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name="entry",
            name="version",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.AddField(
            model_name="chainhead",
            name="v1_last_hash",
            field=models.CharField(
                default="0000000000000000000000000000000000000000000000000000000000000000",
                max_length=64,
            ),
        ),
        migrations.AddField(
            model_name="chainhead",
            name="v1_count",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.RunPython(record_old_head, migrations.RunPython.noop),
    ]
