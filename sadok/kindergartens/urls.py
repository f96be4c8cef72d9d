from django.urls import path

from sadok.kindergartens import views

app_name = "kindergartens"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("kindergartens/<int:number>/", views.detail, name="detail"),
]
