"""Load StoneBridge's own supplier self-assessment; run again after an upgrade."""

from typing import Any

from django.core.management.base import BaseCommand

from stonebridge.assessments.services.questionnaires import questionnaire_load_shipped


class Command(BaseCommand):
    help = "Load (or update) the supplier self-assessment StoneBridge ships. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        version = questionnaire_load_shipped()
        self.stdout.write(f"{version.questionnaire.title_en}: version {version.number} published.")
