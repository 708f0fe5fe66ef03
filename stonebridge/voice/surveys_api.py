"""Worker surveys over the API, for members of the buyer that runs them: the surveys, and their
results only as the protected tables of the results page. No route returns a single response."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from stonebridge.accounts.access import get_scoped_or_404, membership_for, scoped
from stonebridge.accounts.api import ERRORS, ApiRequest
from stonebridge.inputs import Id
from stonebridge.pages import Pages

from . import disclosure
from .models import GROUP_SECTION, Survey
from .services import surveys

router = Router(tags=["voice"])


class SurveyOut(Schema):
    id: int
    title: str
    facility_id: int
    facility_name: str
    link_path: str
    opens_on: date
    closes_on: date
    closed_at: datetime | None

    @staticmethod
    def resolve_facility_name(obj: Survey) -> str:
        return str(obj.facility)

    @staticmethod
    def resolve_link_path(obj: Survey) -> str:
        return f"/v/s/{obj.token}/"


class SurveyChoiceOut(Schema):
    name: str
    label_en: str
    label_zh: str


class SurveyQuestionOut(Schema):
    name: str
    label_en: str
    label_zh: str
    respondent_group: bool
    choices: list[SurveyChoiceOut]


class SurveyDetailOut(SurveyOut):
    questions: list[SurveyQuestionOut]

    @staticmethod
    def resolve_questions(obj: Survey) -> list[dict[str, Any]]:
        questions = obj.questions.select_related("section").prefetch_related("choices")
        return [
            {
                "name": q.name,
                "label_en": q.label_en,
                "label_zh": q.label_zh,
                "respondent_group": q.section.name == GROUP_SECTION,
                "choices": list(q.choices.all()),
            }
            for q in questions.order_by("section__order", "order")
        ]


class CountOut(Schema):
    """A published count; null when hidden (fewer than MIN_CELL answers, or hidden so that a
    small count cannot be worked out)."""

    choice: str
    count: int | None


class SplitRowOut(Schema):
    choice: str
    counts: list[int | None]
    total: int | None


class SplitOut(Schema):
    group: str
    columns: list[str]
    rows: list[SplitRowOut]
    column_totals: list[int | None]
    total: int | None


class TableOut(Schema):
    question: str
    rows: list[CountOut]
    total: int | None
    splits: list[SplitOut]


class ResultsOut(Schema):
    scope: str
    period: str
    min_cell: int
    scopes: list[str]
    periods: list[str]
    tables: list[TableOut]


class ResultsFilters(Schema):
    scope: str = disclosure.ALL
    period: str = disclosure.ALL


def _surveys(request: ApiRequest, org: str) -> QuerySet[Survey]:
    membership = membership_for(request.auth, org)
    return scoped(Survey.objects.select_related("facility"), membership)


@router.get("/organisations/{org}/surveys", response=list[SurveyOut])
@paginate(Pages)
def survey_list(request: ApiRequest, org: str) -> QuerySet[Survey]:
    return _surveys(request, org)


@router.get("/organisations/{org}/surveys/{survey_id}", response={200: SurveyDetailOut, **ERRORS})
def survey_detail(request: ApiRequest, org: str, survey_id: Id) -> Survey:
    membership = membership_for(request.auth, org)
    return get_scoped_or_404(Survey.objects.select_related("facility"), membership, pk=survey_id)


@router.get("/organisations/{org}/survey-results", response={200: ResultsOut, **ERRORS})
def survey_results(request: ApiRequest, org: str, filters: Query[ResultsFilters]) -> dict[str, Any]:
    """The owner's closed surveys as tables, filtered by scope (`all`, `facility:<id>`,
    `survey:<id>`) and period (`all` or a month, `2026-03`)."""
    membership = membership_for(request.auth, org)
    results = surveys.survey_results(organisation=membership.organisation)
    months = disclosure.scope_months(results.places)
    if filters.scope != disclosure.ALL and filters.scope not in months:
        raise ValidationError({"scope": _("Choose a facility or survey that has results.")})
    periods = months.get(filters.scope, ())
    if filters.period != disclosure.ALL and filters.period not in periods:
        raise ValidationError({"period": _("Choose a month this filter covers.")})
    node = (filters.scope, filters.period)
    tables = []
    for question in [*results.questions, *results.groups]:
        choices = [c.name for c in question.choices.all()]
        one = disclosure.one_way(results.published, node, question.name, choices)
        splits = []
        if question in results.questions:
            for group in results.groups:
                members = [m.name for m in group.choices.all()]
                two = disclosure.two_way(
                    results.published, node, question.name, choices, group.name, members
                )
                splits.append(
                    {
                        "group": group.name,
                        "columns": members,
                        "rows": [
                            {"choice": c, "counts": cells, "total": total}
                            for c, cells, total in two.rows
                        ],
                        "column_totals": two.column_totals,
                        "total": two.total,
                    }
                )
        tables.append(
            {
                "question": question.name,
                "rows": [{"choice": c, "count": v} for c, v in one.rows],
                "total": one.total,
                "splits": splits,
            }
        )
    return {
        "scope": filters.scope,
        "period": filters.period,
        "min_cell": disclosure.MIN_CELL,
        "scopes": [disclosure.ALL, *sorted(s for s in months if s != disclosure.ALL)],
        "periods": [disclosure.ALL, *periods],
        "tables": tables,
    }
