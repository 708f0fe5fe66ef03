"""Attacks on the reports, the downloads and collective engagement, each written as the secure
behaviour a person would notice.

Personas: the buyer Noordsteen (owner, editor, viewer) in the Natural Stone Sector Covenant, with
Steinwerk and Pierre Bleue who buy from the same exporter, and Marmor who does not; the covenant's
secretariat; Graniet, a member of another covenant that buys from the same exporter; the supplier
Haichen; anonymous; and API tokens. Outsiders get a 404 whether or not the row exists, a role too
low gets a 403, and nothing changes either way.
"""

from datetime import date

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from stonebridge.accounts import exports as account_exports
from stonebridge.accounts.models import Membership, Role
from stonebridge.accounts.services import api_token_create
from stonebridge.downloads.models import Download
from stonebridge.downloads.services import download_start
from stonebridge.engagement.models import (
    CollectiveEngagement,
    CollectiveParticipant,
    CovenantSharing,
    JointAction,
)
from stonebridge.engagement.services import collective as collective_services
from stonebridge.reports import annual
from stonebridge.reports import services as report_services
from stonebridge.reports.models import ReportingPeriod, ReportJob, ReportNarrative

from ..conftest import client_for, member
from ..covenant_world import buys, join_covenant, make_covenant, new_member, shared_exporter

PERIOD = annual.Period(date(2025, 1, 1), date(2025, 12, 31))
QUERY = f"?from={PERIOD.start}&to={PERIOD.end}"


