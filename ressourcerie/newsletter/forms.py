from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.forms import HoneypotMixin

from . import blocks, selectors
from .models import Department, Edition, Topic

# Throwaway-address providers seen in sign-ups; a short list, not an arms race.
DISPOSABLE_DOMAINS = {
    "yopmail.com",
    "yopmail.fr",
    "mailinator.com",
    "guerrillamail.com",
    "guerrillamail.info",
    "sharklasers.com",
    "10minutemail.com",
    "10minutemail.net",
    "temp-mail.org",
    "tempmail.com",
    "tempmail.net",
    "trashmail.com",
    "trashmail.de",
    "jetable.org",
    "getnada.com",
    "dispostable.com",
    "maildrop.cc",
    "mailnesia.com",
    "throwawaymail.com",
    "fakeinbox.com",
    "mohmal.com",
    "emailondeck.com",
    "mintemail.com",
    "spamgourmet.com",
    "mytemp.email",
    "tempail.com",
    "burnermail.io",
    "discard.email",
    "moakt.com",
    "mail-temp.com",
}
DISPOSABLE_WORDS = (
    "tempmail",
    "temp-mail",
    "trashmail",
    "throwaway",
    "jetable",
    "yopmail",
    "mailinator",
    "10minute",
    "disposable",
    "guerrillamail",
)


def clean_address(value: str) -> str:
    """A plain ASCII address, no throwaway provider, no line break (header injection)."""
    value = (value or "").strip()
    if any(c in value for c in "\r\n\0") or len(value) > 254:
        raise forms.ValidationError(_("Cette adresse e-mail n'est pas valide."))
    try:
        validate_email(value)
    except forms.ValidationError as exc:
        raise forms.ValidationError(_("Cette adresse e-mail n'est pas valide.")) from exc
    local, _sep, domain = value.rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise forms.ValidationError(_("Cette adresse e-mail n'est pas valide.")) from exc
    if not local.isascii() or '"' in local or "." not in domain:
        raise forms.ValidationError(_("Cette adresse e-mail n'est pas valide."))
    if domain in DISPOSABLE_DOMAINS or any(w in domain for w in DISPOSABLE_WORDS):
        raise forms.ValidationError(
            _("Les adresses jetables ne sont pas acceptées : indiquez une adresse que vous lisez.")
        )
    return f"{local}@{domain}"


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} – {obj.name}"


class PreferencesForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label=_("Thèmes qui vous intéressent"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un thème.")},
    )
    department = DepartmentChoiceField(
        label=_("Votre département (facultatif)"),
        help_text=_("Pour recevoir aussi les nouvelles proches de chez vous."),
        queryset=Department.objects.order_by("code"),
        required=False,
        empty_label=_("Aucun en particulier"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = selectors.offered_topics()


class SubscribeForm(HoneypotMixin, PreferencesForm):
    email = forms.CharField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Indiquez votre adresse e-mail.")},
    )
    field_order = ["email", "topics", "department", "website_hp"]

    def clean_email(self):
        return clean_address(self.cleaned_data["email"])


def no_line_break(value):
    if "\r" in value or "\n" in value:
        raise forms.ValidationError(_("L'objet tient sur une seule ligne."))


class EditionForm(forms.ModelForm):
    blocks = forms.MultipleChoiceField(
        label=_("Blocs automatiques"),
        help_text=_("Chaque abonné ne voit que les blocs de ses thèmes, pour son département."),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Edition
        fields = ["subject", "body", "blocks", "period_start", "period_end"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 16}),
            "period_start": forms.DateInput(format="%d/%m/%Y"),
            "period_end": forms.DateInput(format="%d/%m/%Y"),
        }
        help_texts = {
            "body": _("Markdown : **gras**, *italique*, [lien](https://…), listes avec « - »."),
            "period_start": _(
                "Format JJ/MM/AAAA. Les blocs automatiques montrent ce qui est paru dans la période."
            ),
            "period_end": _("Format JJ/MM/AAAA."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].validators.append(no_line_break)
        self.fields["blocks"].choices = [
            (b.key, f"{b.label} ({Topic(b.topic).label})") for b in blocks.all_blocks()
        ]
        if not self.fields["blocks"].choices:
            self.fields["blocks"].help_text = _(
                "Aucun bloc automatique n'est encore proposé par les autres parties du site."
            )
        self.fields["body"].max_length = 50_000

    def clean_body(self):
        body = self.cleaned_data["body"]
        if len(body) > 50_000:
            raise forms.ValidationError(_("Le texte est trop long (50 000 caractères au plus)."))
        return body

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("La fin de la période précède son début."))
        return data


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Date et heure d'envoi"),
        help_text=_("Format JJ/MM/AAAA HH:MM, heure de Paris."),
        widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M"),
        input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class PreviewForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label=_("Thèmes de l'abonné"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    department = DepartmentChoiceField(
        label=_("Département de l'abonné"),
        queryset=Department.objects.order_by("code"),
        required=False,
        empty_label=_("Aucun"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = selectors.offered_topics()


class DeleteSubscriberForm(forms.Form):
    email = forms.CharField(label=_("Adresse e-mail à supprimer"), max_length=254)
