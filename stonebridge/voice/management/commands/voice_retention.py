"""Erase the personal data of grievances closed more than VOICE_RETENTION_DAYS ago.

Run it daily (cron or a systemd timer); it is idempotent, so a missed or repeated run does no
harm. What is erased and what is kept: stonebridge/voice/services/retention.py.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from stonebridge.voice.services.retention import retention_apply


class Command(BaseCommand):
    help = "Erase identity, contact details, words, photos and voice of long-closed grievances."

    def handle(self, *args: Any, **options: Any) -> None:
        erased = retention_apply()
        self.stdout.write(
            f"Erased the personal data of {erased} grievances closed more than "
            f"{settings.VOICE_RETENTION_DAYS} days ago."
        )
