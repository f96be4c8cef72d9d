from django.urls import path

from sadok.cabinet import views
from sadok.notifications import views as inbox
from sadok.offers import family_views

app_name = "cabinet"
urlpatterns = [
    path("", views.home, name="home"),
    path("children/new/", views.child_new, name="child-new"),
    path("children/<int:child_id>/", views.child_detail, name="child"),
    path(
        "children/<int:child_id>/kindergartens/<int:number>/add/",
        views.choice_add,
        name="choice-add",
    ),
    path(
        "children/<int:child_id>/choices/<int:choice_id>/move/",
        views.choice_move,
        name="choice-move",
    ),
    path(
        "children/<int:child_id>/choices/<int:choice_id>/remove/",
        views.choice_remove,
        name="choice-remove",
    ),
    path("children/<int:child_id>/keep-waiting/", views.keep_waiting, name="keep-waiting"),
    path("children/<int:child_id>/reactivate/", views.reactivate, name="reactivate"),
    path("children/<int:child_id>/privileges/new/", views.claim_new, name="claim-new"),
    path("children/<int:child_id>/invite/", views.invite, name="invite"),
    path("children/<int:child_id>/restore-date/", views.date_restore, name="date-restore"),
    path("privileges/<int:claim_id>/document/", views.claim_document, name="claim-document"),
    path(
        "privileges/<int:claim_id>/document/<int:page>.png",
        views.claim_document_page,
        name="claim-document-page",
    ),
    path(
        "privileges/<int:claim_id>/document/original/",
        views.claim_document_original,
        name="claim-document-original",
    ),
    path("add/<int:number>/", views.pick_child, name="pick-child"),
    path("join/", views.join, name="join"),
    path("legacy/", views.legacy, name="legacy"),
    path("requests/new/", views.transfer_request, name="transfer-request"),
    path("offers/<int:offer_id>/accept/", family_views.offer_accept, name="offer-accept"),
    path("offers/<int:offer_id>/decline/", family_views.offer_decline, name="offer-decline"),
    path("offers/<int:offer_id>/extend/", family_views.documents_extend, name="offer-extend"),
    path(
        "offers/<int:offer_id>/give-up/",
        family_views.acceptance_withdraw,
        name="offer-give-up",
    ),
    path("messages/", inbox.inbox, name="inbox"),
    path("messages/<int:message_id>/", inbox.message, name="message"),
]
