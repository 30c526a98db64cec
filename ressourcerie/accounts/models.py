from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models import Organisation, TimeStampedModel
from ressourcerie.core.roles import ORGANISATION_ROLES, Role

# Role and ORGANISATION_ROLES are defined in core.roles (core.permissions reads them without
# importing accounts); other apps keep importing them from here.
__all__ = [
    "ORGANISATION_ROLES",
    "ApiToken",
    "Invitation",
    "LoginCode",
    "Membership",
    "Role",
    "User",
]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_confirmed_at", timezone.now())
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. The e-mail address is the identifier; it must be confirmed before sign-in."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    display_name = models.CharField(_("nom affiché"), max_length=150, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("équipe de la plateforme"), default=False)
    email_confirmed_at = models.DateTimeField(_("adresse confirmée le"), null=True, blank=True)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)
    # Off until the person ticks it on « Mon compte » (docs/parts/agenda.md, invitations).
    event_invitations_opt_in = models.BooleanField(
        _(
            "Recevoir les invitations aux événements qui correspondent au plan d'action de mon "
            "association"
        ),
        default=False,
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur")

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class Membership(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("rôle")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(organisation__isnull=True),
                name="membership_unique_platform_role",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        role__in=["member", "editor", "refurbisher"], organisation__isnull=False
                    )
                    | models.Q(
                        role__in=["reviewer", "moderator", "administrator"],
                        organisation__isnull=True,
                    )
                ),
                name="membership_role_scope",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


class Invitation(TimeStampedModel):
    """An invitation by e-mail to join an organisation; the token is stored hashed."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")


class LoginCode(models.Model):
    """A one-time sign-in code sent by e-mail (for people who forget passwords). Hashed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_codes"
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"code de connexion de {self.user_id}"


class ApiToken(TimeStampedModel):
    """A personal API token for writes. Only its hash is stored; the prefix identifies it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nom"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
