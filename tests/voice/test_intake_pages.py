"""The public grievance form a worker opens from the poster: no login, Chinese, light, and
nothing saved unless everything is right."""

import io
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image

from stonebridge.voice import limits
from stonebridge.voice.models import Attachment, Case, Sponsor

URL = "/v/k7Qm2xPa/"
STATIC = Path(__file__).resolve().parents[2] / "stonebridge" / "voice" / "static" / "voice"
FIRST_VISIT_BUDGET = 60_000


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def post(data=None, files=None, client=None):
    values = {
        "topic": "hours",
        "description": "每个月加班超过一百个小时。",
        "anonymous": "yes",
        "route": "buyers",
        "consent_abroad": "on",
        **(data or {}),
    }
    return (client or Client()).post(URL, {**values, **(files or {})})


def jpeg_with_exif() -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    Image.new("RGB", (40, 30), "grey").save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_the_form_opens_without_login_in_chinese(channel):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert "南安市水头鑫源石材厂" in body
    assert "加班太多，休息太少" in body
    assert 'lang="zh-Hans"' in body


def test_file_inputs_ask_only_for_broad_types(channel):
    body = Client().get(URL).content.decode()
    assert re.search(r'<input type="file" name="voice" accept="audio/\*" capture', body)
    assert 'accept="image/*"' in body
    accepts = re.findall(r'accept="([^"]*)"', body)
    assert sorted(accepts) == ["audio/*", "image/*"]


def test_the_worker_is_told_the_voice_is_deleted_before_choosing_it(channel):
    body = Client().get(URL).content.decode()
    assert body.index("删掉录音") < body.index('name="voice"')


def test_the_pages_are_never_cached_and_set_no_cookie(channel):
    for response in (Client().get(URL), post()):
        assert "no-store" in response["Cache-Control"]
        assert not response.cookies


def test_a_sponsor_is_named_only_if_it_chose_to_be(channel, buyer):
    assert buyer.name not in Client().get(URL).content.decode()
    Sponsor.objects.filter(channel=channel).update(named=True)
    assert buyer.name in Client().get(URL).content.decode()


def test_the_worker_chooses_among_the_readers_the_channel_has(channel, covenant_org):
    body = Client().get(URL).content.decode()
    for reader in ("工厂自己的员工申诉委员会", 'value="buyers"', 'value="covenant"'):
        assert reader in body


def test_a_sent_grievance_shows_the_receipt_in_groups_once(channel):
    response = post()
    body = response.content.decode()
    case = Case.objects.get()
    assert response.status_code == 200
    assert case.number in body
    assert re.search(r"\d{4} \d{4} \d{4}", body)
    assert "截屏" in body
    assert "找不回" in body


def test_missing_answers_come_back_as_field_errors_and_nothing_is_saved(channel):
    response = post({"topic": "", "description": "", "consent_abroad": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_topic_error"' in body
    assert 'id="id_description_error"' in body
    assert "要您同意" in body
    assert Case.objects.count() == 0


def test_contact_details_are_needed_when_not_anonymous(channel):
    response = post({"anonymous": "no"})
    assert 'id="id_contact_phone_error"' in response.content.decode()
    assert Case.objects.count() == 0
    post({"anonymous": "no", "contact_name": "李", "contact_phone": "13905951234"})
    assert Case.objects.get().contact_phone == "13905951234"


def test_a_filled_trap_box_saves_nothing(channel):
    response = post({"website": "http://spam.example"})
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_past_the_hours_limit_a_clear_page_with_429(channel):
    client = Client()
    for _ in range(limits.LIMITS["submit"]):
        assert post(client=client).status_code == 200
    response = post(client=client)
    assert response.status_code == 429
    assert "一小时" in response.content.decode()
    assert Case.objects.count() == limits.LIMITS["submit"]


def test_a_photo_loses_its_exif(channel):
    photo = SimpleUploadedFile("p.jpg", jpeg_with_exif(), content_type="image/jpeg")
    post(files={"photo": photo})
    stored = Attachment.objects.get(kind="photo").content
    assert b"PhoneMaker" not in stored
    assert Image.open(io.BytesIO(stored)).getexif() == {}


def test_a_file_that_is_not_a_photo_is_refused(channel):
    fake = SimpleUploadedFile("p.jpg", b"not an image", content_type="image/jpeg")
    response = post(files={"photo": fake})
    assert 'id="id_photo_error"' in response.content.decode()
    assert Case.objects.count() == 0


def test_a_voice_message_needs_the_sensitive_consent(channel):
    def voice():
        return SimpleUploadedFile("v.amr", b"#!AMR\n" + b"\0" * 100, content_type="audio/amr")

    response = post({"description": ""}, files={"voice": voice()})
    assert 'id="id_consent_sensitive_error"' in response.content.decode()
    post({"description": "", "consent_sensitive": "on"}, files={"voice": voice()})
    assert Attachment.objects.get().kind == "voice"


def test_an_unknown_link_is_not_found(channel):
    assert Client().get("/v/nothere2/").status_code == 404


def test_the_first_visit_weighs_at_most_60_kb(channel):
    html = Client().get(URL).content
    assets = re.findall(rb'(?:href|src)="/static/voice/([^"]+)"', html)
    assert sorted(assets) == [b"intake.js", b"public.css"]
    weight = len(html) + sum(len((STATIC / a.decode()).read_bytes()) for a in assets)
    assert weight <= FIRST_VISIT_BUDGET


def test_an_upload_beyond_the_limits_is_refused_before_reading_it(channel):
    response = Client().post(URL, {"topic": "hours"}, CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert response.status_code == 413
    assert "文件太大了" in response.content.decode()
    assert Case.objects.count() == 0


@override_settings(WORKER_DATA_IN_CHINA=False)
def test_hosted_outside_china_even_the_committee_route_asks_to_send_it_abroad(channel):
    page = Client().get(URL).content.decode()
    assert 'data-route="committee buyers"' in page
    assert "我同意把我的申诉存在国外" in page
    response = post({"route": "committee", "consent_abroad": ""})
    assert response.status_code == 400
    assert "存在国外的电脑上" in response.content.decode()
    assert Case.objects.count() == 0
    assert post({"route": "committee", "consent_abroad": "on"}).status_code == 200
    assert Case.objects.get().consent_abroad_at is not None


def test_hosted_in_china_the_committee_route_stays_in_china(channel):
    assert post({"route": "committee", "consent_abroad": ""}).status_code == 200
    assert Case.objects.get().consent_abroad_at is None
