"""Who reads a supplier's answers: the supplier's own organisation; the buyer they were sent to,
once submitted; another buyer only while the supplier's consent stands. Anyone else gets a 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stonebridge.accounts.models import Organisation, Role
from stonebridge.assessments.services import questionnaires as services
from stonebridge.engagement.services import relationships
from stonebridge.supplychain.services import facility_create

from ..accounts.test_access_matrix import PNG_BYTES
from ..conftest import OrganisationFactory, client_for, member
from .questionnaire_world import draft, questionnaire, relationship, submitted

__all__ = ["draft", "questionnaire", "relationship", "submitted"]

pytestmark = pytest.mark.django_db


def review(org, submission):
    return reverse(
        "assessments:submission", kwargs={"org": org.slug, "submission_id": submission.pk}
    )


def fill(org, submission):
    return reverse(
        "assessments:workspace_submission",
        kwargs={"org": org.slug, "submission_id": submission.pk},
    )


def engaged_by(buyer_org, buyer_user, supplier_org, supplier_user):
    site = facility_create(organisation=buyer_org, by=buyer_user, kind="processor", name_zh="厂")
    relationship = relationships.relationship_create(
        organisation=buyer_org, by=buyer_user, facility=site, supplier=supplier_org
    )
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)


def test_a_draft_is_the_suppliers_alone(buyer, owner, draft, supplier_org, supplier_user):
    assert client_for(owner).get(review(buyer, draft)).status_code == 404
    assert client_for(supplier_user).get(fill(supplier_org, draft)).status_code == 200
    listed = client_for(owner).get(reverse("assessments:submissions", kwargs={"org": buyer.slug}))
    assert "Xiamen Haichen" not in listed.content.decode()


def test_another_supplier_never_reaches_the_answers(draft):
    other = OrganisationFactory(kind=Organisation.Kind.SUPPLIER)
    manager = member(other, Role.OWNER)
    assert client_for(manager).get(fill(other, draft)).status_code == 404


def test_a_buyer_not_addressed_reads_nothing_until_the_supplier_consents_and_after_it_withdraws(
    submitted, supplier_org, supplier_user, other_buyer_org, other_buyer
):
    client = client_for(other_buyer)
    assert client.get(review(other_buyer_org, submitted)).status_code == 404
    engaged_by(other_buyer_org, other_buyer, supplier_org, supplier_user)
    assert client.get(review(other_buyer_org, submitted)).status_code == 404
    share = services.submission_share(submission=submitted, buyer=other_buyer_org, by=supplier_user)
    assert client.get(review(other_buyer_org, submitted)).status_code == 200
    services.submission_unshare(share=share, by=supplier_user)
    assert client.get(review(other_buyer_org, submitted)).status_code == 404


def test_a_buyer_the_answers_are_shared_with_does_not_read_the_first_buyers_questions(
    buyer, owner, submitted, supplier_org, supplier_user, other_buyer_org, other_buyer
):
    answer = submitted.answers.get(question__name="overtime_hours")
    services.submission_follow_up(
        answer=answer, buyer=buyer, by=owner, question="Which months were the busiest?"
    )
    engaged_by(other_buyer_org, other_buyer, supplier_org, supplier_user)
    services.submission_share(submission=submitted, buyer=other_buyer_org, by=supplier_user)
    page = client_for(other_buyer).get(review(other_buyer_org, submitted)).content.decode()
    assert "Which months were the busiest?" not in page
    assert "Noordsteen" not in page


def test_a_file_is_served_to_its_readers_only(
    buyer, owner, draft, supplier_org, supplier_user, other_buyer_org, other_buyer
):
    services.submission_save(
        submission=draft,
        by=supplier_user,
        answers={"overtime": "no"},
        files={"contract_copy": [SimpleUploadedFile("合同.png", PNG_BYTES)]},
    )
    attached = draft.answers.get(question__name="contract_copy").files.get()
    own = reverse(
        "assessments:workspace_file", kwargs={"org": supplier_org.slug, "file_id": attached.pk}
    )
    assert client_for(supplier_user).get(own).content == PNG_BYTES
    buyers = reverse("assessments:file", kwargs={"org": buyer.slug, "file_id": attached.pk})
    # Not while it is a draft; once sent, to the buyer it was sent to and nobody else.
    assert client_for(owner).get(buyers).status_code == 404
    services.submission_submit(submission=draft, by=supplier_user)
    assert client_for(owner).get(buyers).content == PNG_BYTES
    other = reverse(
        "assessments:file", kwargs={"org": other_buyer_org.slug, "file_id": attached.pk}
    )
    assert client_for(other_buyer).get(other).status_code == 404
