from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stonebridge.accounts.models import Organisation
from stonebridge.voice.models import Channel
from stonebridge.voice.services.channels import intake_link, survey_links


class Command(BaseCommand):
    help = (
        "Print a facility's public grievance page and survey links (for posters printed "
        "elsewhere), for an organisation that sponsors its channel."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("facility_id", type=int)
        parser.add_argument("--organisation", required=True, help="the sponsor's slug")

    def handle(self, *args: object, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['organisation']}.")
        # The same answer for a facility that does not exist and one the organisation does not
        # sponsor a channel at: the command tells nothing about other organisations' channels.
        channel = Channel.objects.filter(
            facility_id=options["facility_id"], sponsors__organisation=organisation
        ).first()
        if channel is None:
            raise CommandError(
                f"{organisation.slug} sponsors no grievance channel at facility "
                f"{options['facility_id']}."
            )
        self.stdout.write(intake_link(channel))
        for link in survey_links(channel):
            self.stdout.write(link)
