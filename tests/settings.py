"""Test settings: the real settings with test-only secrets and in-process tasks and mail.

The suite runs the same whatever the caller's shell holds: every variable the settings read is
cleared and the few the tests need are fixed, except DATABASE_URL, which chooses the database
under test (`make test-pg`).
"""

import os
import re
from pathlib import Path

TEST_ENVIRONMENT = {
    "SECRET_KEY": "tests-only-not-a-secret",
    "AUDIT_KEY": "tests-only-not-a-secret",
    "WORKER_REF_KEY": "tests-only-not-a-secret",
    "FIELD_ENCRYPTION_KEY": "dGVzdHMtb25seS1maWVsZC1rZXktbm90LWEtc2VjcmU=",
    "HTTPS": "false",
    "EMAIL_URL": "locmem://",
    "SITE_URL": "http://testserver",
    # Most worker-page tests run as an install hosted in China would; the consent a hosting
    # abroad needs on every route has tests of its own.
    "WORKER_DATA_IN_CHINA": "true",
}
KEPT = {"DATABASE_URL"}

_source = (Path(__file__).resolve().parent.parent / "stonebridge" / "settings.py").read_text()
SETTINGS_VARIABLES = set(
    re.findall(r"""(?:env\w*|environ\.get)\(\s*["']([A-Z0-9_]+)["']""", _source)
)
for _name in SETTINGS_VARIABLES - KEPT:
    os.environ.pop(_name, None)
os.environ.update(TEST_ENVIRONMENT)

from stonebridge.settings import *  # noqa: E402, F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
# Pages link to static files by their plain names, found in the app directories without a
# collectstatic step; only the page-weight test (tests/browser/test_weight.py) collects and
# serves them as production does.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A replica that is the test database itself (TEST MIRROR), for the router's tests; off unless a
# test turns REPLICA_READS on, so no other test reads through it.
DATABASES = {
    **DATABASES,  # noqa: F405
    "replica": {**DATABASES["default"], "TEST": {"MIRROR": "default"}},  # noqa: F405
}
REPLICA_READS = False
