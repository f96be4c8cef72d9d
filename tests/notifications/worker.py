"""A delivery worker in its own process, for the crash test.

`python -m tests.notifications.worker` sends the outbox of the database in
DATABASE_URL through the SMTP server on SMTP_PORT. With CRASH_AFTER=N it dies
(os._exit, no cleanup, no commit) right after the provider accepted the N-th
message — the worst moment for an outbox.
"""

import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    import django

    django.setup()
    from django.conf import settings

    from sadok.notifications import delivery

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(os.environ["SMTP_PORT"])
    settings.SADOK_DELIVERY_LEASE_SECONDS = int(os.environ.get("LEASE_SECONDS", "300"))
    crash_after = int(os.environ.get("CRASH_AFTER", "0"))
    accepted = 0

    def crash_when_due(sent: object) -> None:
        nonlocal accepted
        accepted += 1
        if accepted == crash_after:
            os._exit(3)

    if crash_after:
        delivery._after_provider_accepted = crash_when_due  # type: ignore[assignment]
    report = delivery.deliveries_process()
    print(f"sent {len(report.sent)}")  # noqa: T201


if __name__ == "__main__":
    main()
