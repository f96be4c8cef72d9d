"""The admin speaks Ukrainian: every Sadok model it shows, and every field of it,
has a label of its own (a label Django made up from the code name is English)."""

import pytest
from django.contrib import admin
from django.utils.text import camel_case_to_spaces

SADOK_MODELS = [m for m in admin.site._registry if m.__module__.startswith("sadok.")]


@pytest.mark.parametrize("model", SADOK_MODELS, ids=lambda m: m.__name__)
def test_every_admin_model_and_field_has_its_own_label(model):
    meta = model._meta
    assert meta.verbose_name != camel_case_to_spaces(model.__name__), model.__name__
    made_up = [
        f.name
        for f in meta.concrete_fields
        if not f.primary_key and f.verbose_name == f.name.replace("_", " ")
    ]
    assert made_up == []
