from django.urls import URLPattern, URLResolver, path

from sadok.accounts.access import Access, access
from sadok.opendata import views
from sadok.opendata.api import api
from sadok.replica import replica_reads

app_name = "opendata"
urlpatterns = [
    path("kindergartens/<int:number>/groups/<int:group_id>/queue/", views.queue, name="queue"),
]


def _public(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """django-ninja's views, each declaring the public policy as Sadok's views do
    (the authorization matrix reads it), and reading from the replica when there is
    one (`sadok.replica`)."""
    return [
        URLPattern(
            p.pattern, access(Access.PUBLIC)(replica_reads(p.callback)), p.default_args, p.name
        )
        if isinstance(p, URLPattern)
        else p
        for p in patterns
    ]


_api_patterns, _api_app, _api_namespace = api.urls
# The open data API (`api.py`), included by config/urls.py under "api/".
api_urls = (_public(list(_api_patterns)), _api_app, _api_namespace)
