"""The staff workspaces (SPEC.md "People"): after sign-in each person lands on their
own — a head on the kindergarten, a district officer on the district office, the
city administrator on the city — and switches between them in the header.

Every object comes through a scoped selector (`selectors`), every decision through
a service of `sadok.offers.district`, which checks the officer again, records who
decided and why, and offers at once a place the child now fits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sadok import clock
from sadok.accounts.access import Access, access
from sadok.accounts.models import User
from sadok.applications.documents import document_pages
from sadok.applications.forms import DateRestoreForm
from sadok.applications.models import (
    Child,
    ChildStatus,
    ClaimStatus,
    DuplicateFlag,
    PrivilegeCategory,
    TransferRequest,
)
from sadok.applications.services import NewChild
from sadok.kindergartens.models import District, GroupChange, Kindergarten
from sadok.offers import district as decisions
from sadok.offers import duplicates, restore, transfers
from sadok.offers import office as registration
from sadok.offers.contacts import Contacts
from sadok.offers.policies import may_run_group
from sadok.queue.selectors import standings_of
from sadok.workspace import selectors
from sadok.workspace.forms import (
    ConfirmForm,
    DecisionForm,
    FindChildForm,
    NewCodeForm,
    OfficeRegistrationForm,
    ReferralForm,
    RejectChangeForm,
)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@access(Access.ACCOUNT)
def home(request: HttpRequest) -> HttpResponse:
    """Where sign-in lands: the person's first staff workspace, or the cabinet."""
    spaces = selectors.workspaces_of(user=request.user)
    return redirect(spaces[0].url if spaces else "cabinet:home")


# The head's kindergarten --------------------------------------------------------


@access(Access.STAFF)
def kindergarten(request: HttpRequest, number: int) -> HttpResponse:
    found = get_object_or_404(selectors.kindergartens_headed_by(user=request.user), number=number)
    today = clock.today()
    return render(
        request,
        "workspace/kindergarten.html",
        {
            "kindergarten": found,
            "is_head": may_run_group(user=request.user, kindergarten_id=found.pk),
            "groups": selectors.kindergarten_groups(kindergarten=found, today=today),
            "due_today": selectors.documents_due(kindergarten=found, today=today, days=0),
            "due_week": selectors.documents_due(kindergarten=found, today=today, days=7),
            "changes": selectors.group_changes_of(kindergarten=found),
        },
    )


# The district office ------------------------------------------------------------


def _district(request: HttpRequest, slug: str) -> District:
    return get_object_or_404(selectors.districts_of_officer(user=request.user), slug=slug)


@access(Access.STAFF)
def district(request: HttpRequest, slug: str) -> HttpResponse:
    office = _district(request, slug)
    find = FindChildForm(request.GET or None)
    if find.is_valid():
        child = selectors.children_in(district=office).filter(
            application_number=find.cleaned_data["number"]
        )
        if child.exists():
            return redirect("workspace:child", slug=slug, child_id=child.get().pk)
        find.add_error("number", _("Дитини з таким номером заяви серед заяв району немає."))
    return render(
        request,
        "workspace/district.html",
        {
            "district": office,
            "counts": selectors.district_counts(district=office),
            "claims": selectors.claims_pending_in(district=office)[:5],
            "flags": selectors.flags_open_in(district=office)[:5],
            "changes": selectors.group_changes_pending_in(district=office)[:5],
            "find": find,
        },
    )


@access(Access.STAFF)
def claims(request: HttpRequest, slug: str) -> HttpResponse:
    office = _district(request, slug)
    return render(
        request,
        "workspace/claims.html",
        {
            "district": office,
            "pending": selectors.claims_pending_in(district=office),
            "decided": selectors.claims_in(district=office)
            .exclude(status=ClaimStatus.PENDING)
            .order_by("-decided_at", "-pk")[:20],
        },
    )


def _decide(
    request: HttpRequest, success: str, action: Callable[[], Any], form: Any, field: str
) -> bool:
    """Run a decision; its refusal becomes an error on the form's `field` (or the
    form's own, when it is already decided), or a message without a form."""
    try:
        action()
    except ValidationError as error:
        if form is None:
            for text in error.messages:
                messages.error(request, text)
        else:
            form.add_error(None if error.code == "decided" else field, error)
        return False
    messages.success(request, success)
    return True


