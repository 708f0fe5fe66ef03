"""A covenant's questionnaire reaches its member buyers once published; its draft is the
covenant's alone."""

import pytest
from django.urls import reverse

from stonebridge.accounts.models import Organisation
from stonebridge.assessments.services import questionnaires as services

from ..conftest import OrganisationFactory, client_for
from .questionnaire_world import form_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def covenant_draft(buyer, owner):
    covenant = OrganisationFactory(
        slug="natuursteen-convenant", name="Natuursteen Convenant", kind=Organisation.Kind.COVENANT
    )
    buyer.covenant = covenant
    buyer.save(update_fields=["covenant"])
    return services.questionnaire_import(owner=covenant, by=None, content=form_bytes())


def test_a_member_buyer_does_not_read_its_covenants_draft(buyer, owner, covenant_draft):
    questionnaire = covenant_draft.questionnaire
    client = client_for(owner)
    page = client.get(reverse("assessments:questionnaire", args=[buyer.slug, questionnaire.pk]))
    assert page.status_code == 200
    assert "Do workers work overtime?" not in page.content.decode()
    export = reverse("assessments:questionnaire_export", args=[buyer.slug, questionnaire.pk])
    assert client.get(export).status_code == 404


def test_a_version_number_beyond_any_version_is_not_found(buyer, owner, covenant_draft):
    questionnaire = covenant_draft.questionnaire
    url = reverse("assessments:questionnaire_export", args=[buyer.slug, questionnaire.pk])
    assert client_for(owner).get(f"{url}?version=99999999999999999999").status_code == 404
