"""The forms of the public worker pages: short, in plain words, each field's error beside it."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .media import PHOTO_MAX_BYTES, VOICE_MAX_BYTES
from .models import Channel, Route, Topic
from .services import intake
from .services.intake import needs_abroad_consent, routes_open
from .services.worker import REPLY_MAX_CHARS

DESCRIPTION_MAX_CHARS = 5000
YES, NO = "yes", "no"


def _file_bytes(upload: object, limit: int, field: str, message: str) -> tuple[bytes, str] | None:
    """The upload's bytes and declared type; its size checked before reading it."""
    if not upload:
        return None
    size = getattr(upload, "size", 0) or 0
    if size > limit:
        raise ValidationError({field: message})
    data = upload.read()  # type: ignore[attr-defined]
    return data, getattr(upload, "content_type", "") or ""


def route_label(channel: Channel, route: str) -> str:
    """Who reads the case, in the worker's words; a buyer is named only if it chose to be."""
    text = str(Route(route).label)
    if route == Route.BUYERS:
        named = channel.sponsors.filter(named=True).order_by("pk")
        names = [sponsor.organisation.name for sponsor in named.select_related("organisation")]
        if names:
            text += "（" + "、".join(names) + "）"
    return text


class IntakeForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("What is it about?"), choices=Topic.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("What happened?"),
        required=False,
        max_length=DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # Only the broad types: a list of exact types is reported to break the file picker of
    # WeChat's browser on Android. The server checks what actually arrives (media.py).
    voice = forms.FileField(
        label=_("Or send a voice message"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "audio/*", "capture": True}),
    )
    photo = forms.FileField(
        label=_("A photo (if you want)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*"}),
    )
    anonymous = forms.ChoiceField(
        label=_("Do you want to give your name?"),
        choices=[(YES, _("No, I stay anonymous")), (NO, _("Yes, you may contact me"))],
        widget=forms.RadioSelect,
        initial=YES,
    )
    contact_name = forms.CharField(label=_("Your name"), required=False, max_length=100)
    contact_phone = forms.CharField(
        label=_("Phone number or WeChat ID"), required=False, max_length=60
    )
    route = forms.ChoiceField(label=_("Who should read it?"), widget=forms.RadioSelect)
    share_with_factory = forms.BooleanField(
        label=_("The factory's committee may read it too"), required=False
    )
    consent_sensitive = forms.BooleanField(
        label=_("I agree that you keep this information to handle my case"), required=False
    )
    consent_abroad = forms.BooleanField(
        label=_("I agree that my message is sent to them outside China"), required=False
    )
    # A trap for programs that fill every box: people never see it.
    website = forms.CharField(label=_("Leave this box empty"), required=False)

    def __init__(self, *args: object, channel: Channel, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.channel = channel
        routes = routes_open(channel)
        self.fields["route"].choices = [(r, route_label(channel, r)) for r in routes]  # type: ignore[attr-defined]
        if len(routes) == 1:
            self.fields["route"].initial = routes[0]
        if channel.factory_id is None or routes == [Route.COMMITTEE]:
            del self.fields["share_with_factory"]
        # The routes that take the case out of China, for the agreement's box to show with.
        self.abroad_routes = " ".join(r for r in routes if needs_abroad_consent(r))
        self.abroad_everywhere = not settings.WORKER_DATA_IN_CHINA
        if not self.abroad_routes:
            del self.fields["consent_abroad"]
        elif self.abroad_everywhere:
            self.fields["consent_abroad"].label = _("I agree that my message is kept outside China")
        self.fields["contact_phone"].widget.input_type = "tel"

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise ValidationError(_("Leave this box empty."))
        return ""

    def clean(self) -> dict[str, object]:
        """The service's own rules too (a description or a voice, the consents, a phone when
        not anonymous), so the worker sees every missing answer at once."""
        data = super().clean() or {}
        try:
            intake.case_check(
                channel=self.channel,
                topic=str(data.get("topic") or ""),
                description=str(data.get("description") or ""),
                route=str(data.get("route") or ""),
                anonymous=data.get("anonymous", YES) == YES,
                contact_phone=str(data.get("contact_phone") or ""),
                consent_sensitive=bool(data.get("consent_sensitive")),
                consent_abroad=bool(data.get("consent_abroad")),
                voice=b"voice" if data.get("voice") else None,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, messages)
        return data

    def service_values(self) -> dict[str, object]:
        """What case_submit takes, the files read once their size is known to be fine."""
        data = self.cleaned_data
        voice = _file_bytes(
            data.get("voice"),
            VOICE_MAX_BYTES,
            "voice",
            str(_("The voice message is too long (at most 10 MB).")),
        )
        photo = _file_bytes(
            data.get("photo"),
            PHOTO_MAX_BYTES,
            "photo",
            str(_("The photo is too large (at most 10 MB).")),
        )
        return {
            "topic": data["topic"],
            "description": data["description"],
            "route": data["route"],
            "anonymous": data["anonymous"] == YES,
            "contact_name": data["contact_name"],
            "contact_phone": data["contact_phone"],
            "share_with_factory": data.get("share_with_factory", False),
            "consent_sensitive": data["consent_sensitive"],
            "consent_abroad": data.get("consent_abroad", False),
            "voice": voice[0] if voice else None,
            "voice_type": voice[1] if voice else "",
            "photo": photo[0] if photo else None,
        }


class ReceiptForm(forms.Form):
    """The receipt code the worker saved. Its fields come back hidden on every form of the case
    page, so nothing on the phone or the server remembers who opened which case."""

    number = forms.CharField(label=_("Case number (6 digits)"), max_length=20)
    secret = forms.CharField(label=_("Receipt code (12 digits)"), max_length=40)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("number", "secret"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), max_length=REPLY_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 4})
    )


class FeedbackForm(forms.Form):
    satisfied = forms.ChoiceField(
        label=_("Are you satisfied with the outcome?"),
        choices=[(YES, _("Yes")), (NO, _("No"))],
        widget=forms.RadioSelect,
    )
    view = forms.CharField(
        label=_("What do you think? (if you want)"),
        required=False,
        max_length=REPLY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
