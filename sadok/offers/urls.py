from django.urls import path

from sadok.offers import views

app_name = "offers"
urlpatterns = [
    path(
        "kindergartens/<int:number>/groups/<int:group_id>/places/", views.group_places, name="group"
    ),
    path(
        "kindergartens/<int:number>/groups/<int:group_id>/places/<int:place_id>/withdraw/",
        views.place_withdraw,
        name="place-withdraw",
    ),
    path(
        "kindergartens/<int:number>/groups/<int:group_id>/offers/<int:offer_id>/documents/",
        views.confirm_documents,
        name="confirm-documents",
    ),
    path(
        "kindergartens/<int:number>/groups/<int:group_id>/list/<int:enrollment_id>/release/",
        views.release,
        name="release",
    ),
]
