"""Users of every role, for tests that need people."""

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from sadok.accounts.models import Role, RoleKind, User

PASSWORD = "correct-horse-battery-9"


def person(email: str, *, role: Role | None = None, mfa: bool = True) -> User:
    """A user with a verified e-mail; with `role`, a staff member (with TOTP unless mfa=False)."""
    user = User.objects.create_user(email, PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if role is not None:
        role.user = user
        role.save()
        if mfa:
            TOTP.activate(user, generate_totp_secret())
    return user


def head_of(kindergarten, email: str | None = None, *, mfa: bool = True) -> User:
    return person(
        email or f"head{kindergarten.number}@example.com",
        role=Role(kind=RoleKind.HEAD, kindergarten=kindergarten),
        mfa=mfa,
    )


def officer_of(district, email: str | None = None, *, mfa: bool = True) -> User:
    return person(
        email or f"officer-{district.slug}@example.com",
        role=Role(kind=RoleKind.OFFICER, district=district),
        mfa=mfa,
    )


def city_admin(email: str = "admin@example.com", *, mfa: bool = True) -> User:
    return person(email, role=Role(kind=RoleKind.ADMIN), mfa=mfa)


def verified_parent(email: str, phone: str) -> User:
    """A parent whose e-mail and phone are verified: their children are in the clean queue."""
    user = person(email)
    user.phone, user.phone_verified = phone, True
    user.save()
    return user
