"""Registration at the district office (SPEC.md "People", "Privileges"): IDP families
and children with an LKK or PMPK referral start there. The officer registers the
child from the documents the family brings, with the kindergartens it names, and
hands the family a one-time code with which it attaches the child to its own
cabinet (`/cabinet/join/`).

One transaction through the door: the child, its kindergartens (in the queue from
this moment, its registration date), the confirmed IDP privilege or the referral,
the code, and its e-mail and SMS in the outbox. Nothing of the child's personal
data goes into the messages (the contacts were typed by the officer and are not
verified) or into a log line.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sadok import clock
from sadok.accounts.models import User
from sadok.applications import services as applications
from sadok.applications.models import (
    Child,
    Choice,
    ClaimStatus,
    DecisionReason,
    PrivilegeCategory,
    PrivilegeClaim,
    Referral,
)
from sadok.journal.models import ActorRole
from sadok.journal.services import actor_as
from sadok.kindergartens.models import District, Kindergarten, ReferralKind
from sadok.notifications.services import outbox_write
from sadok.offers.contacts import CODE_EVENT, Contacts, mask_email, mask_phone, office_contacts
from sadok.offers.door import queue_changes
from sadok.offers.policies import Denied, Refused, officer_districts

logger = logging.getLogger(__name__)
IDP = "idp"


class Basis(enum.StrEnum):
    """Why the family starts at the office: the IDP status, or a referral."""

    IDP = IDP
    LKK = ReferralKind.LKK.value
    PMPK = ReferralKind.PMPK.value


@dataclass(frozen=True)
class Issued:
    """A child the office registered (or gave a new code), and the code: shown to
    the officer this once; kept hashed, and in plain text only in the outbox rows
    that send it to the family's contacts."""

    child: Child
    code: str
    expires_at: dt.datetime
    sent_to: str


def office_required(*, officer: User, district: District) -> None:
    if district.pk not in officer_districts(user=officer):
        raise Refused(Denied.NOT_DISTRICT_OFFICER)


def child_register_at_office(
    *,
    officer: User,
    district: District,
    data: applications.NewChild,
    basis: str,
    valid_until: dt.date | None,
    kindergartens: list[Kindergarten],
    contacts: Contacts,
    document: str = "",
) -> Issued:
    """Register a child of an IDP family (a confirmed IDP privilege, with no uploaded
    document: the office saw it; `document` says what it saw) or with an LKK or PMPK
    referral (eligible for the matching special groups at once), with the
    kindergartens the family named, in that order. The child is in the queue from
    now (its registration date) and, having been checked in person, counts as
    verified (docs/queue-rules.md). Returns the child and its first code."""
    office_required(officer=officer, district=district)
    if basis not in Basis.__members__.values():
        raise ValidationError(_("Оберіть підставу зі списку."), code="basis")
    if not kindergartens:
        raise ValidationError(
            _("Оберіть хоча б один садочок: без нього дитина не стає в чергу."),
            code="kindergartens",
        )
    if valid_until is not None and valid_until < clock.today():
        raise ValidationError(_("Документ уже не діє: дата «діє до» минула."), code="valid_until")
    category = None
    if basis == Basis.IDP:
        category = PrivilegeCategory.objects.filter(code=IDP, active=True).first()
        if category is None:
            raise ValidationError(
                _("Категорії пільги для ВПО немає в довіднику: зверніться до Департаменту."),
                code="no_category",
            )
    with queue_changes(actor_as(officer, ActorRole.OFFICER)) as touched:
        touched.reason = DecisionReason.REGISTERED_AT_OFFICE
        now = clock.now()
        child = applications.child_register_at_office(data=data, district_id=district.pk, at=now)
        unique = list(dict.fromkeys(kindergartens))
        Choice.objects.bulk_create(
            Choice(child=child, kindergarten=k, rank=rank, added_at=now)
            for rank, k in enumerate(unique, start=1)
        )
        if category is not None:
            PrivilegeClaim.objects.create(
                child=child,
                category=category,
                document_type="",
                status=ClaimStatus.CONFIRMED,
                valid_until=valid_until,
                submitted_at=now,
                submitted_by=officer,
                decided_at=now,
                decided_by=officer,
                decision_reason=DecisionReason.REGISTERED_AT_OFFICE,
                decision_note=document.strip(),
            )
        else:
            Referral.objects.create(
                child=child,
                kind=basis,
                valid_until=valid_until,
                confirmed_at=now,
                confirmed_by=officer,
            )
        issued = _code_issue(child=child, officer=officer, district=district, contacts=contacts)
        touched.add(child.pk)
    logger.info("office %s registered child %s", district.pk, child.pk)
    return issued


def office_code_renew(
    *, officer: User, district: District, child: Child, contacts: Contacts
) -> Issued:
    """A new code for a child the office registered and no family has attached yet:
    the old one stops working. Sent to `contacts`, or where the last one went."""
    office_required(officer=officer, district=district)
    if child.registered_by_office_id != district.pk:
        raise Refused(Denied.NOT_CHILDS_OFFICER)
    if not (contacts.email or contacts.phone):
        contacts = office_contacts(children=[child.pk]).get(child.pk, Contacts())
    with queue_changes(actor_as(officer, ActorRole.OFFICER)):
        issued = _code_issue(child=child, officer=officer, district=district, contacts=contacts)
    logger.info("office %s gave child %s a new code", district.pk, child.pk)
    return issued


def _code_issue(*, child: Child, officer: User, district: District, contacts: Contacts) -> Issued:
    expires_at = clock.now() + dt.timedelta(days=settings.SADOK_OFFICE_CODE_DAYS)
    sent_to = ", ".join(m for m in (mask_email(contacts.email), mask_phone(contacts.phone)) if m)
    invitation, code = applications.office_code_create(
        child=child, user=officer, expires_at=expires_at, sent_to=sent_to
    )
    if contacts.email or contacts.phone:
        subject, body, sms = code_texts(code=code, expires_at=expires_at, district=district)
        outbox_write(
            sender_id=officer.pk,
            event_key=CODE_EVENT.format(invitation.pk),
            subject=subject,
            body=body,
            sms=sms,
            email=contacts.email,
            phone=contacts.phone,
        )
    return Issued(child=child, code=code, expires_at=expires_at, sent_to=sent_to)


def code_texts(*, code: str, expires_at: dt.datetime, district: District) -> tuple[str, str, str]:
    """Subject, body and SMS of an office code, in Ukrainian: the code, its last day
    and where to enter it; not the child's name (the address is not verified)."""
    with translation.override("uk"):
        until = expires_at.astimezone(clock.KYIV).strftime("%d.%m.%Y")
        values = {
            "code": code,
            "until": until,
            "office": district.name,
            "link": settings.SADOK_BASE_URL.rstrip("/") + reverse("cabinet:join"),
        }
        return (
            _("Код від РУО для кабінету Sadok"),
            _(
                "РУО (%(office)s район) зареєструвало вашу дитину в черзі до дитячих садочків "
                "Києва. Щоб бачити її у своєму кабінеті й відповідати на пропозиції місць, "
                "увійдіть у Sadok (або зареєструйтеся), відкрийте %(link)s і введіть код "
                "%(code)s. Код одноразовий і діє до %(until)s. Якщо ви не зверталися до РУО, "
                "не зважайте на цей лист."
            )
            % values,
            _("Sadok: код дитини від РУО %(code)s, діє до %(until)s. Введіть його в кабінеті")
            % values,
        )
