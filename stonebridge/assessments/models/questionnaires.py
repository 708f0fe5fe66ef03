"""Questionnaires: a buyer's, the covenant's or StoneBridge's own list of questions in English and
Chinese, in numbered versions, and the supplier's answers to one version.

A published version is frozen: answers always point to the questions as they were asked, and
editing a questionnaire makes a new draft version. A question (or one of its choices) names the
salient issue and indicator it informs; an adverse answer becomes risk evidence only when the
buyer accepts the submission, and a reassuring one is shown as stated by the supplier and lowers
nothing until it is verified (DOMAIN.md: outcomes, not procedures).

Answer once, share many: the supplier's organisation owns its submission and, with its consent,
shares it with other buyers it works with (`SubmissionShare`); each buyer sees how old the
answers are.
"""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation

USER = settings.AUTH_USER_MODEL
MAX_TEXT = 5000  # StoneBridge default: a long answer, not a document


def in_language(english: str, chinese: str) -> str:
    """The Chinese text for a Chinese reader when there is one, else the English."""
    return chinese if chinese and (get_language() or "").startswith("zh") else english


class Questionnaire(models.Model):
    """A questionnaire across its versions. No owner: shipped by StoneBridge, for everyone."""

    owner_path = "owner"

    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questionnaires",
    )
    slug = models.SlugField(_("short name"), max_length=80)
    title_en = models.CharField(_("title in English"), max_length=200)
    title_zh = models.CharField(_("title in Chinese"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["title_en"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "slug"], name="questionnaire_slug_per_owner"),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(owner__isnull=True),
                name="questionnaire_slug_shipped",
            ),
        ]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self.title_en, self.title_zh)

    @property
    def shipped(self) -> bool:
        return self.owner_id is None

    def latest_published(self) -> "Version | None":
        return self.versions.filter(published_at__isnull=False).order_by("-number").first()

    def draft(self) -> "Version | None":
        return self.versions.filter(published_at__isnull=True).order_by("-number").first()


class Version(models.Model):
    """One numbered version of a questionnaire. Frozen once published."""

    owner_path = "questionnaire__owner"

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    title_en = models.CharField(_("title in English"), max_length=200)
    title_zh = models.CharField(_("title in Chinese"), max_length=200, blank=True)
    # The XLSForm's settings, kept so an export carries the same form identity.
    form_id = models.CharField(max_length=100, blank=True)
    default_language = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="questionnaire_version_number"
            )
        ]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")

    def __str__(self) -> str:
        return f"{self.title} · v{self.number}"

    @property
    def title(self) -> str:
        return in_language(self.title_en, self.title_zh)

    @property
    def frozen(self) -> bool:
        return self.published_at is not None

    def ordered_questions(self) -> models.QuerySet["Question"]:
        return (
            Question.objects.filter(section__version=self)
            .select_related("section", "issue", "indicator")
            .prefetch_related("choices")
            .order_by("section__order", "order")
        )


