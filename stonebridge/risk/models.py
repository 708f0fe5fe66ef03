"""Risk: the salient-issue taxonomy, the cited baseline, the evidence that moves a facility's
risk, and each buyer's stored scores.

The taxonomy and baseline are shared reference data, loaded from `data/` by a migration and
edited by staff. Evidence and scores are a buyer's own judgement and stay private to it
(DESIGN.md, rule 2). Other apps record evidence through `risk.services`.
"""

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stonebridge.display import readable

from . import scoring

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


def _in_language(english: str, chinese: str) -> str:
    return chinese if chinese and (get_language() or "").startswith("zh") else english


class Context(models.TextChoices):
    ANY = "", _("Any kind of work")
    QUARRYING = scoring.QUARRYING, _("Quarrying")
    SAWING = scoring.SAWING, _("Sawing")
    DRY_FINISHING = scoring.DRY_FINISHING, _("Dry finishing with silica dust")
    WORKSHOP = scoring.WORKSHOP, _("Small workshop")
    BLOCK_TRADING = scoring.BLOCK_TRADING, _("Block trading")
    UNKNOWN_ORIGIN = scoring.UNKNOWN_ORIGIN, _("Stone of unknown origin")


class Issue(models.Model):
    """A salient issue (DOMAIN.md). Scale and irremediability are StoneBridge defaults."""

    code = models.CharField(_("code"), max_length=20, primary_key=True)
    order = models.PositiveSmallIntegerField(default=0)
    name_en = models.CharField(_("name in English"), max_length=200)
    name_zh = models.CharField(_("name in Chinese"), max_length=200)
    description_en = models.TextField(_("description in English"), blank=True)
    description_zh = models.TextField(_("description in Chinese"), blank=True)
    scale = models.PositiveSmallIntegerField(
        _("scale"), validators=ONE_TO_FIVE, help_text=_("1-5, a StoneBridge default")
    )
    irremediability = models.PositiveSmallIntegerField(
        _("irremediability"), validators=ONE_TO_FIVE, help_text=_("1-5, a StoneBridge default")
    )

    class Meta:
        ordering = ["order"]
        verbose_name = _("salient issue")
        verbose_name_plural = _("salient issues")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_en, self.name_zh)

    @property
    def description(self) -> str:
        return _in_language(self.description_en, self.description_zh)


class Indicator(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=30, unique=True)
    name_en = models.CharField(_("name in English"), max_length=200)
    name_zh = models.CharField(_("name in Chinese"), max_length=200)
    scale = models.PositiveSmallIntegerField(
        _("scale"), validators=ONE_TO_FIVE, help_text=_("1-5, a StoneBridge default")
    )
    irremediability = models.PositiveSmallIntegerField(
        _("irremediability"), validators=ONE_TO_FIVE, help_text=_("1-5, a StoneBridge default")
    )
    ilo_forced_labour = models.BooleanField(_("ILO forced labour indicator"), default=False)
    # Kinds of work where this harm is presumed possible before any finding, comma-separated.
    contexts = models.CharField(_("presumed in"), max_length=200, blank=True)

    class Meta:
        ordering = ["issue__order", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_en, self.name_zh)


