"""Re-encrypt every encrypted field of every model with the first key of FIELD_ENCRYPTION_KEY.

To change the key: put the new key first and keep the old one after it
(FIELD_ENCRYPTION_KEY=new,old), restart, run this command, then remove the old key. Each model
is re-written in one transaction, so a failure leaves it wholly on the old key (which still
reads it); a value no listed key reads stops the command with WrongKey and changes nothing in
that model.
"""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models, transaction

from stonebridge.encryption import EncryptedBinaryField, EncryptedTextField

BATCH = 500


def encrypted_fields() -> dict[type[models.Model], list[str]]:
    """Each model with encrypted fields, and their names, found by field class in every app."""
    found: dict[type[models.Model], list[str]] = {}
    for model in apps.get_models():
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField | EncryptedBinaryField)
        ]
        if names and not model._meta.proxy:
            found[model] = names
    return found


@transaction.atomic
def rotate_model(model: type[models.Model], names: list[str], batch: int = BATCH) -> int:
    """Rows re-written. Reading decrypts with any listed key; saving encrypts with the first."""
    rows = model._base_manager.order_by("pk").only("pk", *names)
    done = 0
    last: Any = None
    while True:
        page = rows if last is None else rows.filter(pk__gt=last)
        chunk = list(page[:batch])
        if not chunk:
            return done
        model._base_manager.bulk_update(chunk, names)
        done += len(chunk)
        last = chunk[-1].pk


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEY."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=BATCH, help="rows per update")

    def handle(self, *args: Any, batch: int, **options: Any) -> None:
        total = 0
        for model, names in encrypted_fields().items():
            count = rotate_model(model, names, batch)
            total += count
            self.stdout.write(f"{model._meta.label}: {count} rows ({', '.join(names)})")
        self.stdout.write(f"Re-encrypted {total} rows with the first key.")
