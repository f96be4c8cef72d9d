"""Writes to the directory: a kindergarten's page. (A group is saved by the offers
app: its capacity must keep room for the places declared in it.)"""

from __future__ import annotations

from django.db import transaction

from sadok.kindergartens.models import Kindergarten
from sadok.kindergartens.staff_forms import KindergartenPageForm


def kindergarten_page_update(*, form: KindergartenPageForm) -> Kindergarten:
    """Save a head's edit of the public page in one transaction."""
    with transaction.atomic():
        kindergarten: Kindergarten = form.save()
    return kindergarten
