"""Settings for the test suite: always PostgreSQL, never SQLite."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sadok")
os.environ.setdefault("SADOK_DEBUG", "1")
os.environ["SADOK_TILE_URL"] = ""  # the browser tests run with no network

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SADOK_SMS_BACKEND = "sadok.sms.LocmemSmsBackend"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests send the outbox themselves (deliveries_process), not through a worker.
SADOK_DELIVER_ON_COMMIT = False
# Each process's own cache: tests clear it between them (tests/conftest.py), also
# those that run outside the database.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public"},
}
# A second-factor code read a moment before its 30-second period ends is still
# accepted in the next (allauth's tolerance; 0 in production): a browser test types
# the code the demo prints, and on a busy machine the form may reach the server a
# period later.
MFA_TOTP_TOLERANCE = 1
# Pages are not kept between a test's requests (tests/test_caching.py turns it on).
SADOK_PUBLIC_CACHE_SECONDS = 0
# The test suite empties the tables between transactional tests with TRUNCATE, which
# the public log's trigger refuses in any other session (sadok/journal/migrations/
# 0005_public_log_append_only.py): UPDATE and DELETE stay refused here too.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c sadok.log_flush=on"  # noqa: F405
