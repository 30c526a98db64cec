from django import forms
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.forms import HoneypotMixin
from ressourcerie.core.models import Department
from ressourcerie.core.models.organisations import MembersBand, Sector


class ProfileForm(forms.Form):
    """Asked before the questions, only to compare with similar associations."""

    organisation = forms.ModelChoiceField(
        label=_("Pour quelle association ?"),
        queryset=None,
        required=False,
        empty_label=_("Une autre association (je réponds sans la rattacher)"),
        help_text=_(
            "Rattaché à votre association, le diagnostic permettra de mesurer vos progrès "
            "la prochaine fois. Sa taille, son secteur et son département sont repris de sa fiche."
        ),
    )
    members_band = forms.ChoiceField(
        label=_("Nombre de membres"),
        choices=[("", _("Je préfère ne pas répondre"))] + MembersBand.choices,
        required=False,
    )
    sector = forms.ChoiceField(
        label=_("Secteur d'activité"),
        choices=[("", _("Je préfère ne pas répondre"))] + Sector.choices,
        required=False,
    )
    department = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Department.objects.order_by("code"),
        required=False,
        empty_label=_("Je préfère ne pas répondre"),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None and organisations.exists():
            self.fields["organisation"].queryset = organisations
        else:
            del self.fields["organisation"]
        self.fields["department"].label_from_instance = lambda d: f"{d.code} – {d.name}"


class ResumeEmailForm(HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        help_text=_("Utilisée une seule fois pour vous envoyer le lien, puis oubliée."),
    )
