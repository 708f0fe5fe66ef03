"""The supply-chain map: one shared registry of facilities, and each buyer's private links.

Facilities are shared by every organisation, like Open Supply Hub; who buys from whom, volumes
and leverage are a buyer's own knowledge and stay private to it (DESIGN.md, rule 2).
"""

from decimal import Decimal
from typing import Self, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.languages import name_pair

from .codes import province_warning

SHARE = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]
# Who works at a facility: figures that feed risk scores. In the shared record they are the
# figures it was first recorded with; each buyer's scores read its own statements instead.
WORKFORCE_FIELDS = ("workers", "migrant_share", "dispatched_share", "intern_share")


class Activity(models.TextChoices):
    QUARRYING = "quarrying", _("Quarrying")
    BLOCK_TRADING = "block_trading", _("Block trading")
    SAWING = "sawing", _("Sawing")
    POLISHING = "polishing", _("Polishing")
    FLAMING = "flaming", _("Flaming")
    BUSH_HAMMERING = "bush_hammering", _("Bush-hammering")
    SPLITTING = "splitting", _("Splitting")
    CARVING = "carving", _("Carving")
    PACKING = "packing", _("Packing")


class Stone(models.TextChoices):
    GRANITE = "granite", _("Granite")
    MARBLE = "marble", _("Marble")
    BASALT = "basalt", _("Basalt")
    BLUESTONE = "bluestone", _("Bluestone / limestone")
    SANDSTONE = "sandstone", _("Sandstone")
    SLATE = "slate", _("Slate")
    OTHER = "other", _("Other stone")


class FacilityKind(models.TextChoices):
    EXPORTER = "exporter", _("Exporter")
    TRADER = "trader", _("Trader")
    PROCESSOR = "processor", _("Processor")
    WORKSHOP = "workshop", _("Workshop / sub-contractor")
    QUARRY = "quarry", _("Quarry")
    BLOCK_IMPORTER = "block_importer", _("Block importer")


class LinkKind(models.TextChoices):
    SUPPLIES_BLOCKS = "supplies_blocks", _("Supplies blocks")
    SUBCONTRACTS = "subcontracts", _("Sub-contracted processing")
    TRADES = "trades", _("Trades")


def pack_codes(codes: list[str] | tuple[str, ...]) -> str:
    """Several codes in one column, wrapped in commas so `,sawing,` finds exactly one."""
    return "," + ",".join(sorted(set(codes))) + "," if codes else ""


def unpack_codes(packed: str) -> list[str]:
    return [code for code in packed.split(",") if code]


# Generic in its rows, so facilities with a buyer's annotations keep them through these filters.
Row = TypeVar("Row", bound="Facility")


class FacilityQuerySet(models.QuerySet[Row]):
    def with_activity(self, activity: str) -> Self:
        return self.filter(activities__contains=f",{activity},")

    def with_stone(self, stone: str) -> Self:
        return self.filter(stone_types__contains=f",{stone},")


