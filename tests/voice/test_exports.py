"""The grievance cases and remedies download as the lists show them."""

import pytest
from django.conf import settings
from django.urls import reverse

from stonebridge.supplychain.services import facility_create
from stonebridge.voice.models import Channel, Sponsor, Topic
from stonebridge.voice.services import remedies

from ..conftest import client_for
from ..downloads.sheets import downloaded
from .conftest import submit

FORMATS = ("csv", "xlsx")


@pytest.fixture
def sneaky_site(buyer, owner, supplier_org):
    """A facility whose name a spreadsheet would run as a formula, with a grievance channel."""
    site = facility_create(
        organisation=buyer,
        by=owner,
        kind="workshop",
        name_zh="",
        name_en='=HYPERLINK("http://evil.example","x")',
        province="福建省",
    )
    channel = Channel.objects.create(facility=site, token="sNeaky01", factory=supplier_org)
    Sponsor.objects.create(channel=channel, organisation=buyer)
    return site, channel


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_cases_download_with_the_lists_filters(channel, sneaky_site, buyer, owner, fmt):
    hours, _ = submit(channel)
    _site, sneaky_channel = sneaky_site
    pay, _ = submit(sneaky_channel, topic=Topic.PAY)
    url = reverse("voice:case_export", kwargs={"org": buyer.slug, "fmt": fmt})
    rows = downloaded(client_for(owner), url, fmt)
    assert rows[0][:3] == ["Case number", "Urgency", "Topic"]
    by_number = {str(row[0]): row for row in rows[1:]}
    assert set(by_number) == {hours.number, pay.number}
    assert by_number[pay.number][3] == '\'=HYPERLINK("http://evil.example","x")'
    filtered = downloaded(client_for(owner), f"{url}?topic={Topic.PAY}", fmt)
    assert [str(row[0]) for row in filtered[1:]] == [pay.number]


@pytest.mark.django_db
def test_cases_download_in_chinese(channel, buyer, owner):
    submit(channel)
    owner.language = "zh-hans"
    owner.save(update_fields=["language"])
    client = client_for(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    url = reverse("voice:case_export", kwargs={"org": buyer.slug, "fmt": "xlsx"})
    rows = downloaded(client, url, "xlsx")
    assert rows[0][0] == "申诉编号"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["voice:case_export", "voice:remedy_export"])
def test_another_organisation_gets_404(channel, buyer, other_buyer, name):
    submit(channel)
    url = reverse(name, kwargs={"org": buyer.slug, "fmt": "csv"})
    assert client_for(other_buyer).get(url).status_code == 404


@pytest.mark.django_db
def test_an_unknown_format_is_404(buyer, owner):
    url = reverse("voice:case_export", kwargs={"org": buyer.slug, "fmt": "pdf"})
    assert client_for(owner).get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_remedies_download_with_the_lists_filters(sneaky_site, facility, buyer, owner, fmt):
    site, _channel = sneaky_site
    back_pay = remedies.remedy_open(
        organisation=buyer,
        by=owner,
        facility=site,
        kind="back_pay",
        description="Back pay.",
        workers_covered=3,
        paid_by="supplier",
    )
    remedies.remedy_open(
        organisation=buyer,
        by=owner,
        facility=facility,
        kind="medical",
        description="Check-ups.",
        workers_covered=12,
        paid_by="supplier",
    )
    url = reverse("voice:remedy_export", kwargs={"org": buyer.slug, "fmt": fmt})
    rows = downloaded(client_for(owner), url, fmt)
    assert rows[0][:3] == ["Kind of remedy", "Site", "Workers covered"]
    assert len(rows) == 3
    filtered = downloaded(client_for(owner), f"{url}?kind=back_pay", fmt)
    assert len(filtered) == 2
    assert filtered[1][0] == back_pay.get_kind_display()
    assert filtered[1][1].startswith("'=HYPERLINK")
    assert str(filtered[1][2]) == "3"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_surveys_download_as_the_list_shows_them(facility, buyer, owner, other_buyer, fmt):
    from datetime import date, timedelta

    from stonebridge.voice.services.surveys import survey_create

    survey_create(
        organisation=buyer,
        by=owner,
        facility=facility,
        title="@Dust survey",
        opens_on=date.today(),
        closes_on=date.today() + timedelta(days=30),
    )
    url = reverse("voice:survey_export", kwargs={"org": buyer.slug, "fmt": fmt})
    rows = downloaded(client_for(owner), url, fmt)
    assert rows[0] == ["Title", "Facility", "Opens", "Closes", "Status"]
    assert [row[0] for row in rows[1:]] == ["'@Dust survey"]
    assert client_for(other_buyer).get(url).status_code == 404


@pytest.fixture
def meetings(supplier_org, supplier_user):
    from datetime import timedelta

    from django.utils import timezone

    from stonebridge.voice.services import procedures

    procedures.procedure_save(
        organisation=supplier_org, by=supplier_user, acknowledge_days=3, respond_days=14
    )
    today = timezone.localdate()
    for days, topics in ((30, "=加班费"), (2, "防尘口罩")):
        procedures.meeting_record(
            organisation=supplier_org,
            by=supplier_user,
            held_on=today - timedelta(days=days),
            workers_present=12,
            topics=topics,
            minutes="厂长和员工代表讨论。",
        )


@pytest.mark.django_db
@pytest.mark.usefixtures("meetings")
@pytest.mark.parametrize("fmt", FORMATS)
def test_dialogue_meetings_download_in_chinese(supplier_org, supplier_user, fmt):
    client = client_for(supplier_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    url = reverse("voice:factory_meetings_export", kwargs={"org": supplier_org.slug, "fmt": fmt})
    rows = downloaded(client, url, fmt)
    assert rows[0][:4] == ["开会日期", "厂矿", "参会员工人数", "讨论事项"]
    # Newest first, as the page lists them.
    assert [row[3] for row in rows[1:]] == ["防尘口罩", "'=加班费"]
    assert str(rows[1][2]) == "12"


@pytest.mark.django_db
@pytest.mark.usefixtures("meetings")
def test_dialogue_meetings_are_the_factorys_own(supplier_org, buyer, owner, other_buyer):
    url = reverse("voice:factory_meetings_export", kwargs={"org": supplier_org.slug, "fmt": "csv"})
    for outsider in (owner, other_buyer):
        assert client_for(outsider).get(url).status_code == 404
    # A buyer keeps no dialogue meetings of its own.
    own = reverse("voice:factory_meetings_export", kwargs={"org": buyer.slug, "fmt": "csv"})
    assert client_for(owner).get(own).status_code == 404
