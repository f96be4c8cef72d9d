from django.urls import path

from sadok.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.cabinet, name="cabinet"),
]
