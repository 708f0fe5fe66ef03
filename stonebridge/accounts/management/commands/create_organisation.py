from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse

from stonebridge.accounts import services
from stonebridge.accounts.models import Organisation, Role, User


class Command(BaseCommand):
    help = "Create an organisation and its first owner (an invitation link if the person is new)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--kind", required=True, choices=Organisation.Kind.values)
        parser.add_argument("--name", required=True)
        parser.add_argument("--name-zh", default="")
        parser.add_argument("--owner", required=True, help="e-mail address of the first owner")

    def handle(self, *args: object, **options: str) -> None:
        try:
            with transaction.atomic():
                organisation = services.organisation_create(
                    slug=options["slug"],
                    name=options["name"],
                    name_zh=options["name_zh"],
                    kind=options["kind"],
                )
                email = options["owner"].strip().lower()
                owner = User.objects.filter(email=email).first()
                if owner is not None:
                    services.membership_add(
                        organisation=organisation, user=owner, role=Role.OWNER, by=None
                    )
                    self.stdout.write(f"Created {organisation.slug}; {email} is its owner.")
                    return
                _invitation, token = services.invitation_create(
                    organisation=organisation, email=email, role=Role.OWNER, by=None
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        link = settings.SITE_URL + reverse("accounts:invitation", kwargs={"token": token})
        self.stdout.write(
            f"Created {organisation.slug}. The owner signs up with this link:\n{link}"
        )