class Baseline(models.Model):
    """Inherent risk of an issue in a country, province or kind of work, with its source.

    The level is a StoneBridge default judged from the cited fact; the fact and its source are
    what a user can check.
    """

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="baseline")
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO code; empty for every country")
    )
    province = models.CharField(
        _("province"), max_length=50, blank=True, help_text=_("Empty for the whole country")
    )
    context = models.CharField(
        _("kind of work"), max_length=20, choices=Context.choices, blank=True
    )
    level = models.PositiveSmallIntegerField(
        _("level (StoneBridge default)"), validators=ONE_TO_FIVE
    )
    fact_en = models.TextField(_("fact in English"))
    fact_zh = models.TextField(_("fact in Chinese"))
    source = models.CharField(_("source"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year of the source"), null=True, blank=True)
    url = models.URLField(_("address of the source"), max_length=500)
    status = models.CharField(_("how far it was checked"), max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["issue__order", "country", "province", "context", "-level"]
        verbose_name = _("baseline risk")
        verbose_name_plural = _("baseline risks")

    def __str__(self) -> str:
        where = " / ".join(p for p in (self.country, self.province, self.context) if p)
        return f"{self.issue_id} · {where or '*'} · {self.level}"

    @property
    def fact(self) -> str:
        return _in_language(self.fact_en, self.fact_zh)


class EvidenceKind(models.TextChoices):
    FINDING = "finding", _("Assessment finding")
    GRIEVANCE = "grievance", _("Grievance")
    OUTCOME = "outcome", _("Measured outcome")
    REMEDIATION = "remediation", _("Corrective action verified as done")


class SourceType(models.TextChoices):
    AUDIT = "audit", _("Audit or site visit")
    SELF_ASSESSMENT = "self_assessment", _("Supplier self-assessment")
    WORKER_INTERVIEW = "worker_interview", _("Worker interviews or survey")
    GRIEVANCE = "grievance", _("Grievance channel")
    DOCUMENT = "document", _("Records or documents")
    MEDIA = "media", _("Media or NGO report")
    OTHER = "other", _("Other")


class Confidence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class EvidenceQuerySet(models.QuerySet["Evidence"]):
    def counting(self) -> "EvidenceQuerySet":
        """Evidence that still counts: a retracted entry stays on record but scores nothing."""
        return self.filter(retracted_at__isnull=True)


class Evidence(models.Model):
    """A fact that moves one facility's risk for one buyer. Never deleted: a mistake is
    retracted with a reason, and verified remediation lowers the score without erasing it."""

    Kind = EvidenceKind

    owner_path = "organisation"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="risk_evidence"
    )
    facility = models.ForeignKey(
        "supplychain.Facility", on_delete=models.PROTECT, related_name="risk_evidence"
    )
    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    observed_on = models.DateField(_("date observed"))
    source_type = models.CharField(_("source"), max_length=20, choices=SourceType.choices)
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    people_affected = models.PositiveIntegerField(_("people affected"), null=True, blank=True)
    improved = models.BooleanField(_("improved"), null=True, blank=True)
    # A supplier's own disclosure: it never counts against the supplier (no zero tolerance).
    disclosed_by_supplier = models.BooleanField(_("disclosed by the supplier"), default=False)
    summary = models.TextField(_("what was found"))
    # Where it came from in another app ("assessments.finding:12"), so that app can find it.
    origin = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    retracted_at = models.DateTimeField(null=True, blank=True)
    retraction_reason = models.TextField(blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-observed_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "facility"])]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.issue} · {readable(self.observed_on)}"


class ScoreQuerySet(models.QuerySet["Score"]):
    def for_register(self) -> "ScoreQuerySet":
        # Exposure: the priority weighted by the share of the direct supplier's input.
        return self.select_related("facility", "via", "issue").annotate(
            exposure=models.F("priority") * models.F("path_share")
        )


