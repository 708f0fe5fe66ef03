"""Write an annual due-diligence report file from the command line."""

from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stonebridge.accounts.models import Organisation
from stonebridge.reports import annual, services


class Command(BaseCommand):
    help = "Write the annual due-diligence report of one organisation as PDF or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="the organisation's short name")
        parser.add_argument("--from", dest="start", type=date.fromisoformat, required=True)
        parser.add_argument("--to", dest="end", type=date.fromisoformat, required=True)
        parser.add_argument("--edition", choices=["confidential", "public"], default="confidential")
        parser.add_argument("--language", choices=list(services.LANGUAGES), default="en")
        parser.add_argument("--format", dest="fmt", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("-o", "--output", required=True, type=Path)

    def handle(self, *args: object, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['organisation']!r}.")
        try:
            content, _name = services.render(
                organisation,
                annual.Period(options["start"], options["end"]),
                edition=options["edition"],
                language=options["language"],
                fmt=options["fmt"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        options["output"].write_bytes(content)
        self.stdout.write(f"Wrote {options['output']} ({len(content):,} bytes).")
