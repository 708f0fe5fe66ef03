import io

import pytest
from django.core.management import CommandError, call_command


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
