"""Where a questionnaire waits for someone: the supplier sees it on the workspace it lands on,
the buyer on its home page once the answers are in."""

import pytest
from django.urls import reverse

from ..conftest import client_for
from .questionnaire_world import draft, questionnaire, relationship, submitted

__all__ = ["draft", "questionnaire", "relationship", "submitted"]

pytestmark = pytest.mark.django_db


def workspace(user, org) -> str:
    response = client_for(user).get(reverse("engagement:workspace_home", args=[org.slug]))
    return response.content.decode()


def home(user, org) -> str:
    return client_for(user).get(reverse("accounts:organisation", args=[org.slug])).content.decode()


def test_the_supplier_finds_a_questionnaire_to_answer_on_its_workspace(
    draft, supplier_org, supplier_user
):
    fill = reverse("assessments:workspace_submission", args=[supplier_org.slug, draft.pk])
    page = workspace(supplier_user, supplier_org)
    assert 'id="to-answer"' in page
    assert fill in page
    assert "工作条件自查" in page  # the title in the supplier's language


def test_once_sent_it_leaves_the_supplier_and_waits_on_the_buyer(
    submitted, supplier_org, supplier_user, buyer, owner
):
    assert 'id="to-answer"' not in workspace(supplier_user, supplier_org)
    page = home(owner, buyer)
    assert "1 questionnaire answered, waiting for your review" in page
    assert reverse("assessments:submissions", args=[buyer.slug]) in page


def test_a_draft_is_nothing_the_buyer_is_told_of(draft, buyer, owner):
    assert "waiting for your review" not in home(owner, buyer)
