"""A while after a grievance closes, what could identify the worker is erased; the facts stay."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from stonebridge.audit.models import Entry
from stonebridge.voice.models import Attachment, Case, CaseState, Message, Sender

from ..test_settings import KEY, start
from .test_protection import PHONE, named_case


def close(case, days_ago):
    Case.objects.filter(pk=case.pk).update(
        state=CaseState.CLOSED,
        closed_at=timezone.now() - timedelta(days=days_ago),
        outcome="Masks handed out; dust extraction installed.",
        worker_satisfied=True,
        worker_view="口罩发了，好多了。",
    )


def erase():
    out = StringIO()
    call_command("voice_retention", stdout=out)
    return out.getvalue()


@pytest.fixture
def old_case(channel):
    case = named_case(channel)
    Message.objects.create(case=case, sender=Sender.HANDLER, body="王先生，我们会打电话给你。")
    close(case, days_ago=400)
    return case


def test_identity_contact_words_and_files_are_erased_after_the_retention_period(old_case):
    assert "Erased the personal data of 1 grievances" in erase()
    case = Case.objects.get()
    assert (case.contact_name, case.contact_phone, case.description, case.worker_view) == (
        "",
        "",
        "",
        "",
    )
    assert case.erased_at is not None
    assert not Attachment.objects.exists()
    assert set(Message.objects.values_list("body", flat=True)) == {""}


def test_the_facts_of_the_case_are_kept(old_case):
    before = Case.objects.get()
    erase()
    case = Case.objects.get()
    kept = ["number", "topic", "issue_id", "route", "state", "received_at", "closed_at", "outcome"]
    assert [getattr(case, f) for f in kept] == [getattr(before, f) for f in kept]
    assert case.worker_satisfied is True
    assert Message.objects.count() == 2


def test_each_erasure_is_logged_for_the_case_s_readers_without_content(old_case, buyer):
    erase()
    entry = Entry.objects.get(verb="voice.case_erased")
    assert entry.organisation == buyer
    assert entry.changes["photos_deleted"] == 1
    assert PHONE not in str(entry.changes)
    assert "王小明" not in str(entry.changes)


def test_running_it_again_changes_nothing(old_case):
    erase()
    erased_at = Case.objects.get().erased_at
    assert "of 0 grievances" in erase()
    assert Case.objects.get().erased_at == erased_at
    assert Entry.objects.filter(verb="voice.case_erased").count() == 1


def test_open_and_recently_closed_cases_are_untouched(channel):
    recent = named_case(channel)
    close(recent, days_ago=10)
    still_open = named_case(channel)
    Case.objects.filter(pk=still_open.pk).update(
        closed_at=timezone.now() - timedelta(days=400), state=CaseState.IN_PROGRESS
    )
    erase()
    assert list(Case.objects.values_list("contact_phone", flat=True)) == [PHONE, PHONE]
    assert Attachment.objects.count() == 2


@override_settings(VOICE_RETENTION_DAYS=30)
def test_the_period_comes_from_the_setting(channel):
    case = named_case(channel)
    close(case, days_ago=31)
    erase()
    assert Case.objects.get().contact_phone == ""


def test_a_retention_period_below_one_day_stops_the_start():
    needed = {
        "SECRET_KEY": "x",
        "AUDIT_KEY": "x",
        "WORKER_REF_KEY": "x",
        "FIELD_ENCRYPTION_KEY": KEY,
        "SITE_URL": "https://sb.example.org",
    }
    assert (
        "VOICE_RETENTION_DAYS must be at least 1"
        in start({**needed, "VOICE_RETENTION_DAYS": "0"}).stderr
    )
    assert (
        "VOICE_RETENTION_DAYS must be a whole number"
        in start({**needed, "VOICE_RETENTION_DAYS": "a year"}).stderr
    )


def test_the_buyer_reads_the_erasure_in_its_log(old_case, owner):
    from django.urls import reverse

    from ..conftest import client_for

    erase()
    page = client_for(owner).get(reverse("accounts:audit_log", args=["noordsteen"]))
    body = page.content.decode()
    assert "personal data erased" in body
    assert "photos deleted" in body
    assert PHONE not in body