@access(Access.STAFF)
def claim(request: HttpRequest, slug: str, claim_id: int) -> HttpResponse:
    office = _district(request, slug)
    found = get_object_or_404(selectors.claims_in(district=office), pk=claim_id)
    confirm = ConfirmForm(
        request.POST if request.POST.get("decision") == "confirm" else None,
        initial={"valid_until": found.valid_until},
    )
    reject = DecisionForm(
        request.POST if request.POST.get("decision") == "reject" else None,
        reasons=decisions.REJECT_REASONS,
    )
    user = _user(request)
    if request.method == "POST":
        if confirm.is_bound and confirm.is_valid():
            valid_until = confirm.cleaned_data["valid_until"]
            if _decide(
                request,
                _("Пільгу підтверджено. Позиції дитини в черзі вже змінилися."),
                lambda: decisions.claim_confirm(claim=found, user=user, valid_until=valid_until),
                confirm,
                "valid_until",
            ):
                return redirect("workspace:claims", slug=slug)
        elif reject.is_bound and reject.is_valid():
            reason, note = reject.cleaned_data["reason"], reject.cleaned_data["note"]
            if _decide(
                request,
                _("Заяву відхилено. Родина побачить пояснення в кабінеті."),
                lambda: decisions.claim_reject(claim=found, user=user, reason=reason, note=note),
                reject,
                "note",
            ):
                return redirect("workspace:claims", slug=slug)
    today = clock.today()
    pages = 0
    if found.document:  # none for a privilege the office recorded at registration
        with found.document.open("rb") as handle:
            pages = document_pages(data=handle.read(), content_type=found.document_type)
    return render(
        request,
        "workspace/claim.html",
        {
            "district": office,
            "claim": found,
            "pages": range(1, pages + 1),
            "child": found.child,
            "what_if": selectors.positions_with_tier(
                child=found.child, tier=found.category.tier, today=today
            )
            if found.status == ClaimStatus.PENDING
            else [],
            "confirm": confirm,
            "reject": reject,
        },
    )


@access(Access.STAFF)
def flags(request: HttpRequest, slug: str) -> HttpResponse:
    office = _district(request, slug)
    return render(
        request,
        "workspace/flags.html",
        {"district": office, "flags": selectors.flags_open_in(district=office)},
    )


@access(Access.STAFF)
def flag(request: HttpRequest, slug: str, flag_id: int) -> HttpResponse:
    """Two records side by side and the three decisions: different children (clear),
    one child recorded twice (merge, when there is a second record), no real child
    (fake); each with its reason and a note for the family."""
    office = _district(request, slug)
    found: DuplicateFlag = get_object_or_404(selectors.flags_in(district=office), pk=flag_id)
    decision = request.POST.get("decision") if request.method == "POST" else None
    forms = {
        name: DecisionForm(request.POST if decision == name else None, reasons=reasons, prefix=name)
        for name, reasons in (
            ("clear", duplicates.FLAG_CLEAR_REASONS),
            ("merge", duplicates.FLAG_MERGE_REASONS),
            ("fake", duplicates.FLAG_FAKE_REASONS),
        )
    }
    user = _user(request)
    form = forms.get(decision or "")
    if form is not None and form.is_valid():
        reason, note = form.cleaned_data["reason"], form.cleaned_data["note"]
        if decision == "clear" and _decide(
            request,
            _(
                "Позначку знято: це різні діти, запис знову в черзі. Ці два записи більше "
                "не позначатимуться як схожі."
            ),
            lambda: duplicates.flag_clear(flag=found, user=user, reason=reason, note=note),
            form,
            "note",
        ):
            return redirect("workspace:flags", slug=slug)
        kept: list[Child] = []
        if decision == "merge" and _decide(
            request,
            _(
                "Записи об'єднано: лишився запис із ранішою датою реєстрації, з усіма "
                "садочками, пільгами й пропозиціями обох; інший знято з обліку."
            ),
            lambda: kept.append(
                duplicates.flag_merge(flag=found, user=user, reason=reason, note=note)
            ),
            form,
            "note",
        ):
            return redirect("workspace:child", slug=slug, child_id=kept[0].pk)
        if decision == "fake" and _decide(
            request,
            _(
                "Запис знято з обліку як несправжній: його немає в жодній черзі, а "
                "запропоноване йому місце передано наступній дитині."
            ),
            lambda: duplicates.flag_fake(flag=found, user=user, reason=reason, note=note),
            form,
            "note",
        ):
            return redirect("workspace:flags", slug=slug)
    if form is not None:
        found.refresh_from_db()  # another officer may have decided it meanwhile
    return render(
        request,
        "workspace/flag.html",
        {
            "district": office,
            "flag": found,
            "refused": form.non_field_errors() if form is not None else [],
            "sides": selectors.flag_sides(flag=found),
            "clear": forms["clear"],
            "merge": forms["merge"] if found.similar_to_id is not None else None,
            "fake": forms["fake"],
            "clear_hidden": [("decision", "clear")],
            "merge_hidden": [("decision", "merge")],
            "fake_hidden": [("decision", "fake")],
        },
    )