class Section(models.Model):
    """A group of questions (an XLSForm group). The unnamed section holds questions outside any
    group."""

    owner_path = "version__questionnaire__owner"

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=100, blank=True)
    label_en = models.CharField(_("title in English"), max_length=300, blank=True)
    label_zh = models.CharField(_("title in Chinese"), max_length=300, blank=True)
    relevant = models.TextField(_("shown when"), blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.label or self.name

    @property
    def label(self) -> str:
        return in_language(self.label_en, self.label_zh)


class QuestionKind(models.TextChoices):
    SINGLE = "select_one", _("Single choice")
    MULTIPLE = "select_multiple", _("Multiple choice")
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Number")
    DATE = "date", _("Date")
    TEXT = "text", _("Text")
    FILE = "file", _("File")


class Question(models.Model):
    """One question. `relevant` is an XLSForm condition (`conditions.py`): the question is shown
    only when it holds. `adverse_when`, a condition in the same language, marks a number, date or
    text answer as adverse; a choice question's adverse answers are its adverse choices."""

    Kind = QuestionKind

    owner_path = "section__version__questionnaire__owner"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    # The choices sheet's list this question uses, kept so an export writes the same form.
    list_name = models.CharField(max_length=100, blank=True)
    label_en = models.TextField(_("question in English"))
    label_zh = models.TextField(_("question in Chinese"), blank=True)
    hint_en = models.TextField(_("hint in English"), blank=True)
    hint_zh = models.TextField(_("hint in Chinese"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    relevant = models.TextField(_("shown when"), blank=True)
    issue = models.ForeignKey(
        "risk.Issue",
        verbose_name=_("issue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    indicator = models.ForeignKey(
        "risk.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    adverse_when = models.TextField(_("adverse when"), blank=True)

    class Meta:
        ordering = ["section__order", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return in_language(self.label_en, self.label_zh)

    @property
    def hint(self) -> str:
        return in_language(self.hint_en, self.hint_zh)

    @property
    def has_choices(self) -> bool:
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)

    def cleaned_answer(self, raw: Any) -> Any:
        """An answer in its stored form, or ValidationError with the message for the field."""
        if raw in (None, "", []):
            return None
        if self.kind == QuestionKind.MULTIPLE:
            picked = raw if isinstance(raw, list | tuple) else str(raw).split()
            names = {c.name for c in self.choices.all()}
            if any(str(p) not in names for p in picked):
                raise ValidationError(_("Choose from the answers given."))
            return [c.name for c in self.choices.all() if c.name in {str(p) for p in picked}]
        if isinstance(raw, list | tuple):
            raise ValidationError(_("Give one answer."))
        text = str(raw).strip()
        if self.kind == QuestionKind.SINGLE:
            if text not in {c.name for c in self.choices.all()}:
                raise ValidationError(_("Choose from the answers given."))
            return text
        if self.kind in (QuestionKind.INTEGER, QuestionKind.DECIMAL):
            try:
                number = Decimal(text)
            except InvalidOperation as error:
                raise ValidationError(_("Enter a number.")) from error
            if not number.is_finite() or abs(number) >= Decimal("1e12"):
                raise ValidationError(_("Enter a number."))
            if self.kind == QuestionKind.INTEGER and number != number.to_integral_value():
                raise ValidationError(_("Enter a whole number."))
            return str(number.normalize() if self.kind == QuestionKind.DECIMAL else int(number))
        if self.kind == QuestionKind.DATE:
            try:
                return date.fromisoformat(text).isoformat()
            except ValueError as error:
                raise ValidationError(_("Enter a date such as 2026-05-01.")) from error
        if self.kind == QuestionKind.FILE:
            raise ValidationError(_("Attach the file instead."))
        if len(text) > MAX_TEXT:
            raise ValidationError(_("Write at most 5,000 characters."))
        return text


class Choice(models.Model):
    """One answer to pick. An adverse choice may name its own issue and indicator; otherwise it
    informs the question's."""

    owner_path = "question__section__version__questionnaire__owner"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=100)
    label_en = models.CharField(_("answer in English"), max_length=300)
    label_zh = models.CharField(_("answer in Chinese"), max_length=300, blank=True)
    issue = models.ForeignKey(
        "risk.Issue", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.ForeignKey(
        "risk.Indicator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adverse = models.BooleanField(_("adverse"), default=False)

    class Meta:
        ordering = ["question", "order"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.label_en, self.label_zh)


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    FOLLOW_UP = "follow_up", _("Follow-up requested")
    ACCEPTED = "accepted", _("Accepted")


class Submission(models.Model):
    """A supplier organisation's answers to one published version, for one or more of its
    facilities, first sent to one buyer (`buyer`). It belongs to the supplier."""

    Status = SubmissionStatus

    owner_path = "organisation"
    # Sent to the buyer that asked, and to each buyer the supplier consents to share it with,
    # once submitted: a draft is the supplier's alone.
    recipient_paths: ClassVar[dict[str, dict[str, object]]] = {
        "buyer": {"submitted_at__isnull": False},
        "shares__buyer": {"submitted_at__isnull": False, "shares__withdrawn_at__isnull": True},
    }

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("supplier"),
        on_delete=models.CASCADE,
        related_name="questionnaire_submissions",
    )
    buyer = models.ForeignKey(
        Organisation,
        verbose_name=_("buyer"),
        on_delete=models.CASCADE,
        related_name="received_submissions",
    )
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="submissions")
    facilities = models.ManyToManyField(
        "supplychain.Facility", verbose_name=_("facilities"), related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SubmissionStatus.choices, default="draft"
    )
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("questionnaire answers")
        verbose_name_plural = _("questionnaire answers")

    def __str__(self) -> str:
        return f"{self.version} · {self.organisation}"

    def age(self, now: Any = None) -> timedelta | None:
        """How long ago the answers were submitted; None for a draft."""
        if self.submitted_at is None:
            return None
        return (now or timezone.now()) - self.submitted_at

    @property
    def editable(self) -> bool:
        """The supplier changes its answers while drafting, and when a buyer asks a follow-up."""
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.FOLLOW_UP)


class Answer(models.Model):
    """One answer: a string for a single choice, date (ISO) or text, a list of choice names for
    a multiple choice, a number as a string; files in `AnswerFile`."""

    owner_path = "submission__organisation"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["question__section__order", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "question"], name="submission_one_answer_each"
            )
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.question.name}: {self.value}"


class AnswerFile(models.Model):
    """A file attached to an answer: kept in the database like engagement's attachments, checked
    by its bytes and size (`engagement.services.attachments.check_files`), served only through
    the access check."""

    owner_path = "answer__submission__organisation"

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["answer", "pk"]

    def __str__(self) -> str:
        return self.name


class FollowUp(models.Model):
    """A buyer's question about one answer, and the supplier's reply. It belongs to the buyer
    that asked: another buyer the submission is shared with does not read it."""

    owner_path = "organisation"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="questionnaire_follow_ups"
    )
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="follow_ups")
    question = models.TextField(_("your question"))
    asked_at = models.DateTimeField(default=timezone.now)
    asked_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["asked_at", "pk"]
        verbose_name = _("follow-up question")
        verbose_name_plural = _("follow-up questions")

    def __str__(self) -> str:
        return self.question[:60]

    @property
    def answered(self) -> bool:
        return self.replied_at is not None


class SubmissionShare(models.Model):
    """The supplier's consent to let another buyer it works with read a submission. The supplier
    owns the consent; the buyer reads the submission while it stands, and may accept it for its
    own risk register."""

    owner_path = "submission__organisation"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="shares")
    buyer = models.ForeignKey(
        Organisation,
        verbose_name=_("buyer"),
        on_delete=models.CASCADE,
        related_name="shared_submissions",
    )
    consented_at = models.DateTimeField(default=timezone.now)
    consented_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-consented_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "buyer"], name="submission_share_per_buyer"
            )
        ]
        verbose_name = _("shared questionnaire answers")
        verbose_name_plural = _("shared questionnaire answers")

    def __str__(self) -> str:
        return f"{self.submission} → {self.buyer}"
