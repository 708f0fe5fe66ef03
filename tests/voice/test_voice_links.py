import io
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command

from stonebridge.voice.services.surveys import survey_close, survey_create


def links(*args):
    out = io.StringIO()
    call_command("voice_links", *args, stdout=out)
    return out.getvalue().split()


def test_the_facilitys_public_link_is_printed(channel, facility, buyer):
    assert links(str(facility.pk), "--organisation", buyer.slug) == [
        "http://testserver/v/k7Qm2xPa/"
    ]


def test_a_facility_the_organisation_does_not_sponsor_is_an_error(
    channel, facility, other_buyer_org
):
    with pytest.raises(CommandError):
        links(str(facility.pk), "--organisation", other_buyer_org.slug)


def test_an_unknown_facility_or_organisation_is_an_error(channel, facility, buyer):
    with pytest.raises(CommandError):
        links("999999", "--organisation", buyer.slug)
    with pytest.raises(CommandError):
        links(str(facility.pk), "--organisation", "nobody")


def test_the_facilitys_open_surveys_are_printed_after_the_intake_link(
    channel, facility, buyer, owner
):
    survey = survey_create(
        organisation=buyer,
        by=owner,
        facility=facility,
        title="跟进调查",
        opens_on=date.today(),
        closes_on=date.today() + timedelta(days=30),
    )
    closed = survey_create(
        organisation=buyer,
        by=owner,
        facility=facility,
        title="首次调查",
        opens_on=date.today(),
        closes_on=date.today() + timedelta(days=30),
    )
    survey_close(survey=closed, by=owner)
    assert links(str(facility.pk), "--organisation", buyer.slug) == [
        "http://testserver/v/k7Qm2xPa/",
        f"http://testserver/v/s/{survey.token}/",
    ]
