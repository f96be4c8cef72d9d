"""Form helpers for the pages whose forms Sadok does not build itself (allauth's)."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField

register = template.Library()


@register.filter
def password_kept(field: BoundField) -> BoundField:
    """A password input keeps what was typed when the form was refused for another
    field (a phone number, an e-mail taken), so the person need not type both
    passwords again; it is emptied when a password itself was refused."""
    widget = field.field.widget
    if isinstance(widget, forms.PasswordInput):
        passwords = [
            name
            for name, f in field.form.fields.items()
            if isinstance(f.widget, forms.PasswordInput)
        ]
        widget.render_value = not any(field.form.errors.get(name) for name in passwords)
    return field
