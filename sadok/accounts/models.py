"""Users and their roles with scopes (SPEC.md "People (roles)").

Every user may act as a parent for their own children. Staff roles are rows of
`Role`, each scoped: a kindergarten head to one kindergarten, a district
officer to one district, a city administrator to the whole city.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person: parent by default, staff through roles. Logs in by e-mail."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail"), unique=True)
    patronymic = models.CharField(_("по батькові"), max_length=150, blank=True)
    phone = models.CharField(_("телефон"), max_length=20, blank=True)
    phone_verified = models.BooleanField(_("телефон підтверджено"), default=False)
    sms_enabled = models.BooleanField(_("надсилати SMS"), default=True)
    language = models.CharField(
        _("мова листів"),
        max_length=8,
        choices=[("uk", "Українська"), ("en", "English")],
        default="uk",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("користувач")
        verbose_name_plural = _("користувачі")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"],
                condition=Q(phone_verified=True),
                name="user_verified_phone_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)


class RoleKind(models.TextChoices):
    HEAD = "head", _("керівник ДНЗ")
    OFFICER = "officer", _("працівник РУО")
    ADMIN = "admin", _("адміністратор Департаменту освіти")


class Role(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("користувач")
    )
    kind = models.CharField(_("роль"), max_length=16, choices=RoleKind.choices)
    # By name, not by import: kindergartens sits above accounts (its views ask
    # accounts who may edit them), so accounts never imports it.
    kindergarten = models.ForeignKey(
        "kindergartens.Kindergarten",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("садочок"),
    )
    district = models.ForeignKey(
        "kindergartens.District",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("район"),
    )

    class Meta:
        verbose_name = _("роль")
        verbose_name_plural = _("ролі")
        constraints = [
            # Each kind carries exactly its own scope, so a role can never be broader
            # than it reads (a head without a kindergarten would be a head of nothing).
            models.CheckConstraint(
                condition=(
                    Q(kind=RoleKind.HEAD, kindergarten__isnull=False, district__isnull=True)
                    | Q(kind=RoleKind.OFFICER, kindergarten__isnull=True, district__isnull=False)
                    | Q(kind=RoleKind.ADMIN, kindergarten__isnull=True, district__isnull=True)
                ),
                name="role_scope_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "kindergarten"],
                condition=Q(kind=RoleKind.HEAD),
                name="role_head_once_per_kindergarten",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "district"],
                condition=Q(kind=RoleKind.OFFICER),
                name="role_officer_once_per_district",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(kind=RoleKind.ADMIN), name="role_admin_once"
            ),
        ]

    def __str__(self) -> str:
        scope = self.kindergarten or self.district or _("місто Київ")
        return f"{self.get_kind_display()}: {scope}"
