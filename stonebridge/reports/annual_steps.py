"""The figures of each OECD step for the annual report, read from the other apps' data for one
organisation and period. Each gatherer answers one step (see `annual.py` for the steps, the
editions and the UNGP parts); with `names` false (the public plan of action) no supplier is named
and no free text that might name one is copied."""

from collections import Counter
from collections.abc import Callable
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation

from .annual import STEP_TITLES, UNGP_PARTS, Figure, Period, Section, Table

CENTS = Decimal("0.01")


def _bounds(period: Period) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(period.start, time.min, tzinfo=zone)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def _supplier_label(names: bool, facility: object, index: int) -> str:
    # The public plan names no supplier: a letter stands for each, in the order of the table.
    return str(facility) if names else _("Supplier %(letter)s") % {"letter": _letter(index)}


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _policy(organisation: Organisation, period: Period, names: bool) -> Section:
    from stonebridge.engagement.models import Code, Commitment, Relationship

    section = Section(1, str(STEP_TITLES[1]), list(UNGP_PARTS[1]))
    start, end = _bounds(period)
    codes = Code.objects.filter(organisation=organisation, created_at__lt=end)
    latest = codes.order_by("-version").first()
    relationships = Relationship.objects.filter(organisation=organisation, created_at__lt=end)
    commitments = Commitment.objects.filter(
        relationship__organisation=organisation, sent_at__lt=end
    )
    sent = commitments.filter(sent_at__gte=start).count()
    acknowledged = commitments.filter(acknowledged_at__isnull=False, acknowledged_at__lt=end)
    section.figures = [
        Figure(
            "code_version",
            _("Version of the code of conduct in force"),
            latest.version if latest else 0,
        ),
        Figure(
            "suppliers_engaged", _("Suppliers in an engagement relationship"), relationships.count()
        ),
        Figure("code_sent", _("Codes of conduct sent to suppliers in the period"), sent),
        Figure(
            "code_acknowledged",
            _("Suppliers that acknowledged the code"),
            acknowledged.values("relationship").distinct().count(),
        ),
    ]
    if latest is None and not relationships.exists():
        section.empty = _("No code of conduct was published and no supplier was engaged.")
    if names and commitments.exists():
        rows: list[list[str | int | float]] = []
        for c in commitments.select_related("relationship__facility", "code").order_by("sent_at"):
            rows.append(
                [
                    str(c.relationship.facility),
                    c.code.version,
                    date_format(timezone.localdate(c.sent_at)),
                    date_format(timezone.localdate(c.acknowledged_at))
                    if c.acknowledged_at
                    else "—",
                ]
            )
        section.tables.append(
            Table(
                _("Code of conduct sent and acknowledged"),
                [_("Supplier"), _("Version"), _("Sent"), _("Acknowledged")],
                rows,
            )
        )
    return section


def _risks(organisation: Organisation, period: Period, names: bool) -> Section:
    from stonebridge.risk.models import Issue, Score

    section = Section(2, str(STEP_TITLES[2]), list(UNGP_PARTS[2]))
    scores = Score.objects.filter(organisation=organisation)
    by_issue = {
        row["issue"]: row
        for row in scores.values("issue").annotate(
            n=Count("id"), top=Max("priority"), severe=Count("id", filter=Q(irremediable=True))
        )
    }
    tiers = dict(
        scores.values_list("tier").annotate(n=Count("facility", distinct=True)).order_by("tier")
    )
    section.figures = [
        Figure(
            "facilities_scored",
            _("Facilities in the chain with a risk score"),
            scores.values("facility").distinct().count(),
        ),
        Figure("risks_scored", _("Risks scored (facility and issue)"), scores.count()),
        Figure(
            "irremediable_risks",
            _("Risks whose harm could not be put right"),
            sum(r["severe"] for r in by_issue.values()),
        ),
    ]
    for tier, count in sorted(tiers.items()):
        section.figures.append(
            Figure(f"tier_{tier}", _("Facilities in tier %(tier)s") % {"tier": tier}, count)
        )
    if not by_issue:
        section.empty = _("No risk has been scored yet: the supply chain is not mapped.")
        return section
    issues = sorted(
        (i for i in Issue.objects.all() if i.pk in by_issue),
        key=lambda i: -by_issue[i.pk]["top"],
    )
    section.chart_title = _("Highest priority per salient issue (0–100)")
    section.chart = [(i.name, round(by_issue[i.pk]["top"], 1)) for i in issues]
    section.tables.append(
        Table(
            _("Salient issues, most severe first"),
            [
                _("Salient issue"),
                _("Risks scored"),
                _("Highest priority"),
                _("Could not be put right"),
            ],
            [
                [
                    i.name,
                    by_issue[i.pk]["n"],
                    round(by_issue[i.pk]["top"], 1),
                    by_issue[i.pk]["severe"],
                ]
                for i in issues
            ],
        )
    )
    top = scores.select_related("facility", "issue").order_by("-priority", "facility_id")[:10]
    section.tables.append(
        Table(
            _(
                "The ten highest priorities: severity (scale, scope, irremediability) × "
                "likelihood, UN Guiding Principles 14 and 24"
            ),
            [
                _("Supplier"),
                _("Tier"),
                _("Salient issue"),
                _("Severity"),
                _("Likelihood"),
                _("Priority"),
            ],
            [
                [
                    _supplier_label(names, s.facility, n),
                    s.tier,
                    s.issue.name,
                    round(s.severity, 1),
                    round(s.likelihood, 1),
                    round(s.priority, 1),
                ]
                for n, s in enumerate(top)
            ],
        )
    )
    return section


