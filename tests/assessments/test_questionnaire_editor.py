"""Building a questionnaire in the pages, without a file: sections, questions with conditions and
the issue they inform, answer choices; a published version refuses every change."""

from django.urls import reverse

from stonebridge.assessments.models import Question, Questionnaire, Section
from stonebridge.assessments.questionnaire_queries import questionnaire_export, version_spec
from stonebridge.assessments.services.questionnaires import (
    questionnaire_import,
    questionnaire_publish,
)
from stonebridge.risk.models import Indicator
from tests.conftest import client_for


def new(client, buyer):
    response = client.post(
        reverse("assessments:questionnaire_new", args=[buyer.slug]),
        {"title_en": "Dust and hours", "title_zh": "粉尘和工时"},
    )
    assert response.status_code == 302
    return Questionnaire.objects.get(owner=buyer, title_en="Dust and hours")


def edit_url(buyer, questionnaire):
    return reverse("assessments:questionnaire_edit", args=[buyer.slug, questionnaire.pk])


def add(client, url, form, **fields):
    return client.post(url, {"add": form, **{f"{form}-{k}": v for k, v in fields.items()}})


def build(client, buyer):
    found = new(client, buyer)
    url = edit_url(buyer, found)
    assert add(client, url, "section", label_en="Health", label_zh="健康").status_code == 302
    section = Section.objects.get(version__questionnaire=found)
    question = {
        "section": section.pk,
        "label_zh": "是否有干切工序",
        "required": "on",
        "issue": "OHS",
    }
    assert (
        add(
            client,
            url,
            "question",
            name="dry_cutting",
            kind="select_one",
            label_en="Do you cut stone dry?",
            **question,
        ).status_code
        == 302
    )
    dry = Question.objects.get(name="dry_cutting")
    for name, en, zh, adverse in (("yes", "Yes", "是", "on"), ("no", "No", "否", "")):
        choice = {"question": dry.pk, "name": name, "label_en": en, "label_zh": zh}
        assert add(client, url, "choice", adverse=adverse, **choice).status_code == 302
    silica = Indicator.objects.get(code="OHS_SILICA")
    assert (
        add(
            client,
            url,
            "question",
            section=section.pk,
            name="masks",
            kind="integer",
            label_en="How many masks a month?",
            label_zh="每月多少口罩",
            relevant="${dry_cutting} = 'yes'",
            issue="OHS",
            indicator=silica.pk,
            adverse_when="${masks} < 10",
        ).status_code
        == 302
    )
    return found, url


def test_a_questionnaire_built_in_the_pages_publishes_exports_and_imports_the_same(buyer, owner):
    client = client_for(owner)
    found, url = build(client, buyer)
    page = client.get(url).content.decode()
    assert "How many masks a month?" in page
    assert "${dry_cutting} = &#x27;yes&#x27;" in page
    version = found.draft()
    assert [q.name for q in version.ordered_questions()] == ["dry_cutting", "masks"]
    questionnaire_publish(version=version, by=owner)
    again = questionnaire_import(
        owner=buyer, by=owner, content=questionnaire_export(version=version), slug="copy"
    )
    assert version_spec(again) == version_spec(version)
    masks = again.ordered_questions().get(name="masks")
    assert (masks.issue_id, masks.indicator.code) == ("OHS", "OHS_SILICA")
    assert [c.adverse for c in again.ordered_questions().get(name="dry_cutting").choices.all()] == [
        True,
        False,
    ]


def test_a_bad_condition_or_an_indicator_of_another_issue_is_a_field_error(buyer, owner):
    client = client_for(owner)
    found, url = build(client, buyer)
    section = Section.objects.get(version__questionnaire=found)
    base = {"section": section.pk, "kind": "text", "label_en": "Why?"}
    later = add(client, url, "question", name="why", relevant="${later} = 'x'", **base)
    assert later.status_code == 200
    assert "later" in str(later.context["question_form"].errors["relevant"])
    broken = add(client, url, "question", name="why", relevant="${dry_cutting} ==", **base)
    assert "relevant" in broken.context["question_form"].errors
    wages = Indicator.objects.exclude(issue_id="OHS").first()
    wrong = add(client, url, "question", name="why", issue="OHS", indicator=wages.pk, **base)
    assert "indicator" in wrong.context["question_form"].errors
    assert not Question.objects.filter(name="why").exists()


def test_removing_asks_first_then_removes_from_the_draft(buyer, owner):
    client = client_for(owner)
    found, _url = build(client, buyer)
    masks = Question.objects.get(name="masks")
    remove = reverse("assessments:questionnaire_remove", args=[buyer.slug, found.pk])
    asked = client.get(remove, {"question": masks.pk})
    assert "How many masks a month?" in asked.content.decode()
    assert Question.objects.filter(pk=masks.pk).exists()
    assert client.post(remove, {"question": masks.pk}).status_code == 302
    assert not Question.objects.filter(pk=masks.pk).exists()
    section = Section.objects.get(version__questionnaire=found)
    client.post(remove, {"section": section.pk})
    assert not Question.objects.filter(section__version__questionnaire=found).exists()


def test_a_published_version_refuses_every_change(buyer, owner):
    client = client_for(owner)
    found, url = build(client, buyer)
    questionnaire_publish(version=found.draft(), by=owner)
    section = Section.objects.get(version__questionnaire=found)
    response = add(client, url, "section", label_en="More")
    assert response.status_code == 302
    refused = client.get(response.url).content.decode()
    assert "published" in refused
    assert Section.objects.filter(version__questionnaire=found).count() == 1
    remove = reverse("assessments:questionnaire_remove", args=[buyer.slug, found.pk])
    client.post(remove, {"section": section.pk})
    assert Section.objects.filter(pk=section.pk).exists()


def test_another_organisation_gets_404_and_a_viewer_403(buyer, owner, viewer, other_buyer):
    found, url = build(client_for(owner), buyer)
    assert client_for(other_buyer).get(url).status_code == 404
    other_slug = other_buyer.memberships.get().organisation.slug
    assert (
        client_for(other_buyer)
        .post(
            reverse("assessments:questionnaire_edit", args=[other_slug, found.pk]),
            {"add": "section", "section-label_en": "X"},
        )
        .status_code
        == 404
    )
    assert add(client_for(viewer), url, "section", label_en="X").status_code == 403
    assert Section.objects.filter(version__questionnaire=found).count() == 1
