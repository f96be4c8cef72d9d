"""Settings of the KyivID stand-in (`manage.py ... --settings kyivid_demo.settings`).

Its own process, SQLite file, cookies and signing key: it shares nothing with
Sadok but the machine.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from config.database import database_from_url

if os.environ.get("SADOK_DEBUG") != "1":
    raise RuntimeError(
        "The KyivID stand-in is a development tool: it runs only with SADOK_DEBUG=1."
    )

BASE_DIR = Path(__file__).resolve().parent.parent
DEBUG = True
SECRET_KEY = "kyivid-demo-development-only"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "allauth",
    "allauth.account",
    "allauth.idp.oidc",
    "kyivid_demo",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]
ROOT_URLCONF = "kyivid_demo.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": database_from_url(
        os.environ.get(
            "KYIVID_DEMO_DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'kyivid-demo.sqlite3'}"
        )
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "kyivid_demo_pick"
# Sadok runs on the same host: the stand-in's cookies must not be Sadok's.
SESSION_COOKIE_NAME = "kyivid_demo_session"
CSRF_COOKIE_NAME = "kyivid_demo_csrftoken"
LANGUAGE_CODE = "uk"
TIME_ZONE = "Europe/Kyiv"
USE_TZ = True


def _signing_key(path: Path) -> str:
    """The provider's RSA key, made on first start and kept beside its database."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        path.chmod(0o600)
    return path.read_text()


IDP_OIDC_PRIVATE_KEY = _signing_key(
    Path(os.environ.get("KYIVID_DEMO_KEY_FILE", BASE_DIR / "var" / "kyivid-demo-key.pem"))
)
IDP_OIDC_ADAPTER = "kyivid_demo.adapter.DemoKyivIDAdapter"
