from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend

from sadok.accounts import selectors


class CityAdministratorBackend(BaseBackend):
    """The city administrator role carries every model permission in the admin.

    Sadok's roles are rows of `Role`, not Django groups; this backend lets the
    admin ask "may this person change kindergartens?" of the role.
    """

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(user_obj.is_active and selectors.is_city_admin(user=user_obj))

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return self.has_perm(user_obj, app_label)
