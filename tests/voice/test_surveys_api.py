"""The survey API: the buyer's surveys and their protected tables, never a single response."""

from datetime import timedelta

import pytest
from django.utils import timezone

from stonebridge.accounts.services import api_token_create
from stonebridge.voice.services import surveys

from ..conftest import client_for
from .test_surveys import GOOD, fill


@pytest.fixture
def survey(buyer, owner, facility):
    today = timezone.localdate()
    made = surveys.survey_create(
        organisation=buyer,
        by=owner,
        facility=facility,
        title="首次调查",
        opens_on=today - timedelta(days=10),
        closes_on=today,
    )
    fill(made, 30)
    fill(made, 12, dust_mask="no")
    fill(made, 3, dust_mask="not_fitting")
    return surveys.survey_close(survey=made, by=owner)


def call(user, url, **params):
    token = api_token_create(user=user, name="t")[1]
    return client_for(None).get(url, params, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_list_shows_the_buyers_surveys(survey, owner, buyer):
    response = call(owner, f"/api/organisations/{buyer.slug}/surveys")
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["title"] == "首次调查"
    assert item["link_path"] == f"/v/s/{survey.token}/"


def test_the_detail_lists_questions_and_respondent_groups(survey, owner, buyer):
    response = call(owner, f"/api/organisations/{buyer.slug}/surveys/{survey.pk}")
    questions = {q["name"]: q for q in response.json()["questions"]}
    assert set(questions) == set(GOOD)
    assert questions["job_type"]["respondent_group"] is True
    assert "responses" not in response.json()


def test_results_give_hidden_counts_as_null(survey, owner, buyer):
    response = call(
        owner, f"/api/organisations/{buyer.slug}/survey-results", scope=f"survey:{survey.pk}"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["min_cell"] == 5
    mask = next(t for t in data["tables"] if t["question"] == "dust_mask")
    assert mask["total"] == 45
    assert {r["choice"]: r["count"] for r in mask["rows"]}["not_fitting"] is None
    counts = [r["count"] for t in data["tables"] for r in t["rows"]]
    assert all(c is None or c == 0 or c >= 5 for c in counts)


def test_an_unknown_filter_is_refused_with_the_field(survey, owner, buyer):
    response = call(owner, f"/api/organisations/{buyer.slug}/survey-results", scope="survey:0")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "scope"


def test_another_buyer_gets_not_found(survey, other_buyer, buyer):
    for path in ("surveys", f"surveys/{survey.pk}", "survey-results"):
        response = call(other_buyer, f"/api/organisations/{buyer.slug}/{path}")
        assert response.status_code == 404