class Facility(models.Model):
    Kind = FacilityKind

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_zh = models.CharField(_("name in Chinese"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English or pinyin"), max_length=200, blank=True)
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    country = models.CharField(_("country"), max_length=2, default="CN", help_text=_("ISO code"))
    province = models.CharField(_("province"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    district = models.CharField(_("district or county"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, null=True, blank=True, unique=True
    )
    activities = models.CharField(_("activities"), max_length=200, blank=True)
    stone_types = models.CharField(_("stone types"), max_length=200, blank=True)
    workers = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    migrant_share = models.DecimalField(
        _("share of migrant workers"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=SHARE,
    )
    dispatched_share = models.DecimalField(
        _("share of dispatched workers"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=SHARE,
    )
    intern_share = models.DecimalField(
        _("share of student interns"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=SHARE,
    )
    os_hub_id = models.CharField(_("Open Supply Hub ID"), max_length=20, blank=True)
    # Names, aliases and their pinyin in one lower-case text, for search (names.search_keys).
    search_text = models.TextField(editable=False, default="")
    # What an import needs of the names, worked out when they are saved (firms.keep).
    name_parts = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        indexes = [
            models.Index(fields=["kind"]),
            models.Index(fields=["province", "city"]),
            # The registry's default order, so a page deep in 100,000 rows needs no sort.
            models.Index(fields=["name_en", "name_zh", "id"], name="facility_name_order"),
        ]

    def __str__(self) -> str:
        return name_pair(self.name_en, self.name_zh) or f"#{self.pk}"

    def activity_list(self) -> list[str]:
        return unpack_codes(self.activities)

    def stone_list(self) -> list[str]:
        return unpack_codes(self.stone_types)

    def activity_labels(self) -> list[str]:
        return [
            str(Activity(code).label) for code in self.activity_list() if code in Activity.values
        ]

    def stone_labels(self) -> list[str]:
        return [str(Stone(code).label) for code in self.stone_list() if code in Stone.values]

    def place(self) -> str:
        return " ".join(part for part in (self.province, self.city, self.district) if part)

    def warnings(self) -> list[str]:
        """What may be wrong but is kept: a credit code issued in another province."""
        warning = province_warning(self.credit_code, self.province, self.country)
        return [warning] if warning else []


class Link(models.Model):
    """Goods flow from `supplier` to `customer`, as one buyer knows it.

    A link without a supplier is a gap the buyer knows of: blocks of unknown quarry (perhaps with
    their country of origin), or a sub-contracting step the customer did not disclose.
    """

    Kind = LinkKind

    owner_path = "organisation"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="supply_links"
    )
    kind = models.CharField(_("kind of link"), max_length=20, choices=Kind.choices)
    supplier = models.ForeignKey(
        Facility,
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="links_out",
    )
    customer = models.ForeignKey(
        Facility, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="links_in"
    )
    product = models.CharField(_("product"), max_length=100, blank=True)
    stone_type = models.CharField(_("stone type"), max_length=20, choices=Stone.choices, blank=True)
    share = models.DecimalField(
        _("share of the customer's input"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=SHARE,
        help_text=_("0 to 1; left empty, the customer's inputs count equally."),
    )
    volume = models.DecimalField(
        _("annual volume (m³)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    origin_country = models.CharField(
        _("country of origin"),
        max_length=2,
        blank=True,
        help_text=_("For blocks of unknown quarry: the country they come from, if known."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "supplier", "customer", "kind"],
                name="one_link_per_pair",
                condition=models.Q(supplier__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["organisation", "customer", "kind", "origin_country"],
                name="one_gap_per_origin",
                condition=models.Q(supplier__isnull=True),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "customer"])]

    def __str__(self) -> str:
        supplier = self.supplier or _("unknown")
        return f"{supplier} → {self.customer}"

    @property
    def is_gap(self) -> bool:
        return self.supplier_id is None


class Sourcing(models.Model):
    """A buyer's direct purchases from a tier-1 supplier."""

    owner_path = "organisation"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="sourcing"
    )
    facility = models.ForeignKey(
        Facility, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="sourcing"
    )
    annual_volume = models.DecimalField(
        _("annual volume (m³)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    annual_value = models.DecimalField(
        _("annual value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    # The buyer's share of the supplier's output: its leverage, which decides the response.
    share_of_output = models.DecimalField(
        _("share of the supplier's output"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=SHARE,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "facility"], name="one_sourcing_per_supplier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ← {self.facility}"


class ChainPosition(models.Model):
    """Derived: where a facility sits in one buyer's chain. Rebuilt by `services.chain_rebuild`."""

    owner_path = "organisation"
    rebuilt_from_chain = True  # not data of its own: undoing an import may delete it

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="chain_positions"
    )
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="positions")
    tier = models.PositiveSmallIntegerField(_("tier"))
    # Share of this facility's input traced to a known quarry (1 for a quarry itself).
    traced_share = models.DecimalField(max_digits=4, decimal_places=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "facility"], name="one_position_per_chain"
            )
        ]
        indexes = [models.Index(fields=["organisation", "tier"])]

    def __str__(self) -> str:
        return f"{self.facility} · tier {self.tier}"


class ChainSummary(models.Model):
    """Derived and kept: a buyer's direct purchases, how much of them is traced to a known quarry
    and how many facilities each tier holds, written by `summary.refresh` with the chain and with
    every change of a purchase, so a dashboard reads one row instead of a 100,000-facility chain."""

    owner_path = "organisation"
    rebuilt_from_chain = True  # not data of its own: undoing an import may delete it

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    volume = models.DecimalField(max_digits=20, decimal_places=2)
    traced_volume = models.DecimalField(max_digits=23, decimal_places=5)
    suppliers = models.PositiveIntegerField()
    traced_suppliers = models.PositiveIntegerField()
    # {"1": facilities in tier 1, "2": ...}
    tiers = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.suppliers} direct suppliers"


class FacilityRef(models.Model):
    """A buyer's own code for a facility (its supplier number), so its lists map to the registry
    the same way every time they are imported."""

    owner_path = "organisation"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="facility_refs"
    )
    ref = models.CharField(_("your reference"), max_length=100)
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="refs")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "ref"], name="one_facility_per_ref")
        ]

    def __str__(self) -> str:
        return f"{self.ref} → {self.facility}"


class MatchDecision(models.Model):
    """A person's answer to "is this row that facility?", remembered so the next upload of the
    same list does not ask again. No facility means: it is a new one."""

    owner_path = "organisation"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="match_decisions"
    )
    row_key = models.CharField(max_length=300)
    candidate = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="+")
    same = models.BooleanField()
    decided_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "row_key", "candidate"], name="one_decision_per_candidate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.row_key} {'=' if self.same else '≠'} {self.candidate}"


