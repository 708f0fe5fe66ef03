"""The worker follows a case with the receipt code: reads the handlers' messages, answers, and
says whether the outcome is satisfying. Nothing tells a stranger which case numbers exist."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client

from stonebridge.audit.models import Entry
from stonebridge.voice import limits
from stonebridge.voice.models import Case, CaseState, Message, Sender
from stonebridge.voice.services.worker import worker_feedback, worker_reply

from .conftest import submit

URL = "/v/case/"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


@pytest.fixture
def filed(channel):
    return submit(channel)


def open_case(case, secret, client=None, **extra):
    return (client or Client()).post(URL, {"number": case.number, "secret": secret, **extra})


def test_the_case_page_asks_for_the_two_numbers(db):
    response = Client().get(URL)
    assert response.status_code == 200
    assert "查询码" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_the_receipt_opens_the_case_in_plain_words(filed):
    case, secret = filed
    response = open_case(case, f"{secret[:4]} {secret[4:8]}-{secret[8:]}")
    body = response.content.decode()
    assert response.status_code == 200
    assert f"申诉 {case.number}" in body
    assert "还没有人回复" in body
    assert not response.cookies


def test_a_wrong_number_and_a_wrong_code_look_the_same(filed):
    case, _ = filed
    other = "100000" if case.number != "100000" else "100001"
    wrong_code = open_case(case, "000000000000")
    wrong_number = Client().post(URL, {"number": other, "secret": "000000000000"})
    assert wrong_code.status_code == wrong_number.status_code == 400
    assert wrong_code.content.replace(case.number.encode(), other.encode()) == wrong_number.content


def test_the_worker_reads_handler_messages_but_never_internal_notes(filed, supplier_org):
    case, secret = filed
    Message.objects.create(
        case=case,
        sender=Sender.HANDLER,
        organisation=supplier_org,
        body="请问是哪个车间",
        question=True,
    )
    Message.objects.create(
        case=case,
        sender=Sender.HANDLER,
        organisation=supplier_org,
        body="内部：先查考勤",
        internal=True,
    )
    body = open_case(case, secret).content.decode()
    assert "请问是哪个车间" in body
    assert "请回答问题" in body
    assert "先查考勤" not in body


def test_the_worker_answers_and_the_case_stays_where_it_was(filed):
    case, secret = filed
    response = open_case(case, secret, do="reply", text="切割车间，晚上十点以后。")
    assert "您的回复已发送" in response.content.decode()
    reply = Message.objects.get(case=case)
    assert (reply.sender, reply.body) == (Sender.WORKER, "切割车间，晚上十点以后。")
    assert Case.objects.get(pk=case.pk).state == CaseState.RECEIVED


def test_an_empty_answer_is_an_error_and_saves_nothing(filed):
    case, secret = filed
    response = open_case(case, secret, do="reply", text=" ")
    assert 'id="id_text_error"' in response.content.decode()
    assert not Message.objects.exists()


def test_a_wrong_code_cannot_post_an_answer(filed):
    case, _ = filed
    open_case(case, "111111111111", do="reply", text="假的")
    assert not Message.objects.exists()


def test_the_satisfaction_question_shows_only_once_resolved(filed):
    case, secret = filed
    assert "事情处理得您满意吗" not in open_case(case, secret).content.decode()
    Case.objects.filter(pk=case.pk).update(state=CaseState.RESOLVED)
    assert "事情处理得您满意吗" in open_case(case, secret).content.decode()


def test_the_workers_view_closes_the_case_and_the_log_keeps_no_words(filed):
    case, secret = filed
    Case.objects.filter(pk=case.pk).update(state=CaseState.RESOLVED)
    response = open_case(case, secret, do="feedback", satisfied="no", view="加班还是很多")
    assert "已经结束" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert case.closed_at is not None
    assert (case.worker_satisfied, case.worker_view) == (False, "加班还是很多")
    entry = Entry.objects.get(verb="voice.case_closed_by_worker")
    assert entry.changes == {"satisfied": False}
    assert "加班" not in str(entry.changes) + entry.target_label


def test_feedback_before_an_answer_is_refused(filed):
    case, _ = filed
    with pytest.raises(ValidationError):
        worker_feedback(case=case, satisfied=True, view="")
    assert Case.objects.get(pk=case.pk).state == CaseState.RECEIVED


def test_a_closed_case_takes_no_more_answers(filed):
    case, _ = filed
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        worker_reply(case=case, text="还有一件事")


def test_after_five_wrong_codes_the_page_says_the_case_is_locked(filed):
    case, secret = filed
    client = Client()
    for _ in range(4):
        open_case(case, "111111111111", client)
    response = open_case(case, "111111111111", client)
    assert response.status_code == 429
    assert "一小时" in response.content.decode()
    assert open_case(case, secret, client).status_code == 429


def test_too_many_tries_from_one_address_get_429(filed):
    case, secret = filed
    client = Client()
    for _ in range(limits.LIMITS["receipt"]):
        open_case(case, secret, client)
    response = open_case(case, secret, client)
    assert response.status_code == 429
    assert "试的次数太多了" in response.content.decode()


def test_the_same_answer_sent_twice_is_kept_once(filed):
    case, _ = filed
    worker_reply(case=case, text="是大板车间。")
    worker_reply(case=case, text="是大板车间。")
    assert Message.objects.filter(case=case).count() == 1
