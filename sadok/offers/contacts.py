"""Where the messages of a child the district office registered go before a family
attaches it (docs/queue-rules.md, "Registration at the district office"): the
contacts the family gave the officer, kept only as the addresses of the office
code's outbox rows, and shown to the officer masked.
"""

from __future__ import annotations

from dataclasses import dataclass

from sadok.applications.models import Child, GuardianInvitation
from sadok.notifications.models import Channel, Delivery

# The event key of an office code's messages; the outbox row's key adds the sender
# and the channel (`notifications.services.outbox_write`).
CODE_EVENT = "office_code:{}"


@dataclass(frozen=True)
class Contacts:
    """An e-mail address and a mobile number in E.164; either may be empty. Read
    back from the outbox, with the officer who sent the code (`sender_id`)."""

    email: str = ""
    phone: str = ""
    sender_id: int | None = None


def office_contacts(*, children: list[int]) -> dict[int, Contacts]:
    """Where the latest office code of each of `children` was sent."""
    latest: dict[int, tuple[int, int]] = {}
    for child_id, pk, sender in (
        GuardianInvitation.objects.filter(child__in=children, from_office=True)
        .order_by("child_id", "pk")
        .values_list("child_id", "pk", "created_by_id")
    ):
        latest[child_id] = (pk, sender)
    keys = {
        f"{CODE_EVENT.format(pk)}:{sender}:{channel}": child_id
        for child_id, (pk, sender) in latest.items()
        for channel in Channel.values
    }
    found: dict[int, dict[str, str]] = {}
    for key, channel, address in Delivery.objects.filter(idempotency_key__in=keys).values_list(
        "idempotency_key", "channel", "address"
    ):
        found.setdefault(keys[key], {})[channel] = address
    return {
        child_id: Contacts(
            email=c.get(Channel.EMAIL, ""),
            phone=c.get(Channel.SMS, ""),
            sender_id=latest[child_id][1],
        )
        for child_id, c in found.items()
    }


def unattached(*, children: list[int]) -> list[int]:
    """Those of `children` the office registered and no family has attached yet."""
    return list(
        Child.objects.filter(
            pk__in=children, registered_by_office__isnull=False, guardianships__isnull=True
        ).values_list("pk", flat=True)
    )


def mask_email(email: str) -> str:
    """ "olena@gmail.com" as "o•••@gmail.com": enough for the officer to recognise."""
    if "@" not in email:
        return ""
    name, domain = email.rsplit("@", 1)
    return f"{name[:1]}•••@{domain}"


def mask_phone(phone: str) -> str:
    """ "+380671234567" as "+380 •• ••• •• 67"."""
    if not phone:
        return ""
    return f"{phone[:4]} •• ••• •• {phone[-2:]}"