def _actions(organisation: Organisation, period: Period, names: bool) -> Section:
    from stonebridge.engagement.models import Action, Plan, Support

    section = Section(3, str(STEP_TITLES[3]), list(UNGP_PARTS[3]))
    start, _end = _bounds(period)
    plans = Plan.objects.filter(
        relationship__organisation=organisation, starts_on__lte=period.end
    ).exclude(state=Plan.State.CLOSED, created_at__lt=start)
    # The actions of the plans in force, whenever each was added to its plan.
    actions = Action.objects.filter(plan__in=plans).exclude(status="cancelled")
    as_of = min(period.end, timezone.localdate())
    support = Support.objects.filter(
        relationship__organisation=organisation,
        given_on__gte=period.start,
        given_on__lte=period.end,
    )
    kinds = Counter(actions.values_list("kind", flat=True))
    section.figures = [
        Figure("plans", _("Improvement plans in force"), plans.count()),
        Figure("actions", _("Actions in those plans"), actions.count()),
        Figure("actions_corrective", _("Corrective actions"), kinds.get("corrective", 0)),
        Figure("actions_preventive", _("Preventive actions"), kinds.get("preventive", 0)),
        Figure("actions_remediation", _("Remediation actions"), kinds.get("remediation", 0)),
        Figure(
            "actions_overdue",
            _("Actions overdue at the end of the period"),
            actions.filter(status__in=("open", "in_progress"), due_on__lt=as_of).count(),
        ),
        Figure("support_given", _("Support given to suppliers in the period"), support.count()),
    ]
    if not plans.exists() and not support.exists():
        section.empty = _("No improvement plan was in force and no support was given.")
        return section
    amounts = support.exclude(amount=None).values("currency").annotate(total=Sum("amount"))
    for row in amounts.order_by("currency"):
        section.figures.append(
            Figure(
                f"support_amount_{row['currency']}",
                _("Support paid, %(currency)s") % {"currency": row["currency"]},
                # Money as it is written: cents kept, none shown for a whole sum.
                (row["total"] or Decimal(0)).quantize(CENTS),
            )
        )
    by_kind = Counter(str(s.get_kind_display()) for s in support)
    section.chart_title = _("Support given, by kind")
    section.chart = sorted(((k, float(v)) for k, v in by_kind.items()), key=lambda kv: -kv[1])
    rows: list[list[str | int | float]] = []
    per_plan = plans.select_related("facility", "relationship__facility").annotate(
        n=Count("actions"),
        done=Count("actions", filter=Q(actions__status="verified")),
    )
    for n, plan in enumerate(per_plan.order_by("starts_on", "pk")):
        facility = plan.facility or plan.relationship.facility
        rows.append(
            [
                _supplier_label(names, facility, n),
                str(plan),
                date_format(plan.starts_on),
                getattr(plan, "n", 0),
                getattr(plan, "done", 0),
            ]
        )
    headers = [
        _("Supplier"),
        _("Plan"),
        _("Started"),
        _("Actions in the plan"),
        _("Verified as done"),
    ]
    if not names:
        # A plan's title is free text that may name the supplier: the public plan leaves it out.
        headers.pop(1)
        rows = [row[:1] + row[2:] for row in rows]
    section.tables.append(Table(_("Improvement plans"), headers, rows))
    return section


