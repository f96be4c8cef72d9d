from django.urls import include, path

from kyivid_demo import views

urlpatterns = [
    path("", include("allauth.idp.urls")),
    path("login/", views.pick, name="kyivid_demo_pick"),
]