class Score(models.Model):
    """Derived: one facility and issue in one buyer's chain, as last computed. Rebuilt by
    `services.recompute_*`; the explanation is computed again from the same inputs on demand.

    A large chain has close to a million rows, so the table carries only the indexes the
    register reads by, and no database constraints on its references: checking four of them
    for each row cost more than writing it. The rows are rebuilt from the data they point to,
    and deletions still cascade through Django."""

    owner_path = "organisation"
    rebuilt_from_chain = True  # not data of its own: undoing an import may delete it

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="risk_scores",
        db_index=False,
        db_constraint=False,
    )
    facility = models.ForeignKey(
        "supplychain.Facility",
        on_delete=models.CASCADE,
        related_name="risk_scores",
        db_index=False,
        db_constraint=False,
    )
    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    tier = models.PositiveSmallIntegerField()
    severity = models.FloatField()
    likelihood = models.FloatField()
    priority = models.FloatField()
    irremediable = models.BooleanField(default=False)
    # The direct supplier this facility reaches the buyer through, along the heaviest path, the
    # share of that supplier's input it carries, and the facilities on the way.
    via = models.ForeignKey(
        "supplychain.Facility",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    path_share = models.FloatField(default=1.0)
    path = models.TextField(blank=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "facility", "issue"], name="one_score_per_issue"
            )
        ]
        # The register's order and its commonest filter, each ending in the keyset the next link
        # carries (priority, facility, id), so a page is a short range scan at any depth. Each
        # index slows the full recompute's writing, so the other orders have none.
        indexes = [
            models.Index(
                fields=["organisation", "-priority", "facility", "id"], name="score_register"
            ),
            models.Index(
                fields=["organisation", "issue", "tier", "-priority", "facility", "id"],
                name="score_register_issue_tier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} · {self.issue_id} · {self.priority:.0f}"

    def path_ids(self) -> list[int]:
        return [int(p) for p in self.path.split(",") if p]


class ScoreState(models.Model):
    """Each buyer's scores change together: the version lets pages cache what they derive
    from them (the heatmap) across processes."""

    owner_path = "organisation"

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.organisation_id} v{self.version}"


class ScoreSummary(models.Model):
    """Derived and kept: how many of a buyer's scores fall in each issue, tier, place and
    priority (to one decimal). The heatmap and the register's counts read these few rows instead
    of counting a million scores; a full recompute writes them afresh and a facility's recompute
    moves its own rows between them."""

    owner_path = "organisation"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    tier = models.PositiveSmallIntegerField()
    province = models.CharField(max_length=50, blank=True)
    city = models.CharField(max_length=50, blank=True)
    level = models.FloatField()  # the priority, rounded to one decimal as the heatmap shows it
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "issue", "tier", "province", "city", "level"],
                name="one_summary_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} · {self.issue_id} · {self.tier} · {self.level}: {self.n}"


class RegisterExport(models.Model):
    """A download of a large register, written by the task worker while the person waits on a
    page that shows how far it has come."""

    owner_path = "organisation"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to run")
        RUNNING = "running", _("Writing the file")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    fmt = models.CharField(max_length=4)
    query = models.TextField(blank=True)  # the register's filters, as in its address
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    filename = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.fmt} ({self.get_status_display()})"

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class WorkforceSource(models.TextChoices):
    BUYER = "buyer", _("Recorded by you")
    SUPPLIER = "supplier", _("Disclosed by the supplier")
    REGISTRY = "registry", _("Registry, before the change")


class WorkforceStatementQuerySet(models.QuerySet["WorkforceStatement"]):
    def newest_first(self) -> "WorkforceStatementQuerySet":
        return self.order_by("-stated_at", "-pk")


class WorkforceStatement(models.Model):
    """Who works at a facility, as one buyer's risk scores read it.

    The registry is shared, but these figures move scores, so nobody states them for anyone
    else: each statement belongs to the buyer whose scores it feeds. It is the buyer's own, or a
    supplier's disclosure about its own site shared with a buyer it has accepted to work with.
    The buyer's newest statement counts; the supplier's disclosure is shown beside it."""

    Source = WorkforceSource

    owner_path = "organisation"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="workforce_statements"
    )
    facility = models.ForeignKey(
        "supplychain.Facility", on_delete=models.CASCADE, related_name="workforce_statements"
    )
    source = models.CharField(_("source"), max_length=20, choices=WorkforceSource.choices)
    # The supplier's organisation, for a disclosure.
    disclosed_by = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    workers = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    migrant_share = models.DecimalField(
        _("share of migrant workers"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    dispatched_share = models.DecimalField(
        _("share of dispatched workers"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    intern_share = models.DecimalField(
        _("share of student interns"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    stated_at = models.DateTimeField(_("stated on"), default=timezone.now)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where it came from in another app ("engagement.relationship:12").
    origin = models.CharField(max_length=100, blank=True)

    objects = WorkforceStatementQuerySet.as_manager()

    class Meta:
        ordering = ["-stated_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "facility", "stated_at"])]
        verbose_name = _("workforce statement")
        verbose_name_plural = _("workforce statements")

    def __str__(self) -> str:
        return f"{self.facility} · {self.get_source_display()} · {readable(self.stated_at)}"

    def figures(self) -> tuple[Any, ...]:
        return tuple(getattr(self, field) for field in WORKFORCE_FIELDS)


WORKFORCE_FIELDS = ("workers", "migrant_share", "dispatched_share", "intern_share")
