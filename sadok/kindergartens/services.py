"""Writes to the directory: a kindergarten's page and its groups."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sadok.kindergartens.models import Group, Kindergarten
from sadok.kindergartens.staff_forms import GroupForm, KindergartenPageForm


def kindergarten_page_update(*, form: KindergartenPageForm) -> Kindergarten:
    """Save a head's edit of the public page in one transaction."""
    with transaction.atomic():
        kindergarten: Kindergarten = form.save()
    return kindergarten


def group_save(*, form: GroupForm, kindergarten: Kindergarten) -> Group:
    """Create or change a group; the group row is locked so that its capacity
    cannot be lowered under children being enrolled at the same moment."""
    with transaction.atomic():
        if form.instance.pk:
            locked = Group.objects.select_for_update().get(pk=form.instance.pk)
            taken = locked.enrollments.filter(ended_on__isnull=True).count()
            # Places declared and not yet filled are promised to the queue: keep them.
            taken += locked.places.filter(status__in=("open", "offered")).count()
            if form.cleaned_data["capacity"] < taken:
                raise ValidationError(
                    _("У групі вже %(n)d дітей і оголошених місць: місткість не може бути меншою.")
                    % {"n": taken}
                )
        group: Group = form.save(commit=False)
        group.kindergarten = kindergarten
        group.save()
    return group
