"""Test settings: the real settings with test-only secrets and in-process tasks and mail."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("AUDIT_KEY", "tests-only-not-a-secret")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("EMAIL_URL", "locmem://")
os.environ.setdefault("SITE_URL", "http://testserver")

from stonebridge.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
