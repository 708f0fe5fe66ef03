"""Anonymous worker surveys: the worker's page keeps nothing that points to the worker, holds off
floods, and the buyer reads only protected tables of its own closed surveys."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from stonebridge.engagement.services import measures, plans, relationships
from stonebridge.risk.models import Evidence
from stonebridge.voice.models import Survey, SurveyResponse
from stonebridge.voice.services import surveys

from ..conftest import client_for

ADDRESS = "203.0.113.77"
AGENT = "Mozilla/5.0 (Linux; Android 12) MicroMessenger/8.0.47"
GOOD = {
    "stay_two_years": "yes",
    "trust_management": "somewhat",
    "written_contract": "yes",
    "seven_days": "no",
    "dust_mask": "yes",
    "job_type": "cutting",
    "years_worked": "1_to_3",
}


@pytest.fixture
def survey(buyer, owner, facility) -> Survey:
    today = timezone.localdate()
    return surveys.survey_create(
        organisation=buyer,
        by=owner,
        facility=facility,
        title="2026年工人调查",
        opens_on=today - timedelta(days=3),
        closes_on=today + timedelta(days=20),
    )


def public(survey, page="survey_public"):
    return reverse(f"voice:{page}", kwargs={"survey_token": survey.token})


def answer(client, survey, **changes):
    return client.post(
        public(survey), {**GOOD, **changes}, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT
    )


def fill(survey, how_many, **changes):
    SurveyResponse.objects.bulk_create(
        SurveyResponse(survey=survey, period=survey.opens_on.replace(day=1), answers=GOOD | changes)
        for _ in range(how_many)
    )


def test_the_page_is_in_plain_chinese_small_and_without_scripts(client, survey):
    response = client.get(public(survey))
    body = response.content.decode()
    assert response.status_code == 200
    assert "两年以后，您还想在这里工作吗" in body
    assert "<script" not in body
    css = Path(settings.BASE_DIR, "stonebridge/voice/static/voice/public.css").stat().st_size
    assert len(response.content) + css <= 60 * 1024


def test_the_page_sets_no_cookie(client, survey):
    assert not client.get(public(survey)).cookies
    assert not answer(client, survey).cookies


def test_answers_are_kept_with_the_month_only_and_no_address_or_browser(client, survey):
    response = answer(client, survey)
    assert response.status_code == 302
    assert response["Location"] == public(survey, "survey_thanks")
    (kept,) = SurveyResponse.objects.all()
    assert kept.period == timezone.localdate().replace(day=1)
    assert kept.answers == GOOD
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {SurveyResponse._meta.db_table}")  # noqa: S608
        row = " ".join(str(value) for value in cursor.fetchone())
    assert ADDRESS not in row
    assert "MicroMessenger" not in row
    assert str(timezone.localdate().day).zfill(2) + " " not in row.replace("-01", "")


def test_thanks_page_is_in_chinese(client, survey):
    response = client.get(public(survey, "survey_thanks"))
    assert "谢谢" in response.content.decode()


def test_a_missing_answer_is_pointed_out_and_nothing_is_kept(client, survey):
    response = answer(client, survey, dust_mask="")
    assert response.status_code == 400
    assert "请选一个答案" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_filled_hidden_field_is_thanked_and_dropped(client, survey):
    response = answer(client, survey, website="http://spam.example")
    assert response.status_code == 302
    assert not SurveyResponse.objects.exists()


def test_more_than_ten_answers_an_hour_from_one_address_are_refused(client, survey):
    for _ in range(10):
        assert answer(client, survey).status_code == 302
    response = answer(client, survey)
    assert response.status_code == 429
    assert SurveyResponse.objects.count() == 10


def test_a_closed_survey_takes_no_answers(client, survey, owner):
    surveys.survey_close(survey=survey, by=owner)
    response = answer(client, survey)
    assert "这个问卷现在没有开放" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_an_unknown_link_is_not_found(client, db):
    assert client.get("/v/s/nothere1/").status_code == 404


# --- the buyer's pages -------------------------------------------------------------------------


def test_results_hide_small_numbers_and_mark_them(survey, owner, buyer):
    fill(survey, 30)
    fill(survey, 12, seven_days="sometimes")
    fill(survey, 2, seven_days="yes")
    surveys.survey_close(survey=survey, by=owner)
    url = reverse("voice:survey_results", kwargs={"org": buyer.slug})
    response = client_for(owner).get(url, {"scope": f"survey:{survey.pk}"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "fewer than 5 answers — hidden to protect workers" in body
    assert ">44<" in body  # everyone
    assert ">2<" not in body


def test_results_of_an_open_survey_are_not_shown(survey, owner, buyer):
    fill(survey, 30)
    response = client_for(owner).get(reverse("voice:survey_results", kwargs={"org": buyer.slug}))
    assert "No results yet" in response.content.decode()


def test_an_outsider_gets_not_found(survey, other_buyer, buyer):
    for name, kwargs in (
        ("survey_detail", {"survey_id": survey.pk}),
        ("survey_list", {}),
        ("survey_results", {}),
    ):
        url = reverse(f"voice:{name}", kwargs={"org": buyer.slug, **kwargs})
        assert client_for(other_buyer).get(url).status_code == 404
    other_org = other_buyer.memberships.get().organisation.slug
    url = reverse("voice:survey_detail", kwargs={"org": other_org, "survey_id": survey.pk})
    assert client_for(other_buyer).get(url).status_code == 404


def test_the_buyer_creates_a_survey_for_a_facility_it_works_with(owner, buyer, facility):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=facility
    )
    url = reverse("voice:survey_list", kwargs={"org": buyer.slug})
    response = client_for(owner).post(
        url,
        {
            "relationship": relationship.pk,
            "title": "首次调查",
            "opens_on": "2026-03-01",
            "closes_on": "2026-03-31",
        },
    )
    made = Survey.objects.get()
    assert response["Location"].endswith(f"/surveys/{made.pk}/")
    assert made.questions.count() == 7
    page = client_for(owner).get(response["Location"]).content.decode()
    assert f"/v/s/{made.token}/" in page


def test_the_list_has_an_empty_state(owner, buyer):
    response = client_for(owner).get(reverse("voice:survey_list", kwargs={"org": buyer.slug}))
    assert "No surveys yet." in response.content.decode()


def test_a_viewer_cannot_close_a_survey(survey, viewer, buyer):
    url = reverse("voice:survey_close", kwargs={"org": buyer.slug, "survey_id": survey.pk})
    assert client_for(viewer).post(url).status_code == 403
    survey.refresh_from_db()
    assert survey.closed_at is None


def test_closing_with_many_working_seven_days_records_worker_voice_evidence(survey, owner):
    fill(survey, 30)
    fill(survey, 15, seven_days="yes")
    surveys.survey_close(survey=survey, by=owner)
    evidence = Evidence.objects.get(issue="HOURS_WAGES")
    assert evidence.source_type == "worker_interview"
    assert "15" in evidence.summary


def test_closing_with_few_adverse_answers_records_nothing(survey, owner):
    fill(survey, 40)
    fill(survey, 3, seven_days="yes")
    surveys.survey_close(survey=survey, by=owner)
    assert not Evidence.objects.filter(issue="HOURS_WAGES").exists()


# --- before and after ---------------------------------------------------------------------------


@pytest.fixture
def stay_measure(buyer, owner, facility, supplier_org):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=facility, supplier=supplier_org
    )
    plan = plans.plan_create(relationship=relationship, by=owner, title="Family-friendly space")
    action = plans.action_create(
        plan=plan,
        by=owner,
        title="Open a child-friendly space",
        issue="VOICE",
        due_on=date.today() + timedelta(days=200),
    )
    return measures.measure_add(action=action, by=owner, kind="outcome", indicator="stay_share")


def closed_survey(buyer, owner, facility, opens_on, stay, leave):
    made = surveys.survey_create(
        organisation=buyer,
        by=owner,
        facility=facility,
        title=f"调查 {opens_on:%Y-%m}",
        opens_on=opens_on,
        closes_on=opens_on + timedelta(days=20),
    )
    fill(made, stay)
    fill(made, leave, stay_two_years="no")
    return surveys.survey_close(survey=made, by=owner)


def test_before_and_after_surveys_become_the_outcomes_baseline_and_measurement(
    buyer, owner, facility, stay_measure
):
    before = closed_survey(buyer, owner, facility, date(2025, 9, 1), stay=20, leave=30)
    after = closed_survey(buyer, owner, facility, date(2026, 3, 1), stay=35, leave=15)
    surveys.measure_from_surveys(
        measure=stay_measure,
        by=owner,
        before=before,
        after=after,
        question="stay_two_years",
        choice="yes",
    )
    stay_measure.refresh_from_db()
    assert stay_measure.baseline == Decimal("40.0")
    assert stay_measure.readings.get().value == Decimal("70.0")
    assert stay_measure.source == "survey"


def test_a_share_resting_on_fewer_than_five_answers_is_not_used(
    buyer, owner, facility, stay_measure
):
    before = closed_survey(buyer, owner, facility, date(2025, 9, 1), stay=3, leave=30)
    after = closed_survey(buyer, owner, facility, date(2026, 3, 1), stay=35, leave=15)
    with pytest.raises(Exception, match="fewer than 5"):
        surveys.measure_from_surveys(
            measure=stay_measure,
            by=owner,
            before=before,
            after=after,
            question="stay_two_years",
            choice="yes",
        )
    stay_measure.refresh_from_db()
    assert stay_measure.baseline is None


def test_the_after_surveys_page_records_before_and_after(buyer, owner, facility, stay_measure):
    before = closed_survey(buyer, owner, facility, date(2025, 9, 1), stay=20, leave=30)
    after = closed_survey(buyer, owner, facility, date(2026, 3, 1), stay=35, leave=15)
    url = reverse("voice:survey_detail", kwargs={"org": buyer.slug, "survey_id": after.pk})
    response = client_for(owner).post(
        url, {"measure": stay_measure.pk, "before": before.pk, "answer": "stay_two_years:yes"}
    )
    assert response.status_code == 302
    stay_measure.refresh_from_db()
    assert stay_measure.baseline == Decimal("40.0")


def test_a_question_the_surveys_did_not_ask_is_refused(buyer, owner, facility, stay_measure):
    before = closed_survey(buyer, owner, facility, date(2025, 9, 1), stay=20, leave=30)
    after = closed_survey(buyer, owner, facility, date(2026, 3, 1), stay=35, leave=15)
    with pytest.raises(Exception, match="both surveys asked"):
        surveys.measure_from_surveys(
            measure=stay_measure,
            by=owner,
            before=before,
            after=after,
            question="stay_two_years",
            choice="maybe",
        )
