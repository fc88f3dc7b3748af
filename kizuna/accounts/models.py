"""People: one user per person, signed in by e-mail."""

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    class Language(models.TextChoices):
        BROWSER = "", _("Browser setting")
        JA = "ja", "日本語"
        EN = "en", "English"

    # Opaque id used as the xAPI actor's account name, never the e-mail address.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, blank=True, default="")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    invited_at = models.DateTimeField(null=True, blank=True)
    # Kept by the notifications app so that every page can show the count without a query.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)
    notify_by_email = models.BooleanField(_("send notifications by e-mail"), default=True)
    # Raised by "sign out everywhere": every session signed in before then stops matching (get_session_auth_hash).
    sessions_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django ends a session whose stored hash no longer matches: a password change, or a new generation
        # (the fallback secret keys go through here too, so none of them lets an old session back in).
        base = super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        if not self.sessions_generation:
            return base  # sessions from before the first "sign out everywhere" stay valid
        return salted_hmac(
            "kizuna.accounts.sessions", f"{base}:{self.sessions_generation}", secret=secret, algorithm="sha256"
        ).hexdigest()
