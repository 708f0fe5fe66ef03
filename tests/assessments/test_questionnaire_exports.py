"""The questionnaires and the answers received download as their lists show them."""

import pytest
from django.urls import reverse

from stonebridge.assessments.models.questionnaires import Questionnaire

from ..conftest import client_for
from ..downloads.sheets import downloaded
from .questionnaire_world import draft, questionnaire, relationship, submitted  # noqa: F401

FORMATS = ("csv", "xlsx")


@pytest.mark.django_db
@pytest.mark.usefixtures("questionnaire")
@pytest.mark.parametrize("fmt", FORMATS)
def test_questionnaires_download_with_the_search(buyer, owner, fmt):
    Questionnaire.objects.filter(owner=buyer).update(title_en="-Working conditions")
    url = reverse("assessments:questionnaire_list_export", kwargs={"org": buyer.slug, "fmt": fmt})
    client = client_for(owner)
    rows = downloaded(client, f"{url}?q=conditions", fmt)
    assert rows[0][:3] == ["Title in English", "Title in Chinese", "From"]
    assert [row[:3] for row in rows[1:]] == [["'-Working conditions", "工作条件自查", buyer.name]]
    assert downloaded(client, f"{url}?q=nothing-like-this", fmt)[1:] == []


@pytest.mark.django_db
@pytest.mark.usefixtures("submitted")
@pytest.mark.parametrize("fmt", FORMATS)
def test_answers_received_download(buyer, owner, supplier_org, fmt):
    url = reverse("assessments:submission_export", kwargs={"org": buyer.slug, "fmt": fmt})
    rows = downloaded(client_for(owner), url, fmt)
    assert rows[0][0] == "Supplier"
    assert [row[0] for row in rows[1:]] == [supplier_org.name]


@pytest.mark.django_db
@pytest.mark.usefixtures("submitted")
@pytest.mark.parametrize(
    "name", ["assessments:questionnaire_list_export", "assessments:submission_export"]
)
def test_another_organisation_gets_404(buyer, other_buyer, name):
    url = reverse(name, kwargs={"org": buyer.slug, "fmt": "csv"})
    assert client_for(other_buyer).get(url).status_code == 404
