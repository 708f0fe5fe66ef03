import pytest
from django.db import connection

from stonebridge.voice import receipts
from stonebridge.voice.models import Case, Route
from stonebridge.voice.services.intake import Locked, case_open

from .conftest import submit


def test_a_receipt_opens_its_case_and_nothing_else(channel):
    case, secret = submit(channel)
    assert len(case.number) == 6
    assert len(secret) == 12
    assert case_open(number=case.number, secret=secret) == case
    assert case_open(number=case.number, secret="000000000000") is None


def test_only_a_hash_of_the_secret_and_no_plaintext_reach_the_database(channel):
    case, secret = submit(channel, anonymous=False, contact_phone="13905951234")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM voice_case WHERE id = %s", [case.pk])
        raw = " ".join(str(v) for v in cursor.fetchone())
    for plain in (secret, "13905951234", "加班"):
        assert plain not in raw
    assert Case.objects.get(pk=case.pk).contact_phone == "13905951234"


def test_five_wrong_secrets_lock_the_case_for_an_hour(channel):
    case, secret = submit(channel, route=Route.COMMITTEE)
    for _ in range(4):
        assert case_open(number=case.number, secret="111111111111") is None
    with pytest.raises(Locked):
        case_open(number=case.number, secret="111111111111")
    with pytest.raises(Locked):
        case_open(number=case.number, secret=secret)


def test_a_number_no_case_has_locks_like_a_real_one(db):
    """Locking tells nobody which case numbers exist."""
    for _attempt in range(receipts.WRONG_SECRETS_BEFORE_LOCK - 1):
        assert case_open(number="999999", secret="000000000000") is None
    with pytest.raises(Locked):
        case_open(number="999999", secret="000000000000")
