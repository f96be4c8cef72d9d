from django.apps import AppConfig
from django.contrib.admin.apps import SimpleAdminConfig


class AccountsConfig(AppConfig):
    # The default of the two configs here: without it Django took a bare AppConfig
    # for "sadok.accounts", never ran `ready`, and the people's admin pages were
    # missing.
    default = True
    name = "sadok.accounts"
    verbose_name = "Користувачі та ролі"

    def ready(self) -> None:
        from sadok.accounts import admin  # noqa: F401  (registers the admin pages)


class SadokAdminConfig(SimpleAdminConfig):
    """Django admin for the city administrator only, behind allauth's login and MFA.

    SimpleAdminConfig: autodiscovery would import django-leaflet's admin, which
    needs GDAL; each Sadok app registers its own admin pages.
    """

    default_site = "sadok.accounts.admin_site.SadokAdminSite"
