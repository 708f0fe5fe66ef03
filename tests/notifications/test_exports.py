"""A person downloads their own notices as the list shows them, and nobody else's."""

import pytest
from django.urls import reverse

from stonebridge.notifications.services import mark_read, notify

from ..conftest import client_for
from ..downloads.sheets import downloaded


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_notices_download_unread_or_all(buyer, owner, other_buyer, fmt):
    (first,) = notify(users=[owner], organisation=buyer, kind="red_flag", message="=2+5", url="/")
    notify(users=[owner], organisation=buyer, kind="red_flag", message="Second", url="/")
    notify(users=[other_buyer], organisation=None, kind="red_flag", message="Theirs", url="/")
    mark_read(user=owner, notification=first)
    url = reverse("notifications:export", kwargs={"fmt": fmt})
    unread = downloaded(client_for(owner), url, fmt)
    assert unread[0][:2] == ["Kind", "Message"]
    assert [row[1] for row in unread[1:]] == ["Second"]
    every = downloaded(client_for(owner), f"{url}?show=all", fmt)
    assert sorted(row[1] for row in every[1:]) == ["'=2+5", "Second"]


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in():
    url = reverse("notifications:export", kwargs={"fmt": "csv"})
    assert client_for(None).get(url).status_code == 302
