"""The case pages: only organisations a case is routed to see it; each one's notes stay its own;
the worker's identity needs a reason; files are never cached."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from PIL import Image

from stonebridge.voice.models import CaseState, IdentityReveal, Route, Urgency
from stonebridge.voice.services import handling

from ..conftest import client_for
from .conftest import submit


def photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "grey").save(out, format="PNG")
    return out.getvalue()


def detail(org, case):
    return reverse("voice:case_detail", kwargs={"org": org.slug, "case_id": case.pk})


def listing(org):
    return reverse("voice:case_list", kwargs={"org": org.slug})


@pytest.fixture
def case(channel):
    return submit(channel)[0]


def test_the_buyer_sees_its_case_with_the_workers_words(case, buyer, owner):
    body = client_for(owner).get(detail(buyer, case)).content.decode()
    assert case.number in body
    assert "每个月加班超过一百个小时" in body


def test_a_supplier_cannot_see_a_buyer_only_case(case, supplier_org, supplier_user):
    assert client_for(supplier_user).get(detail(supplier_org, case)).status_code == 404
    body = client_for(supplier_user).get(listing(supplier_org)).content.decode()
    assert case.number not in body


def test_another_buyer_gets_a_404(case, buyer, other_buyer):
    assert client_for(other_buyer).get(detail(buyer, case)).status_code == 404


def test_a_case_shared_with_the_factory_shows_on_its_list(channel, supplier_org, supplier_user):
    case = submit(channel, share_with_factory=True)[0]
    body = client_for(supplier_user).get(listing(supplier_org)).content.decode()
    assert case.number in body


def test_internal_notes_are_invisible_to_other_organisations(
    channel, buyer, owner, supplier_org, supplier_user
):
    case = submit(channel, share_with_factory=True)[0]
    handling.case_note(case=case, organisation=buyer, by=owner, text="Call the auditor first.")
    handling.case_message(case=case, organisation=buyer, by=owner, text="谢谢，我们在处理。")
    factory_page = client_for(supplier_user).get(detail(supplier_org, case)).content.decode()
    assert "Call the auditor first." not in factory_page
    assert "我们在处理" in factory_page
    assert "Call the auditor first." in client_for(owner).get(detail(buyer, case)).content.decode()


def test_the_list_puts_imminent_danger_and_children_first(channel, buyer, owner):
    normal = submit(channel)[0]
    child = submit(channel, topic="young", consent_sensitive=True)[0]
    danger = submit(channel)[0]
    danger.urgency = Urgency.IMMINENT
    danger.save()
    body = client_for(owner).get(listing(buyer)).content.decode()
    assert body.index(danger.number) < body.index(child.number) < body.index(normal.number)


def test_the_list_filters_and_searches(channel, buyer, owner):
    one, two = submit(channel)[0], submit(channel)[0]
    body = client_for(owner).get(listing(buyer), {"number": one.number}).content.decode()
    assert one.number in body
    assert two.number not in body
    body = client_for(owner).get(listing(buyer), {"state": "closed"}).content.decode()
    assert one.number not in body
    assert "No case matches" in body


def test_an_empty_list_says_what_will_appear(buyer, owner):
    body = client_for(owner).get(listing(buyer)).content.decode()
    assert "No grievances yet" in body


def test_the_list_takes_the_same_queries_however_many_cases(
    channel, buyer, owner, django_assert_num_queries
):
    client = client_for(owner)
    submit(channel)
    client.get(listing(buyer))  # warm the session and the caches
    with django_assert_num_queries(8) as first:
        client.get(listing(buyer))
    for _i in range(5):
        submit(channel)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(listing(buyer))


def test_reveal_needs_a_reason_and_shows_the_identity_once(channel, buyer, owner):
    case = submit(channel, anonymous=False, contact_name="王芳", contact_phone="13800001111")[0]
    client = client_for(owner)
    assert "13800001111" not in client.get(detail(buyer, case)).content.decode()
    refused = client.post(detail(buyer, case), {"action": "reveal", "reveal-reason": ""})
    assert refused.status_code == 422
    assert not IdentityReveal.objects.exists()
    shown = client.post(detail(buyer, case), {"action": "reveal", "reveal-reason": "Injured."})
    assert "13800001111" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    assert IdentityReveal.objects.get().reason == "Injured."


def test_steps_on_the_page_move_the_case(case, buyer, owner):
    client = client_for(owner)
    client.post(detail(buyer, case), {"action": "acknowledge"})
    client.post(detail(buyer, case), {"action": "resolve", "resolve-outcome": "Overtime paid."})
    client.post(detail(buyer, case), {"action": "close", "close-worker_satisfied": "yes"})
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert case.worker_satisfied is True


def test_a_viewer_cannot_act(case, buyer, viewer):
    response = client_for(viewer).post(detail(buyer, case), {"action": "acknowledge"})
    assert response.status_code == 403


def test_the_photo_is_served_to_recipients_only_and_never_cached(
    channel, buyer, owner, supplier_org, supplier_user
):
    case = submit(channel, photo=photo_bytes())[0]
    photo = case.attachments.get()
    url = reverse(
        "voice:case_file",
        kwargs={"org": buyer.slug, "case_id": case.pk, "case_file_id": photo.pk},
    )
    response = client_for(owner).get(url)
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    outsider = url.replace(buyer.slug, supplier_org.slug)
    assert client_for(supplier_user).get(outsider).status_code == 404


def test_the_committee_case_is_the_factorys_in_chinese(channel, supplier_org, supplier_user):
    case = submit(channel, route=Route.COMMITTEE)[0]
    body = client_for(supplier_user).get(detail(supplier_org, case)).content.decode()
    assert "处理申诉" in body
    assert "告诉员工已收到" in body


def test_the_learning_page_counts_cases_by_facility(channel, buyer, owner):
    submit(channel)
    url = reverse("voice:case_learning", kwargs={"org": buyer.slug})
    body = client_for(owner).get(url).content.decode()
    assert "Nan&#x27;an Shuitou" in body or "Nan'an Shuitou" in body


def test_the_hub_counts_open_cases(case, buyer, owner):
    body = client_for(owner).get(reverse("voice:home", kwargs={"org": buyer.slug})).content
    assert "1 open case" in body.decode()


def test_the_satisfied_share_counts_only_workers_who_answered():
    from stonebridge.voice.case_queries import satisfied_share

    assert satisfied_share(3, 4) == 0.75
    assert satisfied_share(0, 0) is None


def test_the_learning_page_shows_the_satisfied_share(case, buyer, owner):
    handling.case_acknowledge(case=case, organisation=buyer, by=owner)
    handling.case_resolve(case=case, organisation=buyer, by=owner, outcome="Paid.")
    handling.case_close(case=case, organisation=buyer, by=owner, worker_satisfied=True)
    url = reverse("voice:case_learning", kwargs={"org": buyer.slug})
    assert "100 %" in client_for(owner).get(url).content.decode()


def test_the_overdue_filter_shows_only_late_cases(channel, buyer, owner):
    late, fresh = submit(channel)[0], submit(channel)[0]
    late.acknowledge_by -= timedelta(days=400)
    late.save()
    body = client_for(owner).get(listing(buyer), {"overdue": "on"}).content.decode()
    assert late.number in body
    assert fresh.number not in body
