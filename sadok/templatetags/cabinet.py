"""How the queue's reasons and positions read to a family."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from sadok.allocation.model import Reason, Tier

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
