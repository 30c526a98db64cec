from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.forms import HoneypotMixin
from ressourcerie.core.services import queue_email

from . import services
from .models import User

MAX_ACTIVE_TOKENS = 20


def email_field(**kwargs):
    return forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.")
        },
        **kwargs,
    )


def code_field():
    return forms.CharField(
        label=_("Code à 6 chiffres reçu par e-mail"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )


def clean_code_value(value: str) -> str:
    code = "".join(value.split()).replace("-", "")
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise forms.ValidationError(_("Le code comporte exactement 6 chiffres."), code="format")
    return code


def password_help_text() -> str:
    # Plain text: the field component puts help in a <p>, where Django's <ul> would not fit.
    min_length = next(
        (
            v.min_length
            for v in password_validation.get_default_password_validators()
            if isinstance(v, password_validation.MinimumLengthValidator)
        ),
        8,
    )
    return _(
        "Au moins %(min)s caractères, pas seulement des chiffres, ni trop courant, ni trop "
        "proche de votre adresse ou de votre nom. Une phrase de plusieurs mots est idéale."
    ) % {"min": min_length}


class SignupForm(HoneypotMixin, forms.Form):
    email = email_field(
        help_text=_("Pour vous connecter et vous écrire au sujet de vos démarches.")
    )
    display_name = forms.CharField(
        label=_("Nom affiché"),
        required=False,
        max_length=150,
        help_text=_("Facultatif : le nom montré avec vos contributions. Un prénom suffit."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(password_help_text, str)(),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Saisissez le même mot de passe."),
    )
    field_order = ["email", "display_name", "password1", "password2", "website_hp"]

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2", forms.ValidationError(_("Les deux mots de passe diffèrent."))
            )
        elif password1:
            candidate = User(
                email=cleaned.get("email") or "", display_name=cleaned.get("display_name") or ""
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class InvitationSignupForm(SignupForm):
    """Sign-up from an invitation link: the address is the invited one and cannot be changed
    (a disabled field ignores what is posted)."""

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.disabled = True
        field.initial = email
        field.help_text = _(
            "L'adresse à laquelle l'invitation a été envoyée. Pour utiliser une autre adresse, "
            "demandez une nouvelle invitation."
        )


class LoginForm(HoneypotMixin, forms.Form):
    email = email_field()
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["email", "password", "website_hp"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None
        self.unconfirmed = False

    def clean(self):
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if self.errors or not email or not password:
            return cleaned
        user = authenticate(self.request, email=services.normalize_email(email), password=password)
        if user is None:
            raise forms.ValidationError(
                _("Adresse e-mail ou mot de passe incorrect."), code="invalid_login"
            )
        # Said only to someone who knows the password: it reveals nothing to others.
        if user.email_confirmed_at is None:
            self.unconfirmed = True
            raise forms.ValidationError(
                _(
                    "Votre adresse e-mail n'est pas encore confirmée : ouvrez le lien que nous "
                    "vous avons envoyé, ou demandez-en un nouveau ci-dessous."
                ),
                code="unconfirmed",
            )
        self.user = user
        return cleaned


class EmailForm(HoneypotMixin, forms.Form):
    """Only an e-mail address: code requests and new confirmation links."""

    email = email_field()
    field_order = ["email", "website_hp"]


class CodeForm(forms.Form):
    code = code_field()

    def clean_code(self):
        return clean_code_value(self.cleaned_data["code"])


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Nom affiché"),
        required=False,
        max_length=150,
        help_text=_("Montré avec vos contributions. Laissez vide pour rester discret."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    event_invitations_opt_in = forms.BooleanField(
        label=_(
            "Recevoir les invitations aux événements qui correspondent au plan d'action de mon "
            "association"
        ),
        required=False,
        help_text=_(
            "Une structure qui organise un atelier ou une formation sur une action de votre plan "
            "peut inviter les associations de votre département : la plateforme vous envoie "
            "l'invitation, la structure ne sait pas qui la reçoit."
        ),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_("Pour vous rappeler où il sert, par exemple « Import depuis notre tableur »."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, active_count=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.active_count = active_count

    def clean(self):
        cleaned = super().clean()
        if self.active_count >= MAX_ACTIVE_TOKENS:
            raise forms.ValidationError(
                _("Vous avez déjà %(max)s jetons actifs : révoquez-en un avant d'en créer un.")
                % {"max": MAX_ACTIVE_TOKENS}
            )
        return cleaned


class DeleteAccountForm(forms.Form):
    """Confirms with the password, or with an e-mailed code when there is no password."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_usable_password():
            self.fields["password"] = forms.CharField(
                label=_("Votre mot de passe, pour confirmer"),
                strip=False,
                max_length=4096,
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
            )
        else:
            self.fields["code"] = code_field()

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Ce mot de passe n'est pas le bon."))
        return password

    def clean_code(self):
        code = clean_code_value(self.cleaned_data["code"])
        if not services.check_code(user=self.user, code=code):
            raise forms.ValidationError(
                _("Ce code n'est pas valide, a déjà servi ou a expiré. Demandez-en un nouveau.")
            )
        return code


class PasswordResetForm(HoneypotMixin, DjangoPasswordResetForm):
    email = email_field()
    field_order = ["email", "website_hp"]

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # Our own French e-mail, sent by a task that carries the user's id only: the worker
        # makes the link (default_token_generator, as Django's view checks it) when it sends.
        queue_email(purpose="accounts.password_reset", ids={"user": context["user"].pk})


class PlainPasswordHelpMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_help_text()
        # No autofocus: the skip link must stay the first stop for keyboard users.
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)


class SetPasswordForm(PlainPasswordHelpMixin, DjangoSetPasswordForm):
    pass


class PasswordChangeForm(PlainPasswordHelpMixin, DjangoPasswordChangeForm):
    pass