def _tracking(organisation: Organisation, period: Period, names: bool) -> Section:
    from stonebridge.engagement.models import Action, Measure, Reading

    section = Section(4, str(STEP_TITLES[4]), list(UNGP_PARTS[4]))
    start, end = _bounds(period)
    measures = Measure.objects.filter(
        action__plan__relationship__organisation=organisation, kind=Measure.Kind.OUTCOME
    ).select_related("action__plan__relationship__facility")
    counted = Q(by_supplier=False) | Q(confirmed_at__isnull=False)
    readings = Reading.objects.filter(
        counted, measure__in=measures, measured_on__gte=period.start, measured_on__lte=period.end
    )
    verified = Action.objects.filter(
        plan__relationship__organisation=organisation, verified_at__gte=start, verified_at__lt=end
    )
    latest: dict[int, Reading] = {}
    for reading in readings.order_by("measured_on", "pk"):
        latest[reading.measure_id] = reading
    improved = 0
    rows: list[list[str | int | float]] = []
    for n, measure in enumerate(m for m in measures.order_by("pk") if m.pk in latest):
        reading = latest[measure.pk]
        better = measure.improved(reading.value)
        improved += better
        rows.append(
            [
                _supplier_label(names, measure.action.plan.relationship.facility, n),
                (str(measure) if names else "") or measure.get_indicator_display(),
                measure.unit,
                float(measure.baseline) if measure.baseline is not None else "—",
                float(reading.value),
                float(measure.target) if measure.target is not None else "—",
                _("yes") if better else _("no"),
            ]
        )
    section.figures = [
        Figure(
            "outcome_indicators", _("Outcome indicators (workers' conditions)"), measures.count()
        ),
        Figure("readings", _("Measurements in the period"), readings.count()),
        Figure("indicators_improved", _("Indicators better than before the plan"), improved),
        Figure("actions_verified", _("Actions verified as done in the period"), verified.count()),
    ]
    if not rows and not verified.exists():
        section.empty = _("No outcome was measured and no action was verified in the period.")
        return section
    section.chart_title = _("Outcome indicators: before and now")
    section.tables.append(
        Table(
            _("Outcome indicators, before and after"),
            [
                _("Supplier"),
                _("Outcome indicator"),
                _("Unit"),
                _("Before"),
                _("Latest"),
                _("Target"),
                _("Improved"),
            ],
            rows,
        )
    )
    section.chart = [
        (_("Improved"), float(improved)),
        (_("Not yet improved"), float(len(rows) - improved)),
    ]
    return section


def _communication(organisation: Organisation, period: Period, names: bool) -> Section:
    from stonebridge.engagement.models import Request, Update

    section = Section(5, str(STEP_TITLES[5]), list(UNGP_PARTS[5]))
    start, end = _bounds(period)
    requests = Request.objects.filter(
        relationship__organisation=organisation, created_at__gte=start, created_at__lt=end
    )
    updates = Update.objects.filter(
        action__plan__relationship__organisation=organisation,
        created_at__gte=start,
        created_at__lt=end,
    )
    section.figures = [
        Figure(
            "requests",
            _("Requests to suppliers for information, records or visits"),
            requests.count(),
        ),
        Figure(
            "requests_answered",
            _("Requests answered"),
            requests.filter(state=Request.State.ANSWERED).count(),
        ),
        Figure(
            "updates_buyer",
            _("Progress messages from you to suppliers"),
            updates.filter(by_supplier=False).count(),
        ),
        Figure(
            "updates_supplier",
            _("Progress reports from suppliers"),
            updates.filter(by_supplier=True).count(),
        ),
    ]
    if not requests.exists() and not updates.exists():
        section.empty = _("No exchange with suppliers was recorded in the period.")
    else:
        section.chart_title = _("Exchanges with suppliers")
        section.chart = [(f.label, float(f.value)) for f in section.figures if f.value]
    return section


def _remediation(organisation: Organisation, period: Period, names: bool) -> Section:
    from stonebridge.voice.models import Case, Remedy

    section = Section(6, str(STEP_TITLES[6]), list(UNGP_PARTS[6]))
    start, end = _bounds(period)
    cases = Case.objects.filter(
        routings__organisation=organisation, received_at__gte=start, received_at__lt=end
    ).distinct()
    remedies = Remedy.objects.filter(organisation=organisation, opened_at__lt=end).exclude(
        state__in=("done", "verified"), opened_at__lt=start, verified_on__lt=period.start
    )
    closed = cases.filter(closed_at__isnull=False, closed_at__lt=end).count()
    section.figures = [
        Figure("grievances", _("Grievances received in the period"), cases.count()),
        Figure("grievances_closed", _("Of those, closed"), closed),
        Figure(
            "grievances_satisfied",
            _("Closed with the worker satisfied"),
            cases.filter(worker_satisfied=True).count(),
        ),
        Figure("remedies", _("Remedies open or given in the period"), remedies.count()),
        Figure(
            "workers_covered",
            _("Workers covered by remedies"),
            remedies.aggregate(n=Sum("workers_covered"))["n"] or 0,
        ),
    ]
    if not cases.exists() and not remedies.exists():
        section.empty = _("No grievance was received and no remedy was needed in the period.")
        return section
    topics = Counter(str(c.get_topic_display()) for c in cases)
    section.chart_title = _("Grievances by topic")
    section.chart = sorted(((k, float(v)) for k, v in topics.items()), key=lambda kv: -kv[1])
    rows: list[list[str | int | float]] = []
    for n, remedy in enumerate(remedies.select_related("facility").order_by("opened_at", "pk")):
        rows.append(
            [
                _supplier_label(names, remedy.facility, n),
                str(remedy.get_kind_display()),
                remedy.workers_covered,
                str(remedy.get_state_display()),
            ]
        )
    if rows:
        section.tables.append(
            Table(
                _("Remedies"), [_("Supplier"), _("Remedy"), _("Workers covered"), _("State")], rows
            )
        )
    return section


GATHERERS: dict[int, Callable[[Organisation, Period, bool], Section]] = {
    1: _policy,
    2: _risks,
    3: _actions,
    4: _tracking,
    5: _communication,
    6: _remediation,
}
