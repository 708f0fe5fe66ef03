from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stonebridge.accounts.models import Organisation
from stonebridge.supplychain import exporting


class Command(BaseCommand):
    help = (
        "Export an organisation's supply chain: its facilities (csv), a workbook of facilities, "
        "links and sourcing (xlsx), or an Open Supply Hub list (oshub)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument("--format", required=True, choices=("csv", "xlsx", "oshub"))
        parser.add_argument("-o", "--output", type=Path, help="the file to write (else stdout)")

    def handle(self, *args: object, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation has the slug {options['organisation']!r}.")
        output: Path | None = options["output"]
        if output is None and options["format"] == "xlsx":
            raise CommandError("A workbook cannot go to the terminal: give a file with -o.")
        content, _filename, _content_type = exporting.export_file(organisation, options["format"])
        if output is None:
            # The text keeps its byte order mark, which Excel needs to show Chinese.
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stderr.write(f"Wrote {output}.")
