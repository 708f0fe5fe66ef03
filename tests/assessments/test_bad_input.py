"""Broken files and ids no row can have are answered on the form, never with a server error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stonebridge.assessments.models import Questionnaire, Visit

from ..conftest import client_for

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = "99999999999999999999"


def test_a_file_that_only_starts_like_a_workbook_is_refused_on_the_form(owner, buyer):
    url = reverse("assessments:questionnaire_import", args=[buyer.slug])
    upload = SimpleUploadedFile("questionnaire.xlsx", b"PK\x03\x04 not really a workbook")
    response = client_for(owner).post(url, {"file": upload})
    assert response.status_code == 200
    assert "This is not a readable XLSForm file." in response.content.decode()
    assert not Questionnaire.objects.filter(owner=buyer).exists()


def test_a_visit_to_a_site_id_beyond_any_row_is_refused_on_the_form(owner, buyer):
    url = reverse("assessments:visit_create", args=[buyer.slug])
    data = {"kind": "announced", "visit_on": "2026-12-01", "sites": [BEYOND_64_BITS]}
    response = client_for(owner).post(url, data)
    assert response.status_code == 200
    assert not Visit.objects.exists()
