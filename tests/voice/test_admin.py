"""Staff see the facts of a grievance in the admin, never the worker's identity or words."""

import pytest
from django.urls import reverse

from stonebridge.voice.models import Attachment, Message

from ..supplychain.test_merge import staff_client
from .test_protection import DESCRIPTION, PHONE, named_case

PAGES = [
    ("admin:voice_case_changelist", None),
    ("admin:voice_case_change", "case"),
    ("admin:voice_message_change", "message"),
    ("admin:voice_attachment_change", "attachment"),
    ("admin:voice_channel_change", "channel"),
]


@pytest.mark.parametrize(("name", "target"), PAGES)
def test_admin_pages_show_the_facts_but_no_identity_or_words(name, target, channel, client):
    case = named_case(channel)
    objects = {
        "case": case,
        "message": Message.objects.get(),
        "attachment": Attachment.objects.get(),
        "channel": channel,
    }
    url = reverse(name, args=[objects[target].pk]) if target else reverse(name)
    response = staff_client(client).get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert ("k7Qm2xPa" if target == "channel" else case.number) in body
    for secret in (PHONE, DESCRIPTION, "王小明"):
        assert secret not in body
