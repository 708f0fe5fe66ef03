"""Anonymous worker surveys: a buyer's short survey at one facility, and the answers workers give
on their phones.

A response keeps only the month it was given and the choices picked: no address, no browser
detail, no time of day, no cookie. Results are shown only as tables (`voice/disclosure.py`) in
which every published number rests on at least five answers.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation
from stonebridge.supplychain.models import Facility

# The section of the worker bank that holds the questions about the respondent (job, years
# worked) that two-way tables are split by.
GROUP_SECTION = "about_you"


class SurveyQuerySet(models.QuerySet["Survey"]):
    def closed(self) -> "SurveyQuerySet":
        return self.filter(closed_at__isnull=False)


class Survey(models.Model):
    """A survey a buyer runs at one facility. Its questions come from the worker bank, a
    questionnaire StoneBridge ships (`voice/data/worker-survey.json`); every survey asks the
    bank's questions as they were when it was made, so tables across surveys add up."""

    owner_path = "organisation"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("buyer")
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("facility")
    )
    token = models.CharField(_("short link"), max_length=12, unique=True)
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    questions = models.ManyToManyField(
        "assessments.Question", related_name="+", verbose_name=_("questions")
    )
    # Results are published only once the survey is closed: a count that moves while workers
    # answer would show what the last person chose.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("worker survey")
        verbose_name_plural = _("worker surveys")
        ordering = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def accepts_answers(self, today: date) -> bool:
        return self.closed_at is None and self.opens_on <= today <= self.closes_on


class SurveyResponse(models.Model):
    """One worker's answers: {question name: choice name}, and the month they were given."""

    owner_path = "survey__organisation"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    period = models.DateField(_("month"))
    answers = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.survey} · {self.period:%Y-%m}"