class ImportJob(models.Model):
    owner_path = "organisation"

    class Kind(models.TextChoices):
        FACILITIES = "facilities", _("Facilities")
        LINKS = "links", _("Links")
        SOURCING = "sourcing", _("Sourcing")

    class Format(models.TextChoices):
        STONEBRIDGE = "stonebridge", _("StoneBridge template")
        OSHUB = "oshub", _("Open Supply Hub list")

    class Status(models.TextChoices):
        FAILED = "failed", _("Has errors: nothing was imported")
        NEEDS_REVIEW = "needs_review", _("Waiting for you to confirm matches")
        QUEUED = "queued", _("Waiting to run")
        CHECKING = "checking", _("Checking the file")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        UNDONE = "undone", _("Undone")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="imports"
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    filename = models.CharField(_("file"), max_length=200)
    # The upload itself, so a reviewed import runs on exactly what was checked; deleted once the
    # import has finished or failed (settings.IMPORT_UPLOAD_KEEP_HOURS).
    data = models.BinaryField(null=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # [{"row": 7, "column": "credit_code", "message": "..."}]
    errors = models.JSONField(default=list)
    # Uncertain matches: [{"row": 3, "row_key": "...", "name": "...", "candidates": [...]}]
    review = models.JSONField(default=list)
    # What the person should know though nothing is wrong, such as columns left out: [text]
    notices = models.JSONField(default=list)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def progress(self) -> int:
        """Percent done, for the progress bar."""
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class ImportOutcome(models.Model):
    """What one row of an import did, so the result page can say so and the import be undone."""

    owner_path = "job__organisation"

    class Action(models.TextChoices):
        CREATED = "created", _("New facility")
        MATCHED = "matched", _("Already known, unchanged")
        LINKED = "linked", _("Added to your chain")
        CHANGED = "changed", _("Changed")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="outcomes")
    row = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    facility = models.ForeignKey(
        Facility, null=True, on_delete=models.SET_NULL, related_name="import_outcomes"
    )
    link = models.ForeignKey(
        Link, null=True, on_delete=models.SET_NULL, related_name="import_outcomes"
    )
    sourcing = models.ForeignKey(
        Sourcing, null=True, on_delete=models.SET_NULL, related_name="import_outcomes"
    )
    # For a change: the fields as they were and as the import wrote them, {"workers": 85}.
    before = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    after = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    # The buyer's reference this row added for the facility, if any.
    ref = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["row", "pk"]

    def __str__(self) -> str:
        return f"{self.job_id} row {self.row}: {self.action}"


class UpstreamDisclosure(models.Model):
    """A supplier's own upstream as it discloses it: goods or work flow from `supplier` (a
    sub-contractor, workshop or quarry) to `customer`, on the way to `site`, one of the
    disclosing organisation's own sites. It is the supplier's statement, shared with the buyers
    it works with there; a buyer's chain holds it only once the buyer accepts it."""

    Kind = LinkKind

    owner_path = "organisation"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="upstream_disclosures"
    )
    site = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of link"), max_length=20, choices=Kind.choices)
    supplier = models.ForeignKey(
        Facility, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    customer = models.ForeignKey(
        Facility, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    product = models.CharField(_("product"), max_length=100, blank=True)
    stone_type = models.CharField(_("stone type"), max_length=20, choices=Stone.choices, blank=True)
    share = models.DecimalField(
        _("share of the customer's input"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=SHARE,
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "supplier", "customer", "kind"],
                name="one_disclosure_per_pair",
            )
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.supplier} → {self.customer}"


class UpstreamShare(models.Model):
    """A disclosure as one buyer receives it; `link` is the buyer's own link once accepted."""

    # The buyer's: the supplier keeps its disclosure, each buyer decides on its own share.
    owner_path = "buyer"

    disclosure = models.ForeignKey(
        UpstreamDisclosure, on_delete=models.CASCADE, related_name="shares"
    )
    buyer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="upstream_received"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    link = models.ForeignKey(
        Link, null=True, blank=True, on_delete=models.SET_NULL, related_name="disclosures"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "buyer"], name="one_share_per_buyer")
        ]

    def __str__(self) -> str:
        return f"{self.disclosure} · {self.buyer_id}"
