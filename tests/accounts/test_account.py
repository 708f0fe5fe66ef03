from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from stonebridge.accounts.models import ApiToken, Membership, hash_secret

from ..conftest import client_for


def test_a_person_sets_language_and_time_zone(owner, buyer):
    client = client_for(owner)
    client.post(
        reverse("accounts:account"),
        {"name": "Anna", "language": "zh-hans", "time_zone": "Asia/Shanghai"},
    )
    owner.refresh_from_db()
    assert (owner.language, owner.time_zone) == ("zh-hans", "Asia/Shanghai")
    page = client.get(reverse("accounts:organisation", args=[buyer.slug])).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "成员" in page


def test_times_are_shown_in_the_persons_time_zone(owner, buyer):
    client = client_for(owner)
    client.post(
        reverse("accounts:account"),
        {"name": "Anna", "language": "en", "time_zone": "Asia/Shanghai"},
    )
    page = client.get(reverse("accounts:audit_log", args=[buyer.slug])).content.decode()
    now_in_shanghai = timezone.now().astimezone(timezone.get_fixed_timezone(8 * 60))
    assert f"{now_in_shanghai.day} {now_in_shanghai:%b %Y, %H}:" in page


def test_an_unknown_time_zone_is_a_field_error(owner):
    response = client_for(owner).post(
        reverse("accounts:account"), {"language": "en", "time_zone": "Mars/Olympus"}
    )
    assert "Select a valid choice" in response.content.decode()
    owner.refresh_from_db()
    assert owner.time_zone == "Europe/Amsterdam"


def test_the_language_switch_is_remembered_for_a_logged_in_person(owner):
    client_for(owner).post(
        reverse("accounts:language"), {"language": "zh-hans", "next": "/account/"}
    )
    owner.refresh_from_db()
    assert owner.language == "zh-hans"


def test_the_language_switch_works_before_login(client):
    client.post(reverse("accounts:language"), {"language": "zh-hans", "next": "/accounts/login/"})
    assert "登录" in client.get(reverse("accounts:login")).content.decode()


def test_an_api_token_is_shown_once_and_stored_hashed(owner):
    client = client_for(owner)
    page = client.post(reverse("accounts:api_tokens"), {"name": "ERP export"}).content.decode()
    token = ApiToken.objects.get(user=owner)
    secret = page.split('id="new-token">')[1].split("<")[0]
    assert secret.startswith("sb_")
    assert token.key_hash == hash_secret(secret)
    assert secret not in client.get(reverse("accounts:api_tokens")).content.decode()
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_a_revoked_token_stops_working(owner):
    client = client_for(owner)
    page = client.post(reverse("accounts:api_tokens"), {"name": "ERP"}).content.decode()
    secret = page.split('id="new-token">')[1].split("<")[0]
    token = ApiToken.objects.get(user=owner)
    client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert client_for(None).get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_a_token_without_a_name_is_a_field_error(owner):
    page = client_for(owner).post(reverse("accounts:api_tokens"), {"name": ""}).content.decode()
    assert "This field is required." in page
    assert not ApiToken.objects.exists()


def new_token(client, **fields) -> str:
    page = client.post(reverse("accounts:api_tokens"), {"name": "ERP", **fields}).content.decode()
    return page.split('id="new-token">')[1].split("<")[0]


def test_a_token_stops_working_when_it_expires(owner):
    client = client_for(owner)
    secret = new_token(client, valid_days="30")
    token = ApiToken.objects.get(user=owner)
    assert (token.expires_at - timezone.now()).days == 29
    anonymous = client_for(None)
    assert anonymous.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert anonymous.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert "You have no API tokens." in client.get(reverse("accounts:api_tokens")).content.decode()


def test_a_token_made_without_expiry_works_until_revoked(owner):
    client = client_for(owner)
    new_token(client, valid_days="")
    assert ApiToken.objects.get(user=owner).expires_at is None


def test_a_read_only_token_reads_but_cannot_write(owner, viewer, buyer):
    secret = new_token(client_for(owner), read_only="on", valid_days="90")
    api = client_for(None)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    members = api.get(f"/api/organisations/{buyer.slug}/members", **auth)
    assert members.status_code == 200
    membership = Membership.objects.get(user=viewer)
    response = api.patch(
        f"/api/organisations/{buyer.slug}/members/{membership.pk}",
        {"role": "editor"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "This token is read only."
    membership.refresh_from_db()
    assert membership.role == "viewer"
    page = client_for(owner).get(reverse("accounts:api_tokens")).content.decode()
    assert "read only" in page


def test_the_time_zone_picker_offers_china_then_europe_first(owner):
    client = client_for(owner)
    client.post(
        reverse("accounts:account"),
        {"name": "Anna", "language": "zh-hans", "time_zone": "Europe/Amsterdam"},
    )
    page = client.get(reverse("accounts:account")).content.decode()
    china = page.index('<option value="Asia/Shanghai">中国标准时间')
    amsterdam = page.index('<option value="Europe/Amsterdam" selected>Amsterdam')
    assert china < amsterdam < page.index('value="Africa/Abidjan"')
