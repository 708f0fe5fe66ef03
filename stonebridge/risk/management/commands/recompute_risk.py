from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stonebridge.accounts.models import Organisation
from stonebridge.risk import services


class Command(BaseCommand):
    help = "Recompute stored risk scores for every buyer, or for one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", metavar="SLUG", help="only this organisation")

    def handle(self, *args: Any, organisation: str | None = None, **options: Any) -> None:
        org = None
        if organisation:
            org = Organisation.objects.filter(slug=organisation).first()
            if org is None:
                raise CommandError(f"No organisation with the slug {organisation!r}.")
        count = services.recompute_all(organisation=org)
        self.stdout.write(f"Recomputed {count} scores.")
