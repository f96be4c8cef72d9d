"""Every write of the parent's cabinet: one transaction each, rows locked where a
family's two guardians could race (SPEC.md "Children and applications").

A write here that changes what the queue knows of a child is called through the
door (`sadok.offers.door`), which refreshes the child's queue
record at the end of the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from sadok import clock
from sadok.accounts.models import User
from sadok.accounts.names import person_name_clean
from sadok.applications.certificates import Certificate
from sadok.applications.documents import document_prepare
from sadok.applications.models import (
    Child,
    ChildStatus,
    Choice,
    ClaimStatus,
    DecisionReason,
    DuplicateFlag,
    FlagStatus,
    GuardianInvitation,
    Guardianship,
    LegacyRecord,
    PrivilegeCategory,
    PrivilegeClaim,
)
from sadok.applications.names import name_key, names_similar
from sadok.kindergartens.models import Kindergarten

_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud safely
INVITATION_LIFETIME = dt.timedelta(days=3)


class CertificateTaken(ValidationError):
    pass


@dataclass(frozen=True)
class NewChild:
    last_name: str
    first_name: str
    patronymic: str
    born: dt.date
    certificate: Certificate


def _application_number() -> str:
    return "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(8))


def child_register(
    *, user: User, data: NewChild, registered_at: dt.datetime | None = None
) -> Child:
    """Add a child to the family's cabinet.

    A certificate already in Sadok is refused with what to do next; a child whose
    date of birth and names look like another child's is flagged for the district
    office and stays out of the clean queue until it is checked.
    """
    now = clock.now()
    _certificate_free(data.certificate, user=user)
    try:
        with transaction.atomic():
            child = _child_new(data=data, registered_at=registered_at, at=now)
            # One person's registrations one at a time, so that the counts below hold.
            User.objects.select_for_update().filter(pk=user.pk).first()
            Guardianship.objects.create(child=child, user=user, since=now)
            _flag_near_duplicates(child=child, at=now)
            _flag_implausible(child=child, user=user, at=now)
    except IntegrityError as error:
        # Two guardians typed the same certificate at the same moment.
        raise CertificateTaken(certificate_taken_message(), code="certificate_taken") from error
    return child


def child_register_at_office(*, data: NewChild, district_id: int, at: dt.datetime) -> Child:
    """A child the district office registers on the family's behalf (SPEC.md
    "Privileges": IDP families, LKK and PMPK referrals start there), with no guardian
    until the family attaches it with the office's code.

    The same certificate and near-duplicate checks as a family's registration; not
    the per-account counts (`_flag_implausible`), which watch a family's account,
    not an office that registers many families' children a day. It enters the queue
    at `at` (its registration date), once the caller adds its kindergartens."""
    if data.born > at.astimezone(clock.KYIV).date():
        raise ValidationError(
            _("Дата народження не може бути в майбутньому."), code="born_in_future"
        )
    _certificate_free(data.certificate)
    try:
        with transaction.atomic():
            child = _child_new(data=data, registered_at=at, at=at, district_id=district_id)
            _flag_near_duplicates(child=child, at=at)
    except IntegrityError as error:
        raise CertificateTaken(certificate_taken_message(), code="certificate_taken") from error
    return child


def _certificate_free(certificate: Certificate, user: User | None = None) -> None:
    """Refuse a certificate some record not closed already holds, saying what to do:
    `user`'s own child is in their cabinet; another account's, ask the office."""
    taken = (
        Child.objects.filter(certificate_key=certificate.key)
        .exclude(status=ChildStatus.CLOSED)
        .first()
    )
    if taken is None:
        return
    if user is not None and taken.guardianships.filter(user=user).exists():
        raise CertificateTaken(
            _(
                "Ця дитина вже є у вашому кабінеті (заява № %(number)s). Щоб перенести дату "
                "реєстрації зі старої системи, відкрийте «Перенести запис зі старої системи»."
            )
            % {"number": taken.application_number},
            code="certificate_yours",
        )
    if user is None:
        raise CertificateTaken(
            _(
                "Дитину з цим свідоцтвом уже зареєстровано в Sadok. Якщо її записав не "
                "законний представник, родина може звернутися до РУО зі свого кабінету "
                "(«Звернутися до РУО»), і ви передасте дитину їй."
            ),
            code="certificate_taken",
        )
    raise CertificateTaken(certificate_taken_message(), code="certificate_taken")


def _child_new(
    *,
    data: NewChild,
    registered_at: dt.datetime | None,
    at: dt.datetime,
    district_id: int | None = None,
) -> Child:
    return Child.objects.create(
        last_name=person_name_clean(data.last_name),
        first_name=person_name_clean(data.first_name),
        patronymic=person_name_clean(data.patronymic),
        born=data.born,
        certificate_key=data.certificate.key,
        certificate_display=data.certificate.display,
        application_number=_application_number(),
        lottery=secrets.randbelow(1_000_000),
        registered_at=registered_at,
        created_at=at,
        registered_by_office_id=district_id,
    )


def certificate_taken_message() -> str:
    return _(
        "Дитину з цим свідоцтвом уже зареєстровано в Sadok з іншого облікового запису. "
        "Якщо її записав інший із батьків, попросіть у нього код доступу (сторінка дитини "
        "→ «Отримати код для другого з батьків»). Якщо ви не знаєте, хто її записав, "
        "зверніться до РУО звідси: кнопка «Звернутися до РУО» на цій сторінці."
    )


def _flag_near_duplicates(*, child: Child, at: dt.datetime) -> None:
    """Flag `child` against every other record of its birth date whose names read
    alike (`names.names_similar`), except closed records, a pair the district office
    has already found to be two children (twins stay distinct for good, whatever is
    checked again later), and a pair already flagged and not yet decided."""
    key = name_key(child.last_name, child.first_name)
    others = Child.objects.filter(born=child.born).exclude(pk=child.pk)
    others = others.exclude(status=ChildStatus.CLOSED)
    paired = DuplicateFlag.objects.filter(
        Q(child=child) | Q(similar_to=child),
        Q(status=FlagStatus.OPEN)
        | Q(status=FlagStatus.CLEARED, decision_reason=DecisionReason.CHECKED_NOT_DUPLICATE),
    ).values_list("child_id", "similar_to_id")
    known = {pk for pair in paired for pk in pair if pk is not None and pk != child.pk}
    for other in others.exclude(pk__in=known).order_by("pk"):
        if names_similar(key, name_key(other.last_name, other.first_name)):
            DuplicateFlag.objects.create(
                child=child,
                similar_to=other,
                reason=_("та сама дата народження і схоже ім'я"),
                created_at=at,
            )


def _flag_implausible(*, child: Child, user: User, at: dt.datetime) -> None:
    """More children on one account than a family plausibly has, or more added in a
    day (SPEC.md "Duplicate and fake control"): the new child waits for the
    district office before it enters the queue."""
    children = Guardianship.objects.filter(user=user)
    today = children.filter(since__gte=at - dt.timedelta(days=1)).count()
    if children.count() > settings.SADOK_CHILDREN_PER_ACCOUNT:
        reason = _("на одному обліковому записі більше %(n)d дітей") % {
            "n": settings.SADOK_CHILDREN_PER_ACCOUNT
        }
    elif today > settings.SADOK_CHILDREN_PER_DAY:
        reason = _("за добу додано більше %(n)d дітей") % {"n": settings.SADOK_CHILDREN_PER_DAY}
    else:
        return
    DuplicateFlag.objects.create(child=child, similar_to=None, reason=reason, created_at=at)


def _locked(child: Child) -> Child:
    return Child.objects.select_for_update().get(pk=child.pk)


def choice_add(*, child: Child, kindergarten: Kindergarten) -> Choice:
    """Add a kindergarten at the end of the child's list.

    The first kindergarten puts the child in the queue: that moment becomes its
    registration date, and no later change of the list moves it.
    """
    with transaction.atomic():
        locked = _locked(child)
        existing = Choice.objects.filter(child=locked, kindergarten=kindergarten).first()
        if existing is not None:
            return existing
        last = locked.choices.aggregate(last=Max("rank"))["last"] or 0
        now = clock.now()
        choice = Choice.objects.create(
            child=locked, kindergarten=kindergarten, rank=last + 1, added_at=now
        )
        if locked.registered_at is None:
            locked.registered_at = now
            locked.save(update_fields=["registered_at"])
    child.registered_at = locked.registered_at
    return choice


def _choice_gone() -> ValidationError:
    # Two tabs (or two guardians) changed the list at once: the other one won.
    return ValidationError(
        _("Цього садочка вже немає у списку дитини: список щойно змінено. Перегляньте його."),
        code="choice_gone",
    )


def choice_move(*, choice: Choice, up: bool) -> None:
    """Swap a kindergarten with its neighbour above (up) or below."""
    with transaction.atomic():
        _locked(choice.child)
        ranked = list(Choice.objects.filter(child=choice.child).order_by("rank"))
        found = [i for i, c in enumerate(ranked) if c.pk == choice.pk]
        if not found:
            raise _choice_gone()
        index = found[0]
        other = index - 1 if up else index + 1
        if not 0 <= other < len(ranked):
            return
        ranked[index], ranked[other] = ranked[other], ranked[index]
        _renumber(ranked)


def choice_remove(*, choice: Choice) -> None:
    """Remove a kindergarten; the registration date stays as it was."""
    with transaction.atomic():
        _locked(choice.child)
        if not Choice.objects.filter(pk=choice.pk).exists():
            raise _choice_gone()
        choice.delete()  # renumbering keeps the order
        _renumber(list(Choice.objects.filter(child=choice.child).order_by("rank")))


def _renumber(ranked: list[Choice]) -> None:
    for rank, choice in enumerate(ranked, start=1):
        if choice.rank != rank:
            choice.rank = rank
    Choice.objects.bulk_update(ranked, ["rank"])


def keep_waiting_set(*, child: Child, keep_waiting: bool) -> None:
    Child.objects.filter(pk=child.pk).update(keep_waiting=keep_waiting)
    child.keep_waiting = keep_waiting


def children_deactivate(*, child_ids: Iterable[int], reason: str) -> None:
    """Temporarily out of every queue, registration date kept (SPEC.md "Group
    formation", steps 5 and 6: an offer ignored, documents not brought); the family
    reactivates the child from the cabinet."""
    Child.objects.filter(pk__in=list(child_ids)).update(
        status=ChildStatus.DEACTIVATED, status_changed_at=clock.now(), status_reason=reason
    )


def child_reactivate(*, child: Child) -> None:
    """A deactivated child returns to every queue with its registration date kept."""
    with transaction.atomic():
        locked = _locked(child)
        if locked.status != ChildStatus.DEACTIVATED:
            raise ValidationError(_("Дитина вже бере участь у черзі."), code="already_active")
        locked.status = ChildStatus.ACTIVE
        locked.status_changed_at = clock.now()
        locked.status_reason = ""
        locked.save(update_fields=["status", "status_changed_at", "status_reason"])
    child.refresh_from_db()


def claim_submit(
    *,
    child: Child,
    user: User,
    category: PrivilegeCategory,
    document: UploadedFile,
    valid_until: dt.date | None,
) -> PrivilegeClaim:
    """File a privilege claim with its document; it counts only once the district
    office confirms it (SPEC.md "Privileges"). A child has at most
    SADOK_DOCUMENTS_PER_CHILD claims with documents; the document is kept as
    `documents.document_prepare` makes it (random name, images re-encoded)."""
    kept = document_prepare(document)  # raises ValidationError with a parent's sentence
    with transaction.atomic():
        _locked(child)
        if PrivilegeClaim.objects.filter(child=child).count() >= settings.SADOK_DOCUMENTS_PER_CHILD:
            raise ValidationError(
                _(
                    "Для цієї дитини вже подано %(n)d документів — більше не можна. Якщо "
                    "потрібно подати ще один, зверніться до РУО свого району."
                )
                % {"n": settings.SADOK_DOCUMENTS_PER_CHILD},
                code="too_many_documents",
            )
        return PrivilegeClaim.objects.create(
            child=child,
            category=category,
            document=kept.content,
            document_type=kept.content_type,
            valid_until=valid_until,
            submitted_at=clock.now(),
            submitted_by=user,
            status=ClaimStatus.PENDING,
        )


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def _code() -> str:
    return "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(10))


def invitation_create(*, child: Child, user: User) -> str:
    """A one-time code (valid three days) for the child's second guardian."""
    code = _code()
    GuardianInvitation.objects.create(
        child=child,
        code_hash=_hash(code),
        created_by=user,
        expires_at=clock.now() + INVITATION_LIFETIME,
    )
    return code


def office_code_create(
    *, child: Child, user: User, expires_at: dt.datetime, sent_to: str
) -> tuple[GuardianInvitation, str]:
    """The district office's one-time code with which the family attaches a child the
    office registered; any earlier office code of the child stops working (it
    expires now). Refused once a family has attached the child: from then on only
    the family's own invitation adds a guardian. Returns the invitation and its
    code, this once: only the code's hash is kept."""
    with transaction.atomic():
        locked = _locked(child)
        if locked.guardianships.exists():
            raise ValidationError(
                _(
                    "Родина вже додала цю дитину до свого кабінету. Другого з батьків "
                    "запрошує сама родина кодом зі сторінки дитини."
                ),
                code="attached",
            )
        now = clock.now()
        GuardianInvitation.objects.filter(
            child=locked, from_office=True, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        code = _code()
        invitation = GuardianInvitation.objects.create(
            child=locked,
            code_hash=_hash(code),
            created_by=user,
            expires_at=expires_at,
            from_office=True,
            sent_to=sent_to,
        )
    return invitation, code


def invitation_accept(*, code: str, user: User) -> Child:
    """Link `user` to the child of a live one-time code: a second guardian's code, or
    the district office's (the family attaches the child the office registered,
    with its registration date, kindergartens, privilege and referral as they are).
    Either code is used up by it."""
    with transaction.atomic():
        invitation = (
            GuardianInvitation.objects.select_for_update()
            .filter(code_hash=_hash(code), used_at__isnull=True, expires_at__gt=clock.now())
            .select_related("child")
            .first()
        )
        if invitation is not None and invitation.from_office:
            # The office's code attaches a child with no family yet, and only that.
            _locked(invitation.child)
            if invitation.child.guardianships.exists():
                invitation = None
        if invitation is None:
            raise ValidationError(
                _(
                    "Код недійсний або застарів. Попросіть новий код у того з батьків, хто "
                    "додав дитину, або в РУО, де дитину зареєстрували."
                ),
                code="bad_code",
            )
        invitation.used_at = clock.now()
        invitation.save(update_fields=["used_at"])
        Guardianship.objects.get_or_create(
            child=invitation.child, user=user, defaults={"since": clock.now()}
        )
    return invitation.child


@dataclass(frozen=True)
class LegacyClaim:
    qid: str
    registered_on: dt.date
    certificate: Certificate
    last_name: str
    first_name: str
    patronymic: str


def legacy_claim(*, user: User, claim: LegacyClaim) -> Child:
    """Bring a child over from the old system with its old registration date and
    kindergartens, when the Qid, the date and the certificate all match."""
    mismatch = ValidationError(
        _(
            "Запис із таким Qid, датою реєстрації і свідоцтвом не знайдено. Перевірте дані з "
            "довідки старої системи; якщо все вірно — зверніться до РУО."
        ),
        code="legacy_mismatch",
    )
    with transaction.atomic():
        record = LegacyRecord.objects.select_for_update().filter(qid=claim.qid.strip()).first()
        # Whether a Qid exists is told only to someone who also has its date and
        # certificate: every other mismatch reads the same.
        if record is None or (
            record.registered_on != claim.registered_on
            or record.certificate_key != claim.certificate.key
        ):
            raise mismatch
        if record.claimed_by_id is not None:
            raise ValidationError(
                _(
                    "Цей запис старої системи вже перенесено. Якщо це зробили не ви, "
                    "зверніться до РУО."
                ),
                code="legacy_claimed",
            )
        registered_at = dt.datetime.combine(record.registered_on, dt.time(), tzinfo=clock.KYIV)
        child = child_register(
            user=user,
            data=NewChild(
                claim.last_name, claim.first_name, claim.patronymic, record.born, claim.certificate
            ),
            registered_at=registered_at,
        )
        now = clock.now()
        numbers = [int(n) for n in record.kindergarten_numbers]
        by_number = {k.number: k for k in Kindergarten.objects.filter(number__in=numbers)}
        Choice.objects.bulk_create(
            Choice(child=child, kindergarten=by_number[n], rank=rank, added_at=now)
            for rank, n in enumerate((n for n in numbers if n in by_number), start=1)
        )
        record.claimed_by = child
        record.claimed_at = now
        record.save(update_fields=["claimed_by", "claimed_at"])
    return child
