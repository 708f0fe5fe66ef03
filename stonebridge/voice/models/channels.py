"""A facility's grievance channel: the public page and poster workers use, who sponsors it, and
which organisation runs the factory's own grievance procedure there."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation
from stonebridge.supplychain.models import Facility


class Channel(models.Model):
    """One per facility, shared by every buyer that sponsors it, so workers see one poster and
    one page whoever pays for it. The token is the short link (/v/<token>/): it says nothing
    about the facility and cannot be guessed from its id."""

    facility = models.OneToOneField(
        Facility, on_delete=models.PROTECT, related_name="voice_channel", verbose_name=_("facility")
    )
    token = models.CharField(_("short link"), max_length=12, unique=True)
    # The supplier's organisation whose grievance committee may receive cases here; none until
    # a supplier that works the facility sets up its procedure.
    factory = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="factory_channels",
        verbose_name=_("factory's organisation"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("grievance channel")
        verbose_name_plural = _("grievance channels")

    def __str__(self) -> str:
        return str(self.facility)


class Sponsor(models.Model):
    """A buyer that sponsors a channel: it receives the cases workers route to buyers. The page
    names it only if it chose to be named."""

    owner_path = "organisation"

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="sponsors")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("buyer")
    )
    named = models.BooleanField(_("named on the page"), default=False)
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sponsor")
        constraints = [
            models.UniqueConstraint(fields=["channel", "organisation"], name="voice_sponsor_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.channel}"
