from django.urls import path

from sadok.kindergartens import staff_views, views

app_name = "kindergartens"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("kindergartens/<int:number>/", views.detail, name="detail"),
    path("staff/kindergartens/<int:number>/", staff_views.kindergarten_edit, name="staff-edit"),
    path(
        "staff/kindergartens/<int:number>/groups/new/",
        staff_views.group_edit,
        name="staff-group-new",
    ),
    path(
        "staff/kindergartens/<int:number>/groups/<int:group_id>/",
        staff_views.group_edit,
        name="staff-group-edit",
    ),
]
