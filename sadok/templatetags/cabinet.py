"""How the queue's reasons and positions read to a family."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from sadok.allocation.model import Reason, Tier
from sadok.queue.why import Cause, Change, History

register = template.Library()

REASONS = {
    Reason.ELIGIBLE: _("у черзі"),
    Reason.NOT_ELIGIBLE_AGE: _("немає групи для віку дитини"),
    Reason.NOT_ELIGIBLE_INACTIVE: _("участь у черзі тимчасово призупинено"),
    Reason.NOT_ELIGIBLE_UNVERIFIED: _("очікує підтвердження телефону й e-mail батьків"),
    Reason.NOT_ELIGIBLE_FLAGGED: _("запис перевіряє РУО (схожий на інший запис)"),
    Reason.NOT_ELIGIBLE_NOT_APPLIED: _("садочок не в списку"),
    Reason.NOT_ELIGIBLE_NO_REFERRAL: _("лише за направленням"),
    # A place accepted counts as held, as much as an enrollment (SPEC.md step 7).
    Reason.NOT_ELIGIBLE_ENROLLED: _(
        "дитина вже має місце (прийняте або зараховане) в садочку, вищому або рівному в списку"
    ),
}
TIERS = {
    Tier.OUT_OF_TURN: _("позачергово"),
    Tier.FIRST_PRIORITY: _("першочергово"),
    Tier.GUARANTEED: _("забезпечення влаштування"),
    Tier.NONE: _("без пільги"),
}


@register.filter
def reason_text(reason: Reason) -> str:
    return str(REASONS.get(reason, reason))


@register.filter
def tier_text(tier: Tier) -> str:
    return str(TIERS[tier])


@register.filter
def nonzero(counts: dict[Tier, int]) -> list[tuple[Tier, int]]:
    """Tiers with someone ahead, in the order of the rule."""
    return [(tier, count) for tier, count in sorted(counts.items()) if count]


# What moved a child in a queue, as the family reads it: another child is never
# named, not even by its number (docs/queue-rules.md, "Why a position changed").
CHANGES = {
    Cause.PRIVILEGED_AHEAD: _(
        "дитині, яка була позаду, підтвердили пільгу, і тепер вона попереду: місце опустилося"
    ),
    Cause.AHEAD_TOOK_PLACE: _("дитина, яка була попереду, отримала місце: черга просунулася"),
    Cause.AHEAD_ENROLLED: _("дитину, яка була попереду, зараховано до садочка"),
    Cause.AHEAD_DEACTIVATED: _(
        "участь у черзі дитини, яка була попереду, призупинено: черга просунулася"
    ),
    Cause.AHEAD_REMOVED: _(
        "дитина, яка була попереду, прибрала цей садочок зі списку: черга просунулася"
    ),
    Cause.OFFER_AHEAD: _("у групі запропоновано місце дитині, яка була попереду"),
    Cause.OFFER_BEHIND: _(
        "у групі запропоновано місце дитині, яка в черзі після вашої (ваша тоді не могла його "
        "отримати: наприклад, мала іншу пропозицію або не була в цій черзі)"
    ),
    Cause.OWN_BAND: _("дитина підросла й перейшла до черги групи «%(group)s»"),
    Cause.OWN_PRIVILEGE: _("пільгу вашої дитини підтверджено: вона піднялася в черзі"),
    Cause.OWN_PRIVILEGE_ENDED: _("пільга вашої дитини більше не діє"),
    Cause.OWN_CHOICE_MOVED: _("ви змінили порядок садочків (місце в черзі від цього не залежить)"),
    Cause.OWN_DEACTIVATED: _("участь вашої дитини в черзі призупинено"),
    Cause.OWN_REACTIVATED: _("участь вашої дитини в черзі відновлено"),
    Cause.OWN_DATE_RESTORED: _("дату реєстрації вашої дитини відновлено раніше"),
}


@register.filter
def change_text(change: Change) -> str:
    return str(CHANGES[change.cause]) % {"group": change.group}


@register.filter
def history_for(histories: dict[int, History], kindergarten: Any) -> History | None:
    return histories.get(kindergarten)
