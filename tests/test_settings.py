import os
import subprocess
import sys

from django.conf import settings

SHOW_DEBUG = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'stonebridge.settings'; "
    "django.setup(); from django.conf import settings; print(settings.DEBUG)"
)
KEY = "dGVzdHMtb25seS1maWVsZC1rZXktbm90LWEtc2VjcmU="


def start(env):
    return subprocess.run(
        [sys.executable, "-c", SHOW_DEBUG],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_it_refuses_to_start_without_a_secret_key():
    result = start({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_to_start_without_a_worker_reference_key():
    result = start({"SECRET_KEY": "x", "AUDIT_KEY": "x", "SITE_URL": "https://sb.example.org"})
    assert "WORKER_REF_KEY is not set" in result.stderr


def test_it_refuses_to_start_without_a_field_encryption_key_or_with_a_bad_one():
    needed = {"SECRET_KEY": "x", "AUDIT_KEY": "x", "WORKER_REF_KEY": "x"}
    assert "FIELD_ENCRYPTION_KEY is not set" in start(needed).stderr
    bad = start({**needed, "FIELD_ENCRYPTION_KEY": f"{KEY},not-a-key"})
    assert "FIELD_ENCRYPTION_KEY must be Fernet keys" in bad.stderr


def test_it_refuses_to_start_without_its_public_address():
    result = start(
        {"SECRET_KEY": "x", "AUDIT_KEY": "x", "WORKER_REF_KEY": "x", "FIELD_ENCRYPTION_KEY": KEY}
    )
    assert "SITE_URL is not set" in result.stderr


def test_debug_is_off_unless_set():
    assert (
        start(
            {
                "SECRET_KEY": "x",
                "AUDIT_KEY": "x",
                "WORKER_REF_KEY": "x",
                "FIELD_ENCRYPTION_KEY": KEY,
                "SITE_URL": "https://sb.example.org",
            }
        ).stdout.strip()
        == "False"
    )
    assert start({"SECRET_KEY": "x", "DEBUG": "true"}).stdout.strip() == "True"


def test_a_nonsense_value_stops_the_start():
    result = start({"SECRET_KEY": "x", "DEBUG": "maybe"})
    assert "DEBUG must be true or false" in result.stderr
    result = start(
        {
            "SECRET_KEY": "x",
            "AUDIT_KEY": "x",
            "WORKER_REF_KEY": "x",
            "FIELD_ENCRYPTION_KEY": KEY,
            "SITE_URL": "https://x.example",
            "EMAIL_URL": "pigeon://loft",
        }
    )
    assert "EMAIL_URL scheme" in result.stderr


def test_the_suite_ignores_what_the_callers_shell_holds():
    shell = {
        "SITE_URL": "https://stonebridge.example.org",
        "DEBUG": "true",
        "HTTPS": "true",
        "EMAIL_URL": "smtp://mail.example.org",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "TIME_ZONE": "Asia/Shanghai",
        "LOGIN_FAILURE_LIMIT": "1",
    }
    show = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'tests.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(s.SITE_URL, s.DEBUG, s.SESSION_COOKIE_SECURE, s.EMAIL_BACKEND.rsplit('.', 2)[1], "
        "s.TIME_ZONE, s.LOGIN_FAILURE_LIMIT, 'redis' in str(s.CACHES))"
    )
    result = subprocess.run(
        [sys.executable, "-c", show],
        env={"PATH": os.environ["PATH"], **shell},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "http://testserver",
        "False",
        "False",
        "locmem",
        "UTC",
        "5",
        "False",
    ]


def test_it_refuses_to_start_without_the_audit_key_unless_debugging():
    result = start({"SECRET_KEY": "x", "SITE_URL": "https://sb.example.org"})
    assert result.returncode != 0
    assert "AUDIT_KEY is not set" in result.stderr
    assert start({"SECRET_KEY": "x", "DEBUG": "true"}).returncode == 0


def test_it_refuses_to_start_with_a_backup_key_that_is_not_a_fernet_key():
    needed = {"SECRET_KEY": "x", "AUDIT_KEY": "x", "WORKER_REF_KEY": "x"}
    result = start({**needed, "FIELD_ENCRYPTION_KEY": KEY, "BACKUP_KEY": "a-password"})
    assert "BACKUP_KEY must be a Fernet key" in result.stderr
