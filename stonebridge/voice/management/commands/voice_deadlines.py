"""Run daily: overdue grievances notify their handlers; the factory committee's missed ones are
escalated to the sponsoring buyers (`voice/services/deadlines.py`). Running it twice sends
nothing twice."""

from typing import Any

from django.core.management.base import BaseCommand

from stonebridge.voice.services.deadlines import deadlines_check


class Command(BaseCommand):
    help = "Notify overdue grievances and escalate the factory committee's missed ones."

    def handle(self, *args: Any, **options: Any) -> None:
        report = deadlines_check()
        self.stdout.write(f"overdue: {report.overdue}, escalated: {report.escalated}")
