from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from sadok.health import health, health_live
from sadok.opendata.urls import api_urls
from sadok.views import language_set

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("sadok.kindergartens.urls")),
    path("", include("sadok.opendata.urls")),
    path("api/", api_urls),
    path("accounts/", include("allauth.urls")),
    path("cabinet/", include("sadok.cabinet.urls")),
    path("staff/", include("sadok.workspace.urls")),
    path("staff/", include("sadok.offers.urls")),
    path("stats/", include("sadok.statistics.urls")),
    path("i18n/setlang/", language_set, name="set_language"),
    path("health/", health, name="health"),
    path("health/live", health_live, name="health_live"),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
