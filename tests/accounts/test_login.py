import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..conftest import PASSWORD, UserFactory, client_for

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


def login(client, email, password=PASSWORD):
    return client.post(LOGIN, {"email": email, "password": password})


def forget_failures(device):
    """The device slows down after a wrong code; a person would wait, the test need not."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_it_logs_in_and_out(owner, client):
    response = login(client, "OWNER@noordsteen.example")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert client.get(reverse("accounts:organisation", args=["noordsteen"])).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:organisation", args=["noordsteen"])).status_code == 302


def test_it_says_what_is_wrong_without_saying_which_part(owner, client):
    response = login(client, owner.email, "wrong")
    assert response.status_code == 200
    assert "The e-mail address or password is not correct." in response.content.decode()


def test_it_blocks_after_five_wrong_passwords_even_with_the_right_one(owner, client):
    for _ in range(5):
        login(client, owner.email, "wrong")
    response = login(client, owner.email)
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failing_on_purpose_from_elsewhere_does_not_lock_a_person_out(owner, settings):
    attacker = client_for(None)
    for _ in range(settings.LOGIN_FAILURE_LIMIT * 3):
        attacker.post(LOGIN, {"email": owner.email, "password": "wrong"}, REMOTE_ADDR="192.0.2.66")
    refused = attacker.post(
        LOGIN, {"email": owner.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.66"
    )
    assert "Too many failed attempts" in refused.content.decode()
    person = client_for(None)
    response = person.post(
        LOGIN, {"email": owner.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.2"
    )
    assert response.status_code == 302


def test_it_blocks_one_address_guessing_many_accounts(db, client, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    users = [UserFactory() for _ in range(9)]
    for user in users[:8]:
        login(client, user.email, "wrong")
    response = login(client, users[8].email)
    assert "Too many failed attempts" in response.content.decode()


def test_an_office_behind_one_address_keeps_logging_in_after_a_few_mistakes(db, client):
    users = [UserFactory() for _ in range(6)]
    for user in users[:5]:
        login(client, user.email, "wrong")
    assert login(client, users[5].email).status_code == 302


def test_it_does_not_follow_a_next_link_to_another_site(owner, client):
    response = client.post(
        LOGIN + "?next=https://evil.example/", {"email": owner.email, "password": PASSWORD}
    )
    assert response["Location"] == "/"


def test_two_factor_login_asks_for_a_code(owner, client):
    device = TOTPDevice.objects.create(user=owner, name="phone", confirmed=True)
    response = login(client, owner.email)
    assert response["Location"].startswith(reverse("accounts:login_verify"))
    assert "_auth_user_id" not in client.session
    response = client.post(
        reverse("accounts:login_verify"),
        {"code": "000000" if code_for(device) != "000000" else "111111"},
    )
    assert "That code is not correct." in response.content.decode()
    forget_failures(device)
    response = client.post(reverse("accounts:login_verify"), {"code": code_for(device)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:organisation", args=["noordsteen"])).status_code == 200


def test_staff_must_set_up_two_factor_before_anything_else(db, client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    login(client, staff.email)
    response = client.get(reverse("admin:index"))
    assert response["Location"] == reverse("accounts:two_factor")
    page = client.get(reverse("accounts:two_factor"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    client.post(reverse("accounts:two_factor"), {"code": code_for(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_cannot_turn_two_factor_off(db, client):
    staff = UserFactory(is_staff=True)
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)
    client.post(reverse("accounts:two_factor"))
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_a_person_can_turn_two_factor_on_and_off(owner):
    client = client_for(owner)
    client.get(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user=owner)
    response = client.post(reverse("accounts:two_factor"), {"code": "12"})
    assert "That code is not correct." in response.content.decode()
    forget_failures(device)
    client.post(reverse("accounts:two_factor"), {"code": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    client.post(reverse("accounts:two_factor"))
    assert TOTPDevice.objects.filter(user=owner).exists(), "turning it off needs a code"
    device.refresh_from_db()
    forget_failures(device)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    client.post(reverse("accounts:two_factor"), {"code": code_for(device)})
    assert not TOTPDevice.objects.filter(user=owner).exists()


def test_password_reset_mails_a_link_that_sets_a_new_password(owner, client):
    client.post(reverse("accounts:password_reset"), {"email": owner.email})
    assert len(mail.outbox) == 1
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line
    )
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    client.post(
        form_url,
        {"new_password1": "granite-and-basalt-42", "new_password2": "granite-and-basalt-42"},
    )
    assert login(client, owner.email, "granite-and-basalt-42").status_code == 302


def test_password_reset_does_not_reveal_unknown_addresses(db, client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_behind_a_proxy_each_client_is_counted_on_its_own(settings, client):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 5
    users = [UserFactory() for _ in range(6)]
    for user in users[:5]:
        client.post(LOGIN, {"email": user.email, "password": "wrong"}, HTTP_X_REAL_IP="203.0.113.7")
    response = client.post(
        LOGIN, {"email": users[5].email, "password": PASSWORD}, HTTP_X_REAL_IP="198.51.100.2"
    )
    assert response.status_code == 302


def two_factor_on(user):
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return device


def test_guessing_the_code_to_turn_two_factor_off_is_stopped(owner, settings):
    device = two_factor_on(owner)
    client = client_for(owner)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(reverse("accounts:two_factor"), {"code": wrong})
        forget_failures(device)
    response = client.post(reverse("accounts:two_factor"), {"code": code_for(device)})
    assert "Too many failed attempts" in response.content.decode()
    assert TOTPDevice.objects.filter(user=owner).exists()


def backup_codes_for(client) -> list[str]:
    page = client.post(reverse("accounts:backup_codes")).content.decode()
    listing = page.split('id="backup-codes">')[1].split("</ul>")[0]
    return [item.split("<code>")[1].split("</code>")[0] for item in listing.split("<li>")[1:]]


def test_a_backup_code_logs_in_once(owner, buyer):
    two_factor_on(owner)
    codes = backup_codes_for(client_for(owner))
    assert len(codes) == 10
    assert len(set(codes)) == 10

    client = client_for(None)
    login(client, owner.email)
    response = client.post(reverse("accounts:login_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("accounts:organisation", args=[buyer.slug])).status_code == 200

    again = client_for(None)
    login(again, owner.email)
    response = again.post(reverse("accounts:login_verify"), {"code": codes[0]})
    assert "That code is not correct." in response.content.decode()
    page = client_for(owner).get(reverse("accounts:two_factor")).content.decode()
    assert "You have 9 unused backup codes" in page


def test_new_backup_codes_cancel_the_old_ones(owner):
    two_factor_on(owner)
    client = client_for(owner)
    old = backup_codes_for(client)
    backup_codes_for(client)
    fresh = client_for(None)
    login(fresh, owner.email)
    response = fresh.post(reverse("accounts:login_verify"), {"code": old[0]})
    assert "That code is not correct." in response.content.decode()


def test_backup_codes_need_two_factor_login_first(owner):
    response = client_for(owner).post(reverse("accounts:backup_codes"), follow=True)
    assert "Turn on two-factor login first." in response.content.decode()
    assert not StaticDevice.objects.exists()


def test_turning_two_factor_off_removes_the_backup_codes(owner):
    device = two_factor_on(owner)
    client = client_for(owner)
    backup_codes_for(client)
    client.post(reverse("accounts:two_factor"), {"code": code_for(device)})
    assert not StaticDevice.objects.filter(user=owner).exists()


def test_two_factor_setup_names_apps_available_in_china(owner):
    owner.language = "zh-hans"
    owner.save(update_fields=["language"])
    page = client_for(owner).get(reverse("accounts:two_factor")).content.decode()
    assert "腾讯身份验证器（有手机应用，也有微信小程序）" in page
    assert "Google Authenticator" in page
