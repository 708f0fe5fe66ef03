from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.services import api_token_create
from stonebridge.notifications.models import Notification
from stonebridge.notifications.services import mark_read, notify, today_for

from ..conftest import UserFactory, client_for

# A string the catalogue already translates, so the language of a notice can be checked today.
WELCOME = _("Welcome to %(organisation)s.")


def tell(users, buyer, *, key="", message=WELCOME, params=None, kind="red_flag"):
    return notify(
        users=users,
        organisation=buyer,
        kind=kind,
        message=message,
        params={"organisation": buyer.name} if params is None else params,
        url=f"/o/{buyer.slug}/",
        key=key,
    )


def test_each_person_reads_the_notice_in_their_own_language(
    owner, supplier_user, buyer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        english, chinese = tell([owner, supplier_user], buyer)
    # The buyer's name is set apart by isolate marks, so that pages can mark its language.
    assert english.message == f"Welcome to \u2068{buyer.name}\u2069."
    assert chinese.message == f"欢迎加入 \u2068{buyer.name}\u2069。"


def test_dates_in_a_notice_are_written_the_way_the_reader_writes_them(owner, supplier_user, buyer):
    english, chinese = tell(
        [owner, supplier_user],
        buyer,
        message="%(when)s",
        params={"when": date(2026, 3, 10)},
    )
    assert english.message == "10 Mar 2026"
    assert chinese.message == "2026年3月10日"


def test_the_email_carries_the_message_and_the_full_link(
    owner, buyer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = tell([owner], buyer)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [owner.email]
    assert "Anna de Vries" in email.body
    assert "Welcome to Noordsteen Natuursteen B.V." in email.body
    assert f"http://testserver/o/{buyer.slug}/" in email.body
    assert "http://testserver/notifications/" in email.body
    assert email.subject == "StoneBridge: Red flag raised"
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_chinese_speaker_gets_the_email_in_chinese(
    owner, supplier_user, buyer, django_capture_on_commit_callbacks
):
    # Passes once the notification strings are translated in the catalogue.
    with django_capture_on_commit_callbacks(execute=True):
        tell([owner, supplier_user], buyer)
    by_address = {email.to[0]: email for email in mail.outbox}
    english, chinese = by_address[owner.email], by_address[supplier_user.email]
    assert english.subject != chinese.subject
    assert any("\u4e00" <= c <= "\u9fff" for c in chinese.subject)
    assert f"欢迎加入 {buyer.name}。" in chinese.body
    assert "Hello" not in chinese.body


def test_no_email_before_the_change_is_committed(owner, buyer):
    tell([owner], buyer)
    assert mail.outbox == []


def test_the_same_reminder_is_not_sent_twice(owner, buyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = tell([owner], buyer, key="action-7-due-2026-03-10")
        second = tell([owner, owner], buyer, key="action-7-due-2026-03-10")
    assert len(first) == 1
    assert second == []
    assert Notification.objects.filter(user=owner).count() == 1
    assert len(mail.outbox) == 1


def test_a_person_listed_twice_is_told_once_and_a_closed_account_not_at_all(owner, viewer, buyer):
    viewer.is_active = False
    viewer.save()
    created = tell([owner, owner, viewer], buyer)
    assert [n.user for n in created] == [owner]


def test_a_notice_links_only_to_this_site(owner, buyer):
    with pytest.raises(ValueError, match="path on this site"):
        notify(
            users=[owner],
            organisation=buyer,
            kind="red_flag",
            message="x",
            url="//evil.example/",
        )
    assert not Notification.objects.exists()


def test_today_depends_on_where_the_person_is(db):
    shanghai = UserFactory(time_zone="Asia/Shanghai")
    los_angeles = UserFactory(time_zone="America/Los_Angeles")
    instant = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
    assert today_for(shanghai, now=instant) == date(2026, 3, 11)
    assert today_for(los_angeles, now=instant) == date(2026, 3, 10)


def test_an_unknown_time_zone_falls_back_to_the_sites(db, settings):
    settings.TIME_ZONE = "UTC"
    nowhere = UserFactory(time_zone="Mars/Olympus_Mons")
    assert today_for(nowhere, now=datetime(2026, 3, 10, 23, 30, tzinfo=UTC)) == date(2026, 3, 10)


# --- pages -------------------------------------------------------------------------------------


def test_the_list_shows_only_ones_own_unread_notices(
    owner, other_buyer, buyer, django_assert_num_queries
):
    tell([owner], buyer, message="For Anna only.", params={})
    tell([other_buyer], buyer, message="For Steinwerk only.", params={})
    read = tell([owner], buyer, message="Already read.", params={})[0]
    mark_read(user=owner, notification=read)
    client = client_for(owner)
    client.get(reverse("notifications:list"))  # warm the session
    # Session, user, organisations in the header, unread count, the count and page of notices.
    with django_assert_num_queries(6):
        body = client.get(reverse("notifications:list")).content.decode()
    assert "For Anna only." in body
    assert "For Steinwerk only." not in body
    assert "Already read." not in body
    assert '<span class="badge">1</span>' in body
    body = client.get(reverse("notifications:list"), {"show": "all"}).content.decode()
    assert "Already read." in body


def test_the_list_says_when_there_is_nothing(owner):
    body = client_for(owner).get(reverse("notifications:list")).content.decode()
    assert "You have no unread notifications." in body
    assert 'class="badge"' not in body


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(owner, buyer):
    (notification,) = tell([owner], buyer)
    response = client_for(owner).post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/o/{buyer.slug}/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_persons_notice_is_not_found(owner, other_buyer, buyer):
    (notification,) = tell([owner], buyer)
    client = client_for(other_buyer)
    for name in ("notifications:open", "notifications:read"):
        assert client.post(reverse(name, args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_one_read_with_htmx_returns_its_row(owner, buyer):
    (notification,) = tell([owner], buyer)
    response = client_for(owner).post(
        reverse("notifications:read", args=[notification.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="notification-{notification.pk}"' in response.content.decode()
    assert "Mark as read" not in response.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_read_all_marks_only_ones_own(owner, other_buyer, buyer):
    tell([owner, other_buyer], buyer)
    tell([owner], buyer, message="Second.", params={})
    response = client_for(owner).post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=owner).unread().exists()
    assert Notification.objects.filter(user=other_buyer).unread().count() == 1


# --- API ---------------------------------------------------------------------------------------


@pytest.fixture
def api_for():
    from django.test import Client

    def make(user):
        secret = api_token_create(user=user, name="test")[1]
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return make


def test_the_api_lists_ones_own_notices_in_pages(api_for, owner, other_buyer, buyer):
    tell([owner, other_buyer], buyer)
    tell([owner], buyer, message="Second.", params={})
    api = api_for(owner)
    body = api.get("/api/notifications", {"page_size": 1}).json()
    assert body["count"] == 2
    assert body["items"][0]["message"] == "Second."
    assert body["items"][0]["organisation"] == buyer.slug
    assert body["items"][0]["kind"] == "red_flag"


def test_the_api_marks_read(api_for, owner, other_buyer, buyer):
    (notification,) = tell([owner], buyer)
    tell([owner], buyer, message="Second.", params={})
    assert api_for(other_buyer).post(f"/api/notifications/{notification.pk}/read").status_code == (
        404
    )
    api = api_for(owner)
    response = api.post(f"/api/notifications/{notification.pk}/read")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    assert api.get("/api/notifications", {"unread": True}).json()["count"] == 1
    assert api.post("/api/notifications/read-all").json() == {"marked": 1}
    assert api.get("/api/notifications", {"unread": True}).json()["count"] == 0
    assert api.get("/api/notifications", {"unread": False}).json()["count"] == 2
