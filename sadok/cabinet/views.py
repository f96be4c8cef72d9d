"""The parent's cabinet: children, their kindergartens, privileges and offers."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from sadok import clock
from sadok.accounts import selectors as access_selectors
from sadok.accounts.access import Access, access
from sadok.accounts.models import User
from sadok.applications import documents, looks, selectors, services
from sadok.applications.forms import (
    CertificateFields,
    ChildForm,
    ClaimForm,
    DateRestoreForm,
    InvitationAcceptForm,
    LegacyClaimForm,
    TransferRequestForm,
)
from sadok.applications.models import Child, Choice, PrivilegeClaim, TransferRequest
from sadok.cabinet.situations import situation_of
from sadok.kindergartens import scopes
from sadok.kindergartens.models import Kindergarten
from sadok.offers import door, restore, transfers
from sadok.offers.selectors import offers_of_child
from sadok.queue import selectors as queue_selectors
from sadok.queue import why

ATTEMPTS_PER_HOUR = 10


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # logged in: guaranteed by @access(ACCOUNT)


def _child(request: HttpRequest, child_id: int) -> Child:
    return get_object_or_404(selectors.children_of(user=_user(request)), pk=child_id)


def _to_child(child: Child) -> HttpResponse:
    return redirect("cabinet:child", child_id=child.pk)


@access(Access.ACCOUNT)
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    children = selectors.children_of(user=user).prefetch_related("choices")
    return render(
        request,
        "applications/home.html",
        {
            "children": children,
            "cards": [(child, situation_of(child=child)) for child in children],
            "roles": access_selectors.roles_of(user=user),
            "managed": scopes.kindergartens_managed_by(user=user).select_related("district")[:50],
            "has_mfa": access_selectors.has_mfa(user=user),
            "requests": TransferRequest.objects.filter(requested_by=user)
            .select_related("district")
            .order_by("-submitted_at")[:10],
        },
    )


@access(Access.ACCOUNT)
def child_new(request: HttpRequest) -> HttpResponse:
    form = ChildForm(request.POST or None)
    ask_office = False
    if request.method == "POST" and form.is_valid():
        data = services.NewChild(
            form.cleaned_data["last_name"],
            form.cleaned_data["first_name"],
            form.cleaned_data["patronymic"],
            form.cleaned_data["born"],
            form.parsed_certificate,
        )
        try:
            child = services.child_register(user=_user(request), data=data)
        except ValidationError as error:
            form.add_error(_certificate_field(form), error)
            ask_office = error.code == "certificate_taken"
        else:
            messages.success(request, _("Дитину додано. Тепер оберіть садочки."))
            return _to_child(child)
    return render(request, "applications/child_new.html", {"form": form, "ask_office": ask_office})


def _certificate_field(form: CertificateFields) -> str:
    foreign = form.cleaned_data.get("certificate_kind") == "foreign"
    return "certificate_foreign_number" if foreign else "certificate"


@access(Access.ACCOUNT)
def child_detail(request: HttpRequest, child_id: int) -> HttpResponse:
    child = _child(request, child_id)
    today = clock.today()
    search = request.GET.get("q", "").strip()[:100]
    chosen = list(child.choices.values_list("kindergarten_id", flat=True))
    standings = queue_selectors.standings_of(child=child, today=today)
    return render(
        request,
        "applications/child_detail.html",
        {
            "child": child,
            "situation": situation_of(child=child),
            "standings": standings,
            "histories": _histories(request, child, standings),
            "september": queue_selectors.next_september(today),
            "claims": selectors.claims_of(child=child),
            "referrals": child.referrals.order_by("-confirmed_at"),
            "offers": offers_of_child(child=child),
            # Open flags, and the district office's recent answers on closed ones.
            "flags": child.flags.filter(Q(status="open") | ~Q(decision_note="")).order_by(
                "-created_at"
            )[:5],
            "has_choices": bool(chosen),
            "expiry_notice_until": today
            + dt.timedelta(days=settings.SADOK_PRIVILEGE_EXPIRY_NOTICE_DAYS),
            "search": search,
            "found": selectors.kindergarten_search(text=search, exclude=chosen)[:20]
            if search
            else [],
        },
    )


def _histories(
    request: HttpRequest, child: Child, standings: list[queue_selectors.ChoiceStanding]
) -> dict[int, why.History]:
    """What changed in each queue since this guardian last opened the page (the last
    `SADOK_WHY_FIRST_LOOK_DAYS` days on the first visit), recording this visit."""
    now = clock.now()
    seen = {
        s.choice.kindergarten_id: {"group": s.group_now.pk, "place": s.position_now.place}
        for s in standings
        if s.group_now is not None and s.position_now is not None
    }
    look = looks.page_look(user_id=_user(request).pk, child_id=child.pk, at=now, positions=seen)
    since = look.seen_at or now - dt.timedelta(days=settings.SADOK_WHY_FIRST_LOOK_DAYS)
    return why.histories_of(
        child=child,
        standings=standings,
        since=since,
        now=now,
        today=clock.today(),
        seen=look.positions,
    )


@access(Access.ACCOUNT)
@require_POST
def choice_add(request: HttpRequest, child_id: int, number: int) -> HttpResponse:
    child = _child(request, child_id)
    kindergarten = get_object_or_404(Kindergarten, number=number)
    door.choice_add(child=child, kindergarten=kindergarten, user=_user(request))
    messages.success(
        request, _("Садочок № %(number)d додано до списку.") % {"number": kindergarten.number}
    )
    return _to_child(child)


@access(Access.ACCOUNT)
def pick_child(request: HttpRequest, number: int) -> HttpResponse:
    """'Додати до моїх садочків' from the map or a kindergarten page: for which child?"""
    kindergarten = get_object_or_404(Kindergarten, number=number)
    children = selectors.children_of(user=_user(request))
    return render(
        request,
        "applications/pick_child.html",
        {"kindergarten": kindergarten, "children": children},
    )


def _choice(request: HttpRequest, child_id: int, choice_id: int) -> Choice:
    return get_object_or_404(Choice, pk=choice_id, child=_child(request, child_id))


@access(Access.ACCOUNT)
@require_POST
def choice_move(request: HttpRequest, child_id: int, choice_id: int) -> HttpResponse:
    choice = _choice(request, child_id, choice_id)
    try:
        door.choice_move(
            choice=choice, up=request.POST.get("direction") == "up", user=_user(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("cabinet:child", args=[child_id]) + "#choices")


@access(Access.ACCOUNT)
@require_POST
def choice_remove(request: HttpRequest, child_id: int, choice_id: int) -> HttpResponse:
    choice = _choice(request, child_id, choice_id)
    try:
        door.choice_remove(choice=choice, user=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Садочок прибрано зі списку. Дата реєстрації не змінилася."))
    return redirect(reverse("cabinet:child", args=[child_id]) + "#choices")


@access(Access.ACCOUNT)
@require_POST
def keep_waiting(request: HttpRequest, child_id: int) -> HttpResponse:
    child = _child(request, child_id)
    door.keep_waiting_set(
        child=child, keep_waiting=request.POST.get("keep_waiting") == "1", user=_user(request)
    )
    messages.success(request, _("Налаштування збережено."))
    return _to_child(child)


@access(Access.ACCOUNT)
@require_POST
def reactivate(request: HttpRequest, child_id: int) -> HttpResponse:
    child = _child(request, child_id)
    try:
        door.child_reactivate(child=child, user=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Участь у черзі відновлено. Дата реєстрації залишилася попередньою.")
        )
    return _to_child(child)


@access(Access.ACCOUNT)
def claim_new(request: HttpRequest, child_id: int) -> HttpResponse:
    child = _child(request, child_id)
    form = ClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            door.claim_submit(
                child=child,
                user=_user(request),
                category=form.cleaned_data["category"],
                document=form.cleaned_data["document"],
                valid_until=form.cleaned_data["valid_until"],
            )
        except ValidationError as error:
            form.add_error("document", error)
        else:
            messages.success(
                request, _("Заяву на пільгу подано. Вона діятиме після підтвердження РУО.")
            )
            return _to_child(child)
    return render(request, "applications/claim_new.html", {"child": child, "form": form})


def _claim_readable(request: HttpRequest, claim_id: int) -> PrivilegeClaim:
    # A privilege the district office recorded at registration has no file.
    readable = selectors.claims_readable_by(user=_user(request)).exclude(document="")
    return get_object_or_404(readable, pk=claim_id)


def _document_bytes(claim: PrivilegeClaim) -> bytes:
    with claim.document.open("rb") as handle:
        return cast(bytes, handle.read())


def _private(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access(Access.ACCOUNT)
def claim_document(request: HttpRequest, claim_id: int) -> HttpResponse:
    """The document as page images rendered here: the viewer parses no upload."""
    claim = _claim_readable(request, claim_id)
    pages = documents.document_pages(data=_document_bytes(claim), content_type=claim.document_type)
    response = render(
        request, "applications/claim_document.html", {"claim": claim, "pages": range(1, pages + 1)}
    )
    _private(response)
    return response


@access(Access.ACCOUNT)
def claim_document_page(request: HttpRequest, claim_id: int, page: int) -> HttpResponse:
    claim = _claim_readable(request, claim_id)
    png = documents.document_page_png(
        data=_document_bytes(claim), content_type=claim.document_type, page=page
    )
    if png is None:
        raise Http404
    response = HttpResponse(png, content_type="image/png")
    _private(response)
    return response


@access(Access.ACCOUNT)
def claim_document_original(request: HttpRequest, claim_id: int) -> FileResponse:
    """The upload itself, only as a download: a browser asked to show it anyway
    runs nothing in it (the sandbox policy) and guesses no other type."""
    claim = _claim_readable(request, claim_id)
    extension = documents.EXTENSIONS.get(claim.document_type, "bin")
    response = FileResponse(
        claim.document.open("rb"),
        content_type=claim.document_type,
        as_attachment=True,
        filename=f"document-{claim.pk}.{extension}",
    )
    response["Content-Security-Policy"] = "sandbox"
    _private(response)
    return response


@access(Access.ACCOUNT)
@require_POST
def invite(request: HttpRequest, child_id: int) -> HttpResponse:
    child = _child(request, child_id)
    code = services.invitation_create(child=child, user=_user(request))
    return render(request, "applications/invite.html", {"child": child, "code": code})


def _too_many_tries(request: HttpRequest, what: str) -> bool:
    """At most ATTEMPTS_PER_HOUR guesses of a code or a Qid per person and hour."""
    key = f"sadok:tries:{what}:{request.user.pk}"
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) > ATTEMPTS_PER_HOUR


TOO_MANY = _lazy("Забагато спроб. Спробуйте знову за годину або зверніться до РУО.")


@access(Access.ACCOUNT)
def join(request: HttpRequest) -> HttpResponse:
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and _too_many_tries(request, "join"):
        form.is_valid()
        form.add_error(None, str(TOO_MANY))
    elif request.method == "POST" and form.is_valid():
        try:
            child = door.invitation_accept(code=form.cleaned_data["code"], user=_user(request))
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("Дитину додано до вашого кабінету."))
            if child.registered_by_office_id is not None:
                messages.info(
                    request,
                    _("Дата реєстрації, садочки, пільга й направлення, які внесло РУО, збережені."),
                )
            return _to_child(child)
    return render(request, "applications/join.html", {"form": form})


@access(Access.ACCOUNT)
def legacy(request: HttpRequest) -> HttpResponse:
    """The Qid transfer: a child new to Sadok comes over with its old date; a child
    already in this cabinet gets its older date (`restore.legacy_bring`)."""
    form = LegacyClaimForm(request.POST or None)
    ask_office = False
    if request.method == "POST" and _too_many_tries(request, "legacy"):
        form.is_valid()
        form.add_error(None, str(TOO_MANY))
    elif request.method == "POST" and form.is_valid():
        claim = services.LegacyClaim(
            qid=form.cleaned_data["qid"],
            registered_on=form.cleaned_data["registered_on"],
            certificate=form.parsed_certificate,
            last_name=form.cleaned_data["last_name"],
            first_name=form.cleaned_data["first_name"],
            patronymic=form.cleaned_data["patronymic"],
        )
        try:
            done = restore.legacy_bring(user=_user(request), claim=claim)
        except ValidationError as error:
            form.add_error(None, error)
            ask_office = error.code == "certificate_taken"
        else:
            _restored_message(request, done)
            return _to_child(done.child)
    return render(request, "applications/legacy.html", {"form": form, "ask_office": ask_office})


def _restored_message(request: HttpRequest, done: restore.Restored) -> None:
    if done.before is None:
        messages.success(
            request, _("Запис перенесено зі старої системи з попередньою датою реєстрації.")
        )
    elif done.moved:
        messages.success(
            request,
            _("Дату реєстрації відновлено: дитина в черзі з %(date)s. Позиції вже змінилися.")
            % {"date": done.after.astimezone(clock.KYIV).strftime("%d.%m.%Y")},
        )
    else:
        messages.info(
            request,
            _(
                "Запис старої системи приєднано, але дата реєстрації в Sadok раніша — "
                "вона й залишається."
            ),
        )


@access(Access.ACCOUNT)
def date_restore(request: HttpRequest, child_id: int) -> HttpResponse:
    """A family brings in its child's older registration date from the old system."""
    child = _child(request, child_id)
    form = DateRestoreForm(request.POST or None)
    if request.method == "POST" and _too_many_tries(request, "legacy"):
        form.is_valid()
        form.add_error(None, str(TOO_MANY))
    elif request.method == "POST" and form.is_valid():
        try:
            done = restore.date_restore(
                child=child,
                user=_user(request),
                qid=form.cleaned_data["qid"],
                registered_on=form.cleaned_data["registered_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _restored_message(request, done)
            return _to_child(child)
    return render(request, "applications/date_restore.html", {"child": child, "form": form})


@access(Access.ACCOUNT)
def transfer_request(request: HttpRequest) -> HttpResponse:
    """A family whose child's certificate another account registered asks the
    district office (`transfers.transfer_request`)."""
    form = TransferRequestForm(request.POST or None)
    if request.method == "POST" and _too_many_tries(request, "transfer"):
        form.is_valid()
        form.add_error(None, str(TOO_MANY))
    elif request.method == "POST" and form.is_valid():
        try:
            sent = transfers.transfer_request(
                user=_user(request),
                certificate=form.parsed_certificate,
                district=form.cleaned_data["district"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(_certificate_field(form), error)
        else:
            messages.success(
                request,
                _(
                    "Звернення надіслано до РУО: %(district)s. Працівник РУО зв'яжеться з "
                    "вами і попросить прийти зі свідоцтвом про народження дитини і паспортом. "
                    "Рішення з'явиться тут, у кабінеті."
                )
                % {"district": sent.district.display_name},
            )
            return redirect("cabinet:home")
    return render(request, "applications/transfer_request.html", {"form": form})