@access(Access.STAFF)
def child(request: HttpRequest, slug: str, child_id: int) -> HttpResponse:
    """A child as the district office sees it: its queue positions, claims, referrals
    and flags, with the corrections the office may make, each with its reason."""
    office = _district(request, slug)
    found = get_object_or_404(selectors.children_in(district=office), pk=child_id)
    action = request.POST.get("action") if request.method == "POST" else None
    end = DecisionForm(
        request.POST if action == "end" else None, reasons=decisions.END_REASONS, prefix="end"
    )
    raise_flag = DecisionForm(
        request.POST if action == "flag" else None,
        reasons=decisions.FLAG_RAISE_REASONS,
        note_label=_("Пояснення"),
        prefix="flag",
    )
    referral = ReferralForm(request.POST if action == "referral" else None, prefix="referral")
    restore_form = DateRestoreForm(request.POST if action == "restore" else None, prefix="restore")
    new_code = NewCodeForm(request.POST if action == "code" else None, prefix="code")
    user = _user(request)
    done = False
    if action == "code" and new_code.is_valid():
        try:
            issued = registration.office_code_renew(
                officer=user, district=office, child=found, contacts=_contacts(new_code)
            )
        except ValidationError as error:
            new_code.add_error(None, error)
        else:
            messages.success(request, _("Видано новий код; попередній більше не діє."))
            return _code_keep(request, issued)
    if action == "end" and end.is_valid():
        ended = get_object_or_404(
            found.claims.filter(status=ClaimStatus.CONFIRMED), pk=request.POST.get("claim")
        )
        reason, note = end.cleaned_data["reason"], end.cleaned_data["note"]
        done = _decide(
            request,
            _("Дію пільги припинено. Позиції дитини в черзі вже змінилися."),
            lambda: decisions.claim_end(claim=ended, user=user, reason=reason, note=note),
            end,
            "note",
        )
    elif action == "flag" and raise_flag.is_valid():
        reason, note = raise_flag.cleaned_data["reason"], raise_flag.cleaned_data["note"]
        done = _decide(
            request,
            _("Запис позначено: до перевірки його немає в черзі."),
            lambda: decisions.flag_raise(child=found, user=user, reason=reason, note=note),
            raise_flag,
            "note",
        )
    elif action == "referral" and referral.is_valid():
        kind, until = referral.cleaned_data["kind"], referral.cleaned_data["valid_until"]
        done = _decide(
            request,
            _("Направлення враховано: дитина в черзі відповідних спеціальних груп."),
            lambda: decisions.referral_record(child=found, user=user, kind=kind, valid_until=until),
            referral,
            "valid_until",
        )
    elif action == "restore" and restore_form.is_valid():
        qid, on = restore_form.cleaned_data["qid"], restore_form.cleaned_data["registered_on"]
        done = _decide(
            request,
            _("Запис старої системи приєднано; залишається раніша з двох дат реєстрації."),
            lambda: restore.date_restore(
                child=found, user=user, qid=qid, registered_on=on, as_officer=True
            ),
            restore_form,
            "qid",
        )
    if done:
        return redirect("workspace:child", slug=slug, child_id=found.pk)
    return render(
        request,
        "workspace/child.html",
        {
            "district": office,
            "child": found,
            "standings": standings_of(child=found, today=clock.today()),
            "claims": found.claims.select_related("category").order_by("-submitted_at"),
            "confirmed_claims": found.claims.select_related("category").filter(
                status=ClaimStatus.CONFIRMED
            ),
            "referral_hidden": [("action", "referral")],
            "restore_hidden": [("action", "restore")],
            "restore": restore_form,
            "flag_hidden": [("action", "flag")],
            "referrals": found.referrals.order_by("-confirmed_at"),
            "flags": found.flags.order_by("-created_at"),
            "closed": found.status == ChildStatus.CLOSED,
            "merged_into": found.merged_into,
            "end": end,
            "raise_flag": raise_flag,
            "referral": referral,
            "new_code": new_code,
            "code_hidden": [("action", "code")],
            "unattached": found.registered_by_office_id == office.pk
            and not found.guardianships.exists(),
            "codes": found.invitations.filter(from_office=True).order_by("-pk")[:5],
        },
    )


