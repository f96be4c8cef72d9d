from django.urls import path

from sadok.offers import views

app_name = "offers"
# Included under "staff/".
urlpatterns = [
    path("kindergartens/<int:number>/groups/new/", views.group_edit, name="staff-group-new"),
    path(
        "kindergartens/<int:number>/groups/<int:group_id>/",
        views.group_edit,
        name="staff-group-edit",
    ),
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
