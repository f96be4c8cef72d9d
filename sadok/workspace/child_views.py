"""The district office and a child's record: duplicate flags, the child's page with
the corrections the office may make, and families' requests about a certificate
another account registered."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sadok import clock
from sadok.accounts.access import Access, access
from sadok.applications.forms import DateRestoreForm
from sadok.applications.models import (
    Child,
    ChildStatus,
    ClaimStatus,
    DuplicateFlag,
    TransferRequest,
)
from sadok.offers import district as decisions
from sadok.offers import duplicates, restore, transfers
from sadok.offers import office as registration
from sadok.queue.selectors import standings_of
from sadok.workspace import selectors
from sadok.workspace.common import decide, office_of, user_of
from sadok.workspace.forms import (
    DecisionForm,
    NewCodeForm,
    ReferralForm,
)
from sadok.workspace.office_views import code_keep, contacts_of


@access(Access.STAFF)
def flags(request: HttpRequest, slug: str) -> HttpResponse:
    office = office_of(request, slug)
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
    office = office_of(request, slug)
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
    user = user_of(request)
    form = forms.get(decision or "")
    if form is not None and form.is_valid():
        reason, note = form.cleaned_data["reason"], form.cleaned_data["note"]
        if decision == "clear" and decide(
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
        if decision == "merge" and decide(
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
        if decision == "fake" and decide(
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
    office = office_of(request, slug)
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
    user = user_of(request)
    done = False
    if action == "code" and new_code.is_valid():
        try:
            issued = registration.office_code_renew(
                officer=user, district=office, child=found, contacts=contacts_of(new_code)
            )
        except ValidationError as error:
            new_code.add_error(None, error)
        else:
            messages.success(request, _("Видано новий код; попередній більше не діє."))
            return code_keep(request, issued)
    if action == "end" and end.is_valid():
        ended = get_object_or_404(
            found.claims.filter(status=ClaimStatus.CONFIRMED), pk=request.POST.get("claim")
        )
        reason, note = end.cleaned_data["reason"], end.cleaned_data["note"]
        done = decide(
            request,
            _("Дію пільги припинено. Позиції дитини в черзі вже змінилися."),
            lambda: decisions.claim_end(claim=ended, user=user, reason=reason, note=note),
            end,
            "note",
        )
    elif action == "flag" and raise_flag.is_valid():
        reason, note = raise_flag.cleaned_data["reason"], raise_flag.cleaned_data["note"]
        done = decide(
            request,
            _("Запис позначено: до перевірки його немає в черзі."),
            lambda: decisions.flag_raise(child=found, user=user, reason=reason, note=note),
            raise_flag,
            "note",
        )
    elif action == "referral" and referral.is_valid():
        kind, until = referral.cleaned_data["kind"], referral.cleaned_data["valid_until"]
        done = decide(
            request,
            _("Направлення враховано: дитина в черзі відповідних спеціальних груп."),
            lambda: decisions.referral_record(child=found, user=user, kind=kind, valid_until=until),
            referral,
            "valid_until",
        )
    elif action == "restore" and restore_form.is_valid():
        qid, on = restore_form.cleaned_data["qid"], restore_form.cleaned_data["registered_on"]
        done = decide(
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


@access(Access.STAFF)
def transfer_requests(request: HttpRequest, slug: str) -> HttpResponse:
    office = office_of(request, slug)
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
    office = office_of(request, slug)
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
    user = user_of(request)
    if decision == "move" and move.is_valid():
        reason, note = move.cleaned_data["reason"], move.cleaned_data["note"]
        if decide(
            request,
            _("Дитину передано родині, що звернулася. Обидві родини отримали повідомлення."),
            lambda: transfers.transfer_move(request=found, user=user, reason=reason, note=note),
            move,
            "note",
        ):
            return redirect("workspace:requests", slug=slug)
    elif decision == "refuse" and refuse.is_valid():
        reason, note = refuse.cleaned_data["reason"], refuse.cleaned_data["note"]
        if decide(
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
