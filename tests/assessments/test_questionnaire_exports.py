"""The questionnaires and the answers received download as their lists show them."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

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


@pytest.mark.django_db
@pytest.mark.usefixtures("submitted")
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_suppliers_questionnaires_download_in_chinese(buyer, supplier_org, supplier_user, fmt):
    from stonebridge.assessments.models.questionnaires import Submission, Version

    answers = Submission.objects.get()
    Version.objects.filter(pk=answers.version_id).update(title_en="=Working conditions")
    client = client_for(supplier_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    url = reverse(
        "assessments:workspace_questionnaire_export", kwargs={"org": supplier_org.slug, "fmt": fmt}
    )
    rows = downloaded(client, url, fmt)
    assert rows[0][:3] == ["中文标题", "英文标题", "采购商"]
    assert [row[:3] for row in rows[1:]] == [["工作条件自查", "'=Working conditions", buyer.name]]
    with translation.override("zh-hans"):
        assert rows[1][3] == answers.get_status_display()


@pytest.mark.django_db
@pytest.mark.usefixtures("submitted")
def test_the_suppliers_questionnaires_are_its_own(supplier_org, owner, other_buyer):
    name = "assessments:workspace_questionnaire_export"
    url = reverse(name, kwargs={"org": supplier_org.slug, "fmt": "csv"})
    for outsider in (owner, other_buyer):
        assert client_for(outsider).get(url).status_code == 404