# Registration at the district office ---------------------------------------------

# The session key under which a new code waits for its one showing.
_CODE_KEY = "office_code_{}"


def _code_keep(request: HttpRequest, issued: registration.Issued) -> HttpResponse:
    """Keep the code for the result page, which shows it once, and go there."""
    request.session[_CODE_KEY.format(issued.child.pk)] = {
        "code": issued.code,
        "expires_at": issued.expires_at.isoformat(),
        "sent_to": issued.sent_to,
    }
    return redirect(
        "workspace:registered",
        slug=issued.child.registered_by_office.slug,  # type: ignore[union-attr]
        child_id=issued.child.pk,
    )


def _contacts(form: Any) -> Contacts:
    return Contacts(
        email=form.cleaned_data.get("contact_email") or "",
        phone=form.cleaned_data.get("contact_phone") or "",
    )


@access(Access.STAFF)
def register(request: HttpRequest, slug: str) -> HttpResponse:
    """Register a child on the family's behalf (IDP, LKK, PMPK) from its documents."""
    found = _district(request, slug)
    form = OfficeRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = registration.child_register_at_office(
                officer=_user(request),
                district=found,
                data=NewChild(
                    data["last_name"],
                    data["first_name"],
                    data["patronymic"],
                    data["born"],
                    form.parsed_certificate,
                ),
                basis=data["basis"],
                valid_until=data["valid_until"],
                kindergartens=data["kindergartens"],
                contacts=_contacts(form),
                document=data["document"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Дитину зареєстровано: вона вже в черзі."))
            return _code_keep(request, issued)
    return render(request, "workspace/register.html", {"district": found, "form": form})


@access(Access.STAFF)
def registered(request: HttpRequest, slug: str, child_id: int) -> HttpResponse:
    """The result of a registration or a new code: the code, shown this once."""
    found = _district(request, slug)
    child_found = get_object_or_404(selectors.children_in(district=found), pk=child_id)
    kept = request.session.pop(_CODE_KEY.format(child_found.pk), None)
    return render(
        request,
        "workspace/registered.html",
        {
            "district": found,
            "child": child_found,
            "code": kept["code"] if kept else None,
            "expires_at": dt.datetime.fromisoformat(kept["expires_at"]) if kept else None,
            "sent_to": kept["sent_to"] if kept else "",
            "choices": child_found.choices.select_related("kindergarten").order_by("rank"),
        },
    )


@access(Access.STAFF)
def registrations(request: HttpRequest, slug: str) -> HttpResponse:
    """The children this office registered on their families' behalf."""
    found = _district(request, slug)
    return render(
        request,
        "workspace/registrations.html",
        {"district": found, "children": selectors.registered_by(district=found)[:200]},
    )


@access(Access.STAFF)
def transfer_requests(request: HttpRequest, slug: str) -> HttpResponse:
    office = _district(request, slug)
    return render(
        request,
        "workspace/requests.html",
        {
            "district": office,
            "pending": selectors.requests_pending_in(district=office),
            "decided": selectors.requests_in(district=office)
            .exclude(status="pending")
            .order_by("-decided_at", "-pk")[:20],
        },
    )


@access(Access.STAFF)
def transfer_request(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    """A family says another account registered its child: the officer sees both
    sides' contacts, checks the documents in person, and moves the child or refuses."""
    office = _district(request, slug)
    found: TransferRequest = get_object_or_404(
        selectors.requests_in(district=office), pk=request_id
    )
    decision = request.POST.get("decision") if request.method == "POST" else None
    move = DecisionForm(
        request.POST if decision == "move" else None,
        reasons=transfers.MOVE_REASONS,
        note_label=_("Пояснення для обох родин"),
        prefix="move",
    )
    refuse = DecisionForm(
        request.POST if decision == "refuse" else None,
        reasons=transfers.REFUSE_REASONS,
        note_label=_("Пояснення для родини, що звернулася"),
        prefix="refuse",
    )
    user = _user(request)
    if decision == "move" and move.is_valid():
        reason, note = move.cleaned_data["reason"], move.cleaned_data["note"]
        if _decide(
            request,
            _("Дитину передано родині, що звернулася. Обидві родини отримали повідомлення."),
            lambda: transfers.transfer_move(request=found, user=user, reason=reason, note=note),
            move,
            "note",
        ):
            return redirect("workspace:requests", slug=slug)
    elif decision == "refuse" and refuse.is_valid():
        reason, note = refuse.cleaned_data["reason"], refuse.cleaned_data["note"]
        if _decide(
            request,
            _("У зверненні відмовлено. Родина побачить пояснення в кабінеті."),
            lambda: transfers.transfer_refuse(request=found, user=user, reason=reason, note=note),
            refuse,
            "note",
        ):
            return redirect("workspace:requests", slug=slug)
    return render(
        request,
        "workspace/request.html",
        {
            "district": office,
            "request_": found,
            "holders": selectors.guardians_of(child=found.child),
            "move": move,
            "refuse": refuse,
            "move_hidden": [("decision", "move")],
            "refuse_hidden": [("decision", "refuse")],
        },
    )


@access(Access.STAFF)
def group_changes(request: HttpRequest, slug: str) -> HttpResponse:
    office = _district(request, slug)
    return render(
        request,
        "workspace/group_changes.html",
        {
            "district": office,
            "pending": selectors.group_changes_pending_in(district=office).order_by(
                "proposed_at", "pk"
            ),
        },
    )


@access(Access.STAFF)
def group_change(request: HttpRequest, slug: str, change_id: int) -> HttpResponse:
    office = _district(request, slug)
    found: GroupChange = get_object_or_404(
        selectors.group_changes_in(district=office), pk=change_id
    )
    reject = RejectChangeForm(request.POST if request.POST.get("decision") == "reject" else None)
    user = _user(request)
    if request.method == "POST":
        if request.POST.get("decision") == "approve":
            if _decide(
                request,
                _("Зміну групи затверджено. Черга групи вже за новими межами."),
                lambda: decisions.group_change_approve(change=found, user=user),
                None,
                "",
            ):
                return redirect("workspace:group-changes", slug=slug)
        elif reject.is_valid():
            note = reject.cleaned_data["note"]
            if _decide(
                request,
                _("Зміну групи відхилено. Керівник садочка побачить пояснення."),
                lambda: decisions.group_change_reject(change=found, user=user, note=note),
                reject,
                "note",
            ):
                return redirect("workspace:group-changes", slug=slug)
    return render(
        request,
        "workspace/group_change.html",
        {
            "district": office,
            "change": found,
            "effect": selectors.change_effect(change=found, today=clock.today()),
            "reject": reject,
            "reject_hidden": [("decision", "reject")],
        },
    )


# The city -------------------------------------------------------------------------


@access(Access.ADMIN)
def city(request: HttpRequest) -> HttpResponse:
    deadlines = [
        (_("Днів на відповідь на пропозицію"), settings.SADOK_OFFER_ANSWER_DAYS),
        (_("Нагадування за днів до кінця строку"), settings.SADOK_OFFER_REMINDER_DAYS),
        (_("Робочих днів на документи"), settings.SADOK_DOCUMENTS_WORKING_DAYS),
        (
            _("Попередити родину про кінець пільги за днів"),
            settings.SADOK_PRIVILEGE_EXPIRY_NOTICE_DAYS,
        ),
        (_("Щоденний перерахунок (час у Києві)"), settings.SADOK_DAILY_RUN_AT),
    ]
    return render(
        request,
        "workspace/city.html",
        {
            "categories": PrivilegeCategory.objects.order_by("tier", "name"),
            "deadlines": deadlines,
            "districts": District.objects.order_by("name"),
            "kindergartens": Kindergarten.objects.count(),
            "roles": selectors.staff_roles(),
        },
    )
