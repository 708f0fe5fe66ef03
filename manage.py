#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stonebridge.settings")
    if sys.argv[1:2] == ["makemigrations"] and {"--check", "--dry-run"} & set(sys.argv):
        # Comparing the models with the migrations signs, sends and stores nothing: a fresh
        # checkout runs it without the secrets the settings otherwise insist on.
        os.environ.setdefault("SECRET_KEY", "makemigrations-check")
        os.environ.setdefault("AUDIT_KEY", "makemigrations-check")
        os.environ.setdefault("WORKER_REF_KEY", "makemigrations-check")
        os.environ.setdefault(
            "FIELD_ENCRYPTION_KEY", "bWFrZW1pZ3JhdGlvbnMtY2hlY2stbm90LWEtc2VjcmU="
        )
        os.environ.setdefault("SITE_URL", "http://localhost")
        os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
