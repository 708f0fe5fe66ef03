from django.core.management.base import BaseCommand

from stonebridge.engagement import reminders


class Command(BaseCommand):
    help = "Send due and overdue reminders and re-evaluate red flags. Run once a day."

    def handle(self, *args: object, **options: object) -> None:
        sent = reminders.remind()
        raised = reminders.refresh_flags()
        self.stdout.write(f"{sent} reminders sent, {raised} red flags raised")
