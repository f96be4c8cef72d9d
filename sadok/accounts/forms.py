"""The second step of a staff login: allauth's code form, watched.

allauth itself limits wrong codes (its `login_failed` rate limit, per account);
these forms log every wrong or refused code and tell the account's owner by
e-mail, since whoever reaches this step has the password.
"""

from __future__ import annotations

import logging

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

log = logging.getLogger(__name__)


class _Watched:
    user: object

    def clean_code(self) -> str:
        try:
            return super().clean_code()  # type: ignore[misc]
        except ValidationError as error:
            refused = error.code == "too_many_login_attempts"
            client = get_adapter().get_client_ip(context.request)
            log.warning(
                "second factor %s: user %s, client %s",
                "refused, too many wrong codes" if refused else "wrong code",
                getattr(self.user, "pk", None),
                client,
            )
            _owner_tell(self.user, client=client)
            raise


def _owner_tell(user: object, *, client: str) -> None:
    """At most one e-mail per SADOK_SECOND_FACTOR_ALERT_SECONDS to the owner."""
    key = f"sadok:second-factor-alert:{getattr(user, 'pk', None)}"
    if not cache.add(key, 1, timeout=settings.SADOK_SECOND_FACTOR_ALERT_SECONDS):
        return
    email = EmailAddress.objects.get_primary_email(user)
    if email:
        get_adapter().send_mail("mfa/email/code_failed", email, {"ip": client})


class SecondFactorForm(_Watched, AuthenticateForm):
    pass


class SecondFactorAgainForm(_Watched, ReauthenticateForm):
    pass
