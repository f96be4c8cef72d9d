from django.urls import path

from sadok.kindergartens import staff_views, views

app_name = "kindergartens"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("kindergartens/<int:number>/", views.detail, name="detail"),
    path(
        "staff/kindergartens/<int:number>/page/", staff_views.kindergarten_edit, name="staff-edit"
    ),
    # A group's page (staff/kindergartens/<number>/groups/...) is in sadok.offers.urls.
]
