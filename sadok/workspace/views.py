"""The staff workspaces (SPEC.md "People"): after sign-in each person lands on their
own — a head on the kindergarten, a district officer on the district office, the
city administrator on the city — and switches between them in the header.

Every object comes through a scoped selector (`selectors`), every decision through
a service of `sadok.offers.district`, which checks the officer again, records who
decided and why, and offers at once a place the child now fits.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sadok import clock
from sadok.accounts.access import Access, access
from sadok.applications.documents import document_pages
from sadok.applications.models import (
    ClaimStatus,
    PrivilegeCategory,
)
from sadok.kindergartens.models import District, GroupChange, Kindergarten
from sadok.offers import district as decisions
from sadok.offers.policies import may_run_group
from sadok.workspace import selectors
from sadok.workspace.common import decide, office_of, user_of
from sadok.workspace.forms import (
    ConfirmForm,
    DecisionForm,
    FindChildForm,
    RejectChangeForm,
)


@access(Access.ACCOUNT)
def home(request: HttpRequest) -> HttpResponse:
    """Where sign-in lands: the person's first staff workspace, or the cabinet."""
    spaces = selectors.workspaces_of(user=request.user)
    return redirect(spaces[0].url if spaces else "cabinet:home")


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


@access(Access.STAFF)
def district(request: HttpRequest, slug: str) -> HttpResponse:
    office = office_of(request, slug)
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
    office = office_of(request, slug)
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


@access(Access.STAFF)
def claim(request: HttpRequest, slug: str, claim_id: int) -> HttpResponse:
    office = office_of(request, slug)
    found = get_object_or_404(selectors.claims_in(district=office), pk=claim_id)
    confirm = ConfirmForm(
        request.POST if request.POST.get("decision") == "confirm" else None,
        initial={"valid_until": found.valid_until},
    )
    reject = DecisionForm(
        request.POST if request.POST.get("decision") == "reject" else None,
        reasons=decisions.REJECT_REASONS,
    )
    user = user_of(request)
    if request.method == "POST":
        if confirm.is_bound and confirm.is_valid():
            valid_until = confirm.cleaned_data["valid_until"]
            if decide(
                request,
                _("Пільгу підтверджено. Позиції дитини в черзі вже змінилися."),
                lambda: decisions.claim_confirm(claim=found, user=user, valid_until=valid_until),
                confirm,
                "valid_until",
            ):
                return redirect("workspace:claims", slug=slug)
        elif reject.is_bound and reject.is_valid():
            reason, note = reject.cleaned_data["reason"], reject.cleaned_data["note"]
            if decide(
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
def group_changes(request: HttpRequest, slug: str) -> HttpResponse:
    office = office_of(request, slug)
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
    office = office_of(request, slug)
    found: GroupChange = get_object_or_404(
        selectors.group_changes_in(district=office), pk=change_id
    )
    reject = RejectChangeForm(request.POST if request.POST.get("decision") == "reject" else None)
    user = user_of(request)
    if request.method == "POST":
        if request.POST.get("decision") == "approve":
            if decide(
                request,
                _("Зміну групи затверджено. Черга групи вже за новими межами."),
                lambda: decisions.group_change_approve(change=found, user=user),
                None,
                "",
            ):
                return redirect("workspace:group-changes", slug=slug)
        elif reject.is_valid():
            note = reject.cleaned_data["note"]
            if decide(
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
