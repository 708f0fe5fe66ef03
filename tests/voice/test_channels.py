"""A buyer opens grievance channels at facilities of its chain, chooses whether workers see its
name, says which supplier runs the factory's committee, and prints the poster."""

import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from stonebridge.audit.models import Entry
from stonebridge.engagement.services import relationships
from stonebridge.supplychain.services import facility_create
from stonebridge.voice.models import Channel, Sponsor
from stonebridge.voice.services import channels

from ..conftest import client_for


@pytest.fixture
def engaged(buyer, owner, facility, supplier_org, supplier_user):
    """The buyer engages the facility through Haichen, which accepted the sharing."""
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=facility, supplier=supplier_org
    )
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)
    return facility


def page(buyer):
    return f"/o/{buyer.slug}/voice/channels/"


def test_a_channel_opens_at_a_facility_the_buyer_engages(buyer, owner, engaged):
    response = client_for(owner).post(page(buyer), {"facility": engaged.pk})
    assert response.status_code == 302
    channel = Channel.objects.get(facility=engaged)
    assert len(channel.token) == 8
    assert set(channel.token) <= set(channels.TOKEN_ALPHABET)
    assert not set(channel.token) & set("0O1lI")
    assert Sponsor.objects.get(channel=channel).organisation == buyer
    assert Entry.objects.filter(verb="voice.channel_opened", organisation=buyer).exists()
    body = client_for(owner).get(page(buyer)).content.decode()
    assert f"http://testserver/v/{channel.token}/" in body


def test_a_second_buyer_joins_the_same_channel(buyer, owner, engaged, other_buyer_org, other_buyer):
    first = channels.channel_open(organisation=buyer, by=owner, facility=engaged)
    relationships.relationship_create(
        organisation=other_buyer_org, by=other_buyer, facility=engaged
    )
    second = channels.channel_open(organisation=other_buyer_org, by=other_buyer, facility=engaged)
    assert second.channel == first.channel
    assert Channel.objects.count() == 1


def test_a_facility_outside_the_chain_is_refused(buyer, owner, other_buyer):
    elsewhere = facility_create(organisation=buyer, by=owner, kind="quarry", name_zh="某某石场")
    with pytest.raises(ValidationError):
        channels.channel_open(organisation=buyer, by=owner, facility=elsewhere)
    assert not Channel.objects.exists()


def test_the_buyer_chooses_to_be_named(buyer, owner, channel):
    url = f"{page(buyer)}{channel.pk}/named/"
    client_for(owner).post(url, {"named": "1"})
    assert Sponsor.objects.get(channel=channel).named
    assert Entry.objects.filter(verb="voice.sponsor_named").exists()
    client_for(owner).post(url, {"named": "0"})
    assert not Sponsor.objects.get(channel=channel).named


def test_only_a_supplier_that_accepted_may_run_the_committee(
    buyer, owner, engaged, supplier_org, other_buyer_org
):
    sponsor = channels.channel_open(organisation=buyer, by=owner, facility=engaged)
    url = f"{page(buyer)}{sponsor.channel_id}/factory/"
    response = client_for(owner).post(url, {"factory": other_buyer_org.pk})
    assert Channel.objects.get().factory is None
    client_for(owner).post(url, {"factory": supplier_org.pk})
    assert Channel.objects.get().factory == supplier_org
    assert Entry.objects.filter(verb="voice.channel_factory_set").count() == 1
    assert response.status_code == 400


def test_a_viewer_reads_but_changes_nothing(buyer, viewer, channel):
    response = client_for(viewer).post(f"{page(buyer)}{channel.pk}/named/", {"named": "1"})
    assert response.status_code == 403
    assert not Sponsor.objects.get(channel=channel).named
    assert "南安市水头鑫源石材厂" in client_for(viewer).get(page(buyer)).content.decode()


def test_another_buyer_sees_nothing_of_the_channel(buyer, channel, other_buyer):
    for url in (
        f"{page(buyer)}{channel.pk}/poster.pdf",
        f"/o/steinwerk/voice/channels/{channel.pk}/poster.pdf",
    ):
        assert client_for(other_buyer).get(url).status_code == 404


def test_the_poster_names_the_facility_the_link_and_forbids_retaliation(buyer, owner, channel):
    response = client_for(owner).get(f"{page(buyer)}{channel.pk}/poster.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = "".join(text.split())
    assert "南安市水头鑫源石材厂" in text
    assert "http://testserver/v/k7Qm2xPa/" in text
    assert "打击报复" in text
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1