def bearer(user, **options) -> Client:
    secret = api_token_create(user=user, name="attack", **options)[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def world(buyer, owner, editor, viewer, other_buyer_org, other_buyer, supplier_org, supplier_user):
    covenant, secretary = make_covenant()
    join_covenant(buyer, covenant)
    join_covenant(other_buyer_org, covenant)
    third, third_owner = new_member(covenant, "pierre-bleue", "Pierre Bleue Trading NV")
    marmor, marmor_owner = new_member(covenant, "marmor", "Marmor Handel AG")
    exporter = shared_exporter(owner, buyer)
    for org, person in ((buyer, owner), (other_buyer_org, other_buyer), (third, third_owner)):
        buys(org, person, exporter)
    elsewhere, _secretary2 = make_covenant("granite-covenant")
    graniet, graniet_owner = new_member(elsewhere, "graniet", "Graniet Import BV")
    buys(graniet, graniet_owner, exporter)
    collective = collective_services.collective_propose(
        organisation=buyer,
        by=owner,
        facility=exporter,
        title="Dust control together",
        description="Wet cutting at the Haichen yard.",
        named_to_others=True,
    )
    step = collective_services.joint_action_add(
        collective=collective, organisation=buyer, by=owner, title="Buy wet saws together"
    )
    job = report_services.report_job_start(
        organisation=buyer,
        by=owner,
        period=PERIOD,
        edition="confidential",
        language="en",
        fmt="xlsx",
    )
    report_services.narrative_save(
        organisation=buyer, by=owner, period=PERIOD, step=6, text="Back pay paid in full."
    )
    return {
        "covenant": covenant,
        "secretary": secretary,
        "secretary_viewer": member(covenant, Role.VIEWER, email="clerk@stone-covenant.example"),
        "third": third,
        "third_owner": third_owner,
        "marmor": marmor,
        "marmor_owner": marmor_owner,
        "graniet": graniet,
        "graniet_owner": graniet_owner,
        "exporter": exporter,
        "collective": collective,
        "step": step,
        "job": job,
    }


def _outsiders(world, other_buyer, supplier_user):
    return [other_buyer, supplier_user, world["secretary"], world["graniet_owner"]]


# --- report jobs and their files ----------------------------------------------------------------


@pytest.mark.django_db
def test_nobody_outside_opens_or_downloads_a_report_job(world, buyer, other_buyer, supplier_user):
    job = world["job"]
    assert job.status == ReportJob.Status.DONE
    pages = [
        reverse("reports:annual_job", kwargs={"org": buyer.slug, "job_id": job.pk}),
        reverse("reports:annual_file", kwargs={"org": buyer.slug, "job_id": job.pk}),
    ]
    for person in _outsiders(world, other_buyer, supplier_user):
        for url in pages:
            assert client_for(person).get(url).status_code == 404, (person, url)
    for url in pages:
        response = Client().get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"]


@pytest.mark.django_db
def test_a_job_id_under_ones_own_organisation_finds_only_ones_own(
    world, buyer, other_buyer_org, other_buyer
):
    """Steinwerk puts Noordsteen's job id under its own address: the same 404 as an id that
    does not exist, so ids cannot be probed."""
    job = world["job"]
    for name in ("reports:annual_job", "reports:annual_file"):
        taken = client_for(other_buyer).get(
            reverse(name, kwargs={"org": other_buyer_org.slug, "job_id": job.pk})
        )
        missing = client_for(other_buyer).get(
            reverse(name, kwargs={"org": other_buyer_org.slug, "job_id": job.pk + 999})
        )
        assert taken.status_code == missing.status_code == 404
        assert b"Noordsteen" not in taken.content


@pytest.mark.django_db
def test_a_viewer_cannot_start_a_report(world, buyer, viewer):
    before = ReportJob.objects.count()
    url = reverse("reports:annual", kwargs={"org": buyer.slug}) + QUERY
    response = client_for(viewer).post(url, {"edition": "public", "language": "en", "fmt": "pdf"})
    assert response.status_code == 403
    assert ReportJob.objects.count() == before


@pytest.mark.django_db
def test_a_supplier_or_covenant_has_no_annual_report(world, supplier_org, supplier_user):
    for org, person in ((supplier_org, supplier_user), (world["covenant"], world["secretary"])):
        url = reverse("reports:annual", kwargs={"org": org.slug})
        assert client_for(person).get(url).status_code == 404
        narrative = reverse("reports:annual_narrative", kwargs={"org": org.slug, "step": 1})
        assert client_for(person).post(narrative + QUERY, {"text": "x"}).status_code == 404
    assert not ReportNarrative.objects.exclude(organisation__slug="noordsteen").exists()


@pytest.mark.django_db
def test_a_wild_period_in_the_address_is_not_a_server_error(world, buyer, owner):
    """A period at the end of the calendar or spanning millennia falls back to the reporting
    year rather than failing or running for minutes."""
    for query in (
        "?from=9999-01-01&to=9999-12-31",
        "?from=0001-01-01&to=9999-12-31",
        "?from=2025-12-31&to=2025-01-01",
    ):
        for url in (
            reverse("reports:annual", kwargs={"org": buyer.slug}),
            reverse("reports:annual_narrative", kwargs={"org": buyer.slug, "step": 6}),
        ):
            response = client_for(owner).get(url + query)
            assert response.status_code == 200, (url, query)
            # The reader is told why the page shows another period than the one asked for.
            assert "cannot be reported on" in response.content.decode(), (url, query)
    shown = client_for(owner).get(reverse("reports:annual", kwargs={"org": buyer.slug}))
    assert "cannot be reported on" not in shown.content.decode()


@pytest.mark.django_db
def test_a_report_asked_for_at_the_end_of_the_calendar_is_refused(world, buyer, owner):
    before = ReportJob.objects.count()
    response = client_for(owner).post(
        f"/api/organisations/{buyer.slug}/report-jobs",
        {"period_start": "9999-01-01", "period_end": "9999-12-31", "format": "xlsx"},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert ReportJob.objects.count() == before


# --- narratives and the reporting year -----------------------------------------------------------


@pytest.mark.django_db
def test_narratives_are_written_only_by_the_buyers_editors(
    world, buyer, viewer, other_buyer_org, other_buyer, supplier_user
):
    url = reverse("reports:annual_narrative", kwargs={"org": buyer.slug, "step": 6}) + QUERY
    assert client_for(viewer).post(url, {"text": "Defaced"}).status_code == 403
    for person in _outsiders(world, other_buyer, supplier_user):
        assert client_for(person).get(url).status_code == 404
        assert client_for(person).post(url, {"text": "Defaced"}).status_code == 404
    assert Client().post(url, {"text": "Defaced"}).status_code == 302
    # Steinwerk writing under its own address writes its own narrative, never Noordsteen's.
    own = reverse("reports:annual_narrative", kwargs={"org": other_buyer_org.slug, "step": 6})
    client_for(other_buyer).post(own + QUERY, {"text": "Ours"})
    assert annual.gather_narrative(buyer, PERIOD, 6) == "Back pay paid in full."
    assert annual.gather_narrative(other_buyer_org, PERIOD, 6) == "Ours"


@pytest.mark.django_db
def test_the_narrative_is_not_shown_to_other_organisations(world, other_buyer_org, other_buyer):
    url = reverse("reports:annual_narrative", kwargs={"org": other_buyer_org.slug, "step": 6})
    body = client_for(other_buyer).get(url + QUERY).content.decode()
    assert "Back pay paid in full." not in body
    report = client_for(other_buyer).get(
        reverse("reports:annual", kwargs={"org": other_buyer_org.slug}) + QUERY
    )
    assert "Back pay paid in full." not in report.content.decode()


@pytest.mark.django_db
def test_only_the_covenants_owner_sets_the_reporting_year(world, buyer, owner, other_buyer):
    covenant = world["covenant"]
    url = reverse("reports:reporting_period", kwargs={"org": covenant.slug})
    data = {"starts_month": 4, "starts_day": 1}
    for person in (owner, other_buyer, world["graniet_owner"]):
        assert client_for(person).post(url, data).status_code == 404
    assert client_for(world["secretary_viewer"]).post(url, data).status_code == 403
    # A buyer's owner posting under its own address sets nothing for its covenant.
    own = reverse("reports:reporting_period", kwargs={"org": buyer.slug})
    assert client_for(owner).post(own, data).status_code == 404
    assert not ReportingPeriod.objects.exists()


# --- the report API -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_organisations_token_reads_no_report_job(world, buyer, other_buyer, supplier_user):
    job = world["job"]
    base = f"/api/organisations/{buyer.slug}/report-jobs"
    for person in (other_buyer, supplier_user, world["secretary"]):
        client = bearer(person)
        for path in (f"{base}/{job.pk}", f"{base}/{job.pk}/file"):
            taken = client.get(path)
            missing = client.get(path.replace(str(job.pk), str(job.pk + 999)))
            assert taken.status_code == missing.status_code == 404
            assert taken.content == missing.content
        body = {"period_start": "2025-01-01", "period_end": "2025-12-31"}
        assert client.post(base, body, content_type="application/json").status_code == 404
        assert client.get(f"/api/organisations/{buyer.slug}/dashboard").status_code == 404
    assert ReportJob.objects.count() == 1


@pytest.mark.django_db
def test_a_viewer_or_read_only_token_starts_no_report(world, buyer, owner, viewer):
    base = f"/api/organisations/{buyer.slug}/report-jobs"
    body = {"period_start": "2025-01-01", "period_end": "2025-12-31"}
    for client in (bearer(viewer), bearer(owner, read_only=True)):
        assert client.post(base, body, content_type="application/json").status_code == 403
    assert ReportJob.objects.count() == 1


@pytest.mark.django_db
def test_the_report_api_keeps_csrf_for_a_browser_session(world, buyer, owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(
        f"/api/organisations/{buyer.slug}/report-jobs",
        {"period_start": "2025-01-01", "period_end": "2025-12-31"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert ReportJob.objects.count() == 1


@pytest.mark.django_db
def test_a_supplier_and_a_covenant_have_no_dashboard_or_report_over_the_api(
    world, supplier_org, supplier_user
):
    body = {"period_start": "2025-01-01", "period_end": "2025-12-31"}
    for org, person in ((supplier_org, supplier_user), (world["covenant"], world["secretary"])):
        client = bearer(person)
        assert client.get(f"/api/organisations/{org.slug}/dashboard").status_code == 404
        created = client.post(
            f"/api/organisations/{org.slug}/report-jobs", body, content_type="application/json"
        )
        assert created.status_code in (404, 422)
    assert ReportJob.objects.count() == 1


# --- downloads ----------------------------------------------------------------------------------


def _download(user, organisation) -> Download:
    membership = Membership.objects.get(user=user, organisation=organisation)
    return download_start(
        membership=membership,
        listing=account_exports.MEMBERS,
        fmt="csv",
        query=QueryDict(""),
        language="en",
    )


@pytest.mark.django_db
def test_a_download_is_only_for_the_person_who_asked(
    world, buyer, owner, editor, other_buyer, supplier_user
):
    download = _download(owner, buyer)
    assert download.status == Download.Status.DONE
    pages = [
        reverse("downloads:status", kwargs={"org": buyer.slug, "download_id": download.pk}),
        reverse("downloads:file", kwargs={"org": buyer.slug, "download_id": download.pk}),
    ]
    assert client_for(owner).get(pages[1]).status_code == 200
    # A colleague in the same organisation, outsiders, anonymous.
    for person in [editor, *_outsiders(world, other_buyer, supplier_user)]:
        for url in pages:
            assert client_for(person).get(url).status_code == 404, (person, url)
    for url in pages:
        assert Client().get(url).status_code == 302


@pytest.mark.django_db
def test_a_download_id_under_ones_own_organisation_finds_nothing(
    world, buyer, owner, other_buyer_org, other_buyer
):
    download = _download(owner, buyer)
    for name in ("downloads:status", "downloads:file"):
        url = reverse(name, kwargs={"org": other_buyer_org.slug, "download_id": download.pk})
        assert client_for(other_buyer).get(url).status_code == 404


@pytest.mark.django_db
def test_download_pages_answer_only_get(world, buyer, owner):
    download = _download(owner, buyer)
    for name in ("downloads:status", "downloads:file"):
        url = reverse(name, kwargs={"org": buyer.slug, "download_id": download.pk})
        assert client_for(owner).post(url).status_code == 405


@pytest.mark.django_db
def test_a_download_is_not_written_for_someone_who_left(world, buyer, owner, editor):
    """The task worker runs later: if the person left meanwhile, the file is never written."""
    from stonebridge.downloads import tasks

    download = _download(editor, buyer)
    Download.objects.filter(pk=download.pk).update(status=Download.Status.QUEUED, content=None)
    Membership.objects.filter(user=editor, organisation=buyer).delete()
    with pytest.raises(PermissionError):
        tasks.write_download.call(download_id=download.pk)
    download.refresh_from_db()
    assert download.status == Download.Status.FAILED
    assert download.content is None


# --- collective engagement: pages and writes ----------------------------------------------------


def _collective_urls(org, collective, step):
    args = {"org": org.slug, "collective_id": collective.pk}
    return {
        "page": reverse("engagement:collective", kwargs=args),
        "join": reverse("engagement:collective_join", kwargs=args),
        "leave": reverse("engagement:collective_leave", kwargs=args),
        "add": reverse("engagement:joint_action_add", kwargs=args),
        "done": reverse(
            "engagement:joint_action_done", kwargs={**args, "joint_action_id": step.pk}
        ),
    }


def _snapshot():
    return (
        list(CollectiveParticipant.objects.values_list("organisation", "left_at")),
        list(JointAction.objects.values_list("pk", "status")),
        list(CollectiveEngagement.objects.values_list("pk", "status")),
    )


@pytest.mark.django_db
def test_outsiders_cannot_read_or_touch_a_joint_action(world, supplier_org, supplier_user):
    """Under its own address, each outsider finds no joint action it may not see: a member of
    another covenant that buys from the same exporter, a member that does not buy there, the
    supplier and the secretariat."""
    collective, step = world["collective"], world["step"]
    before = _snapshot()
    for org, person in (
        (world["graniet"], world["graniet_owner"]),
        (world["marmor"], world["marmor_owner"]),
        (supplier_org, supplier_user),
        (world["covenant"], world["secretary"]),
    ):
        urls = _collective_urls(org, collective, step)
        client = client_for(person)
        assert client.get(urls["page"]).status_code == 404, org
        for action in ("join", "leave", "add", "done"):
            response = client.post(urls[action], {"title": "Hijacked", "named_to_others": "on"})
            assert response.status_code == 404, (org, action)
    assert _snapshot() == before
    assert not JointAction.objects.filter(title="Hijacked").exists()


@pytest.mark.django_db
def test_another_organisations_joint_action_under_its_slug_is_404(
    world, buyer, other_buyer, supplier_user
):
    collective, step = world["collective"], world["step"]
    urls = _collective_urls(buyer, collective, step)
    before = _snapshot()
    for person in _outsiders(world, other_buyer, supplier_user):
        client = client_for(person)
        assert client.get(urls["page"]).status_code == 404
        for action in ("join", "leave", "add", "done"):
            assert client.post(urls[action], {"title": "Hijacked"}).status_code == 404
    for action in ("join", "leave", "add", "done"):
        assert Client().post(urls[action], {"title": "Hijacked"}).status_code == 302
    assert _snapshot() == before


@pytest.mark.django_db
def test_a_member_that_has_not_joined_changes_nothing_in_the_joint_plan(
    world, other_buyer_org, other_buyer
):
    collective, step = world["collective"], world["step"]
    urls = _collective_urls(other_buyer_org, collective, step)
    client = client_for(other_buyer)
    body = client.get(urls["page"]).content.decode()
    assert "Buy wet saws together" not in body
    client.post(urls["add"], {"title": "Hijacked"})
    client.post(urls["done"])
    client.post(urls["leave"])
    step.refresh_from_db()
    assert step.status == JointAction.Status.OPEN
    assert not JointAction.objects.filter(title="Hijacked").exists()
    assert not CollectiveParticipant.objects.filter(organisation=other_buyer_org).exists()


@pytest.mark.django_db
def test_a_viewer_cannot_join_leave_or_change_the_joint_plan(world, buyer, viewer):
    collective, step = world["collective"], world["step"]
    urls = _collective_urls(buyer, collective, step)
    before = _snapshot()
    for action in ("join", "leave", "add", "done"):
        assert client_for(viewer).post(urls[action], {"title": "x"}).status_code == 403
    sharing = reverse("engagement:collective_sharing", kwargs={"org": buyer.slug})
    assert client_for(viewer).post(sharing, {"named_to_members": "on"}).status_code == 403
    propose = reverse("engagement:collective_propose", kwargs={"org": buyer.slug})
    assert client_for(viewer).post(propose, {"title": "x"}).status_code == 403
    assert _snapshot() == before
    assert not CovenantSharing.objects.filter(organisation=buyer).exists()


@pytest.mark.django_db
def test_post_only_actions_refuse_get_and_keep_csrf(world, other_buyer_org, other_buyer):
    collective, step = world["collective"], world["step"]
    urls = _collective_urls(other_buyer_org, collective, step)
    before = _snapshot()
    for action in ("join", "leave", "add", "done"):
        assert client_for(other_buyer).get(urls[action]).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(other_buyer)
    for action in ("join", "add"):
        assert strict.post(urls[action], {"title": "x"}).status_code == 403
    sharing = reverse("engagement:collective_sharing", kwargs={"org": other_buyer_org.slug})
    assert strict.post(sharing, {"named_to_members": "on"}).status_code == 403
    assert _snapshot() == before
    assert not CovenantSharing.objects.exists()


@pytest.mark.django_db
def test_joint_action_cannot_be_proposed_at_a_supplier_one_does_not_buy_from(world):
    """Marmor is in the covenant but does not buy from the exporter: the form refuses it, and a
    missing facility looks the same, so facility ids cannot be probed."""
    marmor = world["marmor"]
    url = reverse("engagement:collective_propose", kwargs={"org": marmor.slug})
    client = client_for(world["marmor_owner"])
    before = CollectiveEngagement.objects.count()
    answers = []
    for facility_id in (world["exporter"].pk, world["exporter"].pk + 999):
        response = client.post(url, {"facility": facility_id, "title": "Ours now"})
        assert response.status_code == 200
        errors = response.context["form"].errors["facility"]
        answers.append([e.replace(str(facility_id), "ID") for e in errors])
    assert answers[0] == answers[1]
    assert CollectiveEngagement.objects.count() == before
    with pytest.raises(Exception, match="buy from"):
        collective_services.collective_propose(
            organisation=marmor,
            by=world["marmor_owner"],
            facility=world["exporter"],
            title="Ours now",
        )


@pytest.mark.django_db
def test_covenant_sharing_is_set_only_for_ones_own_organisation(
    world, buyer, other_buyer_org, other_buyer, supplier_org, supplier_user
):
    url = reverse("engagement:collective_sharing", kwargs={"org": buyer.slug})
    data = {"count_when_few": "on", "named_to_members": "on"}
    for person in _outsiders(world, other_buyer, supplier_user):
        assert client_for(person).post(url, data).status_code == 404
    # Under its own address Steinwerk sets its own choice only.
    own = reverse("engagement:collective_sharing", kwargs={"org": other_buyer_org.slug})
    assert client_for(other_buyer).post(own, data).status_code == 302
    assert list(CovenantSharing.objects.values_list("organisation", flat=True)) == [
        other_buyer_org.pk
    ]
    # A supplier has no covenant sharing at all.
    theirs = reverse("engagement:collective_sharing", kwargs={"org": supplier_org.slug})
    assert client_for(supplier_user).post(theirs, data).status_code == 404


# --- collective engagement: names and small figures ----------------------------------------------


def _agree(organisation, person, *, counted: bool = True, named: bool = True) -> None:
    collective_services.covenant_sharing_set(
        organisation=organisation, by=person, count_when_few=counted, named_to_members=named
    )


@pytest.mark.django_db
def test_a_participant_is_not_named_to_one_that_did_not_agree(
    world, buyer, other_buyer_org, other_buyer
):
    """Noordsteen agreed to be named; Steinwerk joins without agreeing and sees only a count;
    the secretariat sees Noordsteen, who agreed, and no count of two."""
    collective = world["collective"]
    collective_services.collective_join(
        collective=collective, organisation=other_buyer_org, by=other_buyer
    )
    urls = _collective_urls(other_buyer_org, collective, world["step"])
    body = client_for(other_buyer).get(urls["page"]).content.decode()
    assert "Noordsteen" not in body
    assert "Buy wet saws together" in body
    secretariat = client_for(world["secretary"]).get(
        reverse("reports:covenant_collectives", kwargs={"org": world["covenant"].slug})
    )
    text = secretariat.content.decode()
    assert "Steinwerk" not in text
    assert "fewer than three" in text


@pytest.mark.django_db
def test_a_member_that_never_joined_sees_no_names(world, buyer, other_buyer_org, other_buyer):
    third = world["third"]
    collective_services.collective_join(
        collective=world["collective"],
        organisation=other_buyer_org,
        by=other_buyer,
        named_to_others=True,
    )
    urls = _collective_urls(third, world["collective"], world["step"])
    body = client_for(world["third_owner"]).get(urls["page"]).content.decode()
    assert "Noordsteen" not in body
    assert "Steinwerk" not in body


@pytest.mark.django_db
def test_shared_suppliers_of_two_members_are_not_counted_unless_both_agreed(
    world, buyer, owner, other_buyer_org, other_buyer
):
    """A second exporter that only Noordsteen and Steinwerk buy from: Steinwerk agreed to be
    counted and named, Noordsteen did not. Neither the secretariat nor Steinwerk learns that
    Noordsteen buys there, nor sees a count of two."""
    pair = shared_exporter(owner, buyer, name_zh="福建南安石材有限公司")
    buys(buyer, owner, pair)
    buys(other_buyer_org, other_buyer, pair)
    _agree(other_buyer_org, other_buyer)
    _agree(buyer, owner, counted=False, named=True)
    secretariat = client_for(world["secretary"]).get(
        reverse("reports:covenant_suppliers", kwargs={"org": world["covenant"].slug})
    )
    assert "福建南安石材有限公司" not in secretariat.content.decode()
    assert "Noordsteen" not in secretariat.content.decode()
    assert 'id="withheld"' in secretariat.content.decode()
    member_page = client_for(other_buyer).get(
        reverse("engagement:collective_home", kwargs={"org": other_buyer_org.slug})
    )
    body = member_page.content.decode()
    assert "福建南安石材有限公司" not in body
    assert 'id="withheld"' not in body
    # Named to each other only on the exporter three members share, where both agreed.
    assert "Noordsteen Natuursteen B.V." in body


@pytest.mark.django_db
def test_the_covenant_pages_are_the_secretariats_alone(
    world, buyer, owner, other_buyer, supplier_user
):
    covenant = world["covenant"]
    for name in ("covenant_progress", "covenant_suppliers", "covenant_collectives"):
        url = reverse(f"reports:{name}", kwargs={"org": covenant.slug})
        for person in (owner, other_buyer, supplier_user, world["graniet_owner"]):
            assert client_for(person).get(url).status_code == 404
        assert client_for(world["secretary_viewer"]).get(url).status_code == 200
        own = reverse(f"reports:{name}", kwargs={"org": buyer.slug})
        assert client_for(owner).get(own).status_code == 404


@pytest.mark.django_db
def test_the_progress_page_shows_no_figure_from_two_members(
    world, buyer, owner, other_buyer_org, other_buyer
):
    """Two members have open plans: the total is withheld, so neither number can be read."""
    from stonebridge.engagement.models import Plan
    from stonebridge.engagement.services import plans, relationships

    for org, person in ((buyer, owner), (other_buyer_org, other_buyer)):
        relationship = relationships.relationship_create(
            organisation=org, by=person, facility=world["exporter"]
        )
        plan = plans.plan_create(
            relationship=relationship, by=person, title="Dust", starts_on=date(2025, 1, 1)
        )
        Plan.objects.filter(pk=plan.pk).update(state=Plan.State.ACTIVE)
    response = client_for(world["secretary"]).get(
        reverse("reports:covenant_progress", kwargs={"org": world["covenant"].slug})
    )
    figures = response.context["progress"].plans
    assert figures[0].value is None
    assert figures[0].members == 2


@pytest.mark.django_db
def test_a_member_cannot_probe_who_buys_where_by_adding_a_supplier(
    world, buyer, owner, other_buyer_org, other_buyer
):
    """Steinwerk buys from a second exporter and agreed to nothing. Noordsteen adds that
    exporter to its own suppliers to see whether its page changes: it does not, so it cannot
    learn that one other member buys there."""
    pair = shared_exporter(other_buyer, other_buyer_org, name_zh="福建南安石材有限公司")
    buys(other_buyer_org, other_buyer, pair)
    page = reverse("engagement:collective_home", kwargs={"org": buyer.slug})
    before = client_for(owner).get(page).context
    buys(buyer, owner, pair)
    after = client_for(owner).get(page)
    assert [s.facility for s in after.context["suppliers"]] == [
        s.facility for s in before["suppliers"]
    ]
    body = after.content.decode()
    assert "福建南安石材有限公司" not in body
    assert 'id="withheld"' not in body


@pytest.mark.django_db
def test_text_from_another_member_is_shown_as_text(world, other_buyer_org, other_buyer):
    collective = world["collective"]
    CollectiveEngagement.objects.filter(pk=collective.pk).update(
        title="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>"
    )
    urls = _collective_urls(other_buyer_org, collective, world["step"])
    body = client_for(other_buyer).get(urls["page"]).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body


@pytest.mark.django_db
def test_report_workbook_text_never_runs_as_a_formula(world, buyer, owner):
    """Text in the workbook that a spreadsheet could run, full-width signs (typed by a Chinese
    input method) included, is made inert."""
    from io import BytesIO

    from openpyxl import load_workbook

    for step, text in ((1, '\uff1dHYPERLINK("http://x")'), (2, "\uff0b1+1"), (3, "=1+1")):
        report_services.narrative_save(
            organisation=buyer, by=owner, period=PERIOD, step=step, text=text
        )
    content, _name = report_services.render(
        buyer, PERIOD, edition="confidential", language="en", fmt="xlsx"
    )
    book = load_workbook(BytesIO(content))
    for step in (1, 2, 3):
        sheet = book.worksheets[step]
        written = next(
            row[1] for row in sheet.iter_rows(values_only=True) if row[0] == "What we write"
        )
        assert str(written).startswith("'"), (step, written)


@pytest.mark.django_db
def test_the_secretariat_cannot_count_an_unnamed_participant_beside_a_named_one(
    world, other_buyer_org, other_buyer
):
    """Noordsteen agreed to be named and proposed alone; then Steinwerk joins without agreeing.
    The secretariat's row reads the same before and after: it cannot tell that a second, unnamed
    member (who thus buys from that supplier) takes part."""
    url = reverse("reports:covenant_collectives", kwargs={"org": world["covenant"].slug})
    client = client_for(world["secretary"])
    alone = client.get(url).context["rows"]
    collective_services.collective_join(
        collective=world["collective"], organisation=other_buyer_org, by=other_buyer
    )
    together = client.get(url).context["rows"]
    assert [(figure.value, named) for _item, figure, named in alone] == [
        (None, ["Noordsteen Natuursteen B.V."])
    ]
    assert [(figure.value, named) for _item, figure, named in together] == [
        (figure.value, named) for _item, figure, named in alone
    ]


@pytest.mark.django_db
def test_a_step_of_another_joint_action_cannot_be_marked_done_through_ones_own(
    world, buyer, owner, other_buyer_org, other_buyer
):
    """Noordsteen takes part in its own joint action; Steinwerk and Pierre Bleue run one at a
    supplier Noordsteen does not buy from. Putting that plan's step under Noordsteen's joint
    action finds nothing."""
    theirs = shared_exporter(other_buyer, other_buyer_org, name_zh="云浮市石材加工厂")
    buys(other_buyer_org, other_buyer, theirs)
    buys(world["third"], world["third_owner"], theirs)
    hidden = collective_services.collective_propose(
        organisation=other_buyer_org, by=other_buyer, facility=theirs, title="Fair wages"
    )
    secret_step = collective_services.joint_action_add(
        collective=hidden, organisation=other_buyer_org, by=other_buyer, title="Audit payroll"
    )
    done = reverse(
        "engagement:joint_action_done",
        kwargs={
            "org": buyer.slug,
            "collective_id": world["collective"].pk,
            "joint_action_id": secret_step.pk,
        },
    )
    assert client_for(owner).post(done).status_code == 404
    hidden_urls = _collective_urls(buyer, hidden, secret_step)
    assert client_for(owner).get(hidden_urls["page"]).status_code == 404
    for action in ("join", "add", "done"):
        assert client_for(owner).post(hidden_urls[action], {"title": "x"}).status_code == 404
    secret_step.refresh_from_db()
    assert secret_step.status == JointAction.Status.OPEN
    assert hidden.actions.count() == 1
    home = client_for(owner).get(reverse("engagement:collective_home", kwargs={"org": buyer.slug}))
    assert "Fair wages" not in home.content.decode()


@pytest.mark.django_db
def test_a_viewer_gets_the_same_answer_for_any_joint_action_id(world, buyer, viewer):
    """A role too low is refused before anything is looked up: the answer does not tell an
    existing id from a missing one."""
    collective = world["collective"]
    for collective_id in (collective.pk, collective.pk + 999):
        url = reverse(
            "engagement:collective_join", kwargs={"org": buyer.slug, "collective_id": collective_id}
        )
        assert client_for(viewer).post(url).status_code == 403


@pytest.mark.django_db
def test_a_narrative_step_outside_the_six_is_not_found(world, buyer, owner):
    url = reverse("reports:annual_narrative", kwargs={"org": buyer.slug, "step": 7})
    assert client_for(owner).post(url + QUERY, {"text": "x"}).status_code == 404
    assert not ReportNarrative.objects.filter(step=7).exists()


@pytest.mark.django_db
def test_report_pages_keep_csrf(world, buyer, owner):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    narrative = reverse("reports:annual_narrative", kwargs={"org": buyer.slug, "step": 6})
    assert strict.post(narrative + QUERY, {"text": "Forged"}).status_code == 403
    annual_page = reverse("reports:annual", kwargs={"org": buyer.slug})
    data = {"edition": "public", "language": "en", "fmt": "xlsx"}
    assert strict.post(annual_page + QUERY, data).status_code == 403
    secretary = Client(enforce_csrf_checks=True)
    secretary.force_login(world["secretary"])
    period = reverse("reports:reporting_period", kwargs={"org": world["covenant"].slug})
    assert secretary.post(period, {"starts_month": 4, "starts_day": 1}).status_code == 403
    assert annual.gather_narrative(buyer, PERIOD, 6) == "Back pay paid in full."
    assert ReportJob.objects.count() == 1
    assert not ReportingPeriod.objects.exists()


@pytest.mark.django_db
def test_only_an_owner_changes_what_the_covenant_may_see_of_the_organisation(
    world, buyer, owner, editor
):
    """Being counted or named to other members is the organisation's word, not any editor's."""
    url = reverse("engagement:collective_sharing", kwargs={"org": buyer.slug})
    home = reverse("engagement:collective_home", kwargs={"org": buyer.slug})
    data = {"count_when_few": "on", "named_to_members": "on"}
    assert client_for(editor).post(url, data).status_code == 403
    assert not CovenantSharing.objects.filter(organisation=buyer).exists()
    assert url not in client_for(editor).get(home).content.decode()
    assert url in client_for(owner).get(home).content.decode()
    assert client_for(owner).post(url, data).status_code == 302
    assert CovenantSharing.objects.get(organisation=buyer).named_to_members
