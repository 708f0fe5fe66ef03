"""A form sent after its page expired (the person logged in again elsewhere) explains what
happened in both languages and gives back what was typed, never a password."""

from django.test import Client
from django.urls import reverse

SITE = "http://testserver"


def expired_post(user, url, data, origin=SITE):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client.post(url, data, headers={"Origin": origin, "Referer": f"{origin}{url}"})


def test_an_expired_form_explains_and_gives_back_the_text(owner):
    url = reverse("accounts:account")
    response = expired_post(
        owner, url, {"name": "Anna 安娜", "note": "宿舍每间住8人。", "password": "s3cret-pass"}
    )
    body = response.content.decode()
    assert response.status_code == 403
    assert "This page had expired: nothing was sent." in body
    assert "此页面已过期，内容还没有发送。" in body
    assert ">宿舍每间住8人。</textarea>" in body
    assert "s3cret-pass" not in body
    assert f'href="{SITE}{url}">Back to the form' in body


def test_a_chinese_reader_reads_chinese_first(owner):
    owner.language = "zh-hans"
    owner.save(update_fields=["language"])
    body = expired_post(owner, reverse("accounts:account"), {"name": "x"}).content.decode()
    assert '<html lang="zh-hans">' in body
    assert body.index("此页面已过期") < body.index("This page had expired")


def test_a_form_from_another_site_gets_no_words_shown_on_ours(owner):
    response = expired_post(
        owner, reverse("accounts:account"), {"name": "Call +1 555 0100"}, origin="https://evil.test"
    )
    body = response.content.decode()
    assert "This page had expired" in body
    assert "555 0100" not in body
    assert "Back to the form" not in body
