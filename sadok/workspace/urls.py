from django.urls import path

from sadok.workspace import child_views, office_views, views

app_name = "workspace"
# Included under "staff/".
urlpatterns = [
    path("", views.home, name="home"),
    path("kindergartens/<int:number>/", views.kindergarten, name="kindergarten"),
    path("districts/<slug:slug>/", views.district, name="district"),
    path("districts/<slug:slug>/claims/", views.claims, name="claims"),
    path("districts/<slug:slug>/claims/<int:claim_id>/", views.claim, name="claim"),
    path("districts/<slug:slug>/flags/", child_views.flags, name="flags"),
    path("districts/<slug:slug>/flags/<int:flag_id>/", child_views.flag, name="flag"),
    path("districts/<slug:slug>/children/<int:child_id>/", child_views.child, name="child"),
    path("districts/<slug:slug>/requests/", child_views.transfer_requests, name="requests"),
    path(
        "districts/<slug:slug>/requests/<int:request_id>/",
        child_views.transfer_request,
        name="request",
    ),
    path("districts/<slug:slug>/register/", office_views.register, name="register"),
    path(
        "districts/<slug:slug>/register/<int:child_id>/", office_views.registered, name="registered"
    ),
    path("districts/<slug:slug>/registered/", office_views.registrations, name="registrations"),
    path("districts/<slug:slug>/groups/", views.group_changes, name="group-changes"),
    path("districts/<slug:slug>/groups/<int:change_id>/", views.group_change, name="group-change"),
    path("city/", views.city, name="city"),
]
