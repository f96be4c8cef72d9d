from django.urls import path

from sadok.statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.statistics, name="index"),
    path("<slug:slug>.csv", views.download, {"format": "csv"}, name="csv"),
    path("<slug:slug>.json", views.download, {"format": "json"}, name="json"),
]
