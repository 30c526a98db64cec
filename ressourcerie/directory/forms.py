from django import forms
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.forms import HoneypotMixin

from . import vocabulary as v
from .importers import MAX_BYTES
from .models import PlaceReport
from .selectors import RADIUS_CHOICES, Filters


def _blank(choices, label=None):
    return [("", label or _("Tous")), *choices]


class NearForm(forms.Form):
    q = forms.CharField(
        label=_("Commune ou code postal"),
        required=False,
        max_length=120,
        help_text=_("Par exemple « 16000 » ou « Angoulême »."),
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    rayon = forms.TypedChoiceField(
        label=_("Distance maximale"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_blank([(r, f"{r} km") for r in RADIUS_CHOICES], _("Les plus proches")),
    )
    type = forms.ChoiceField(label=_("Type d'acteur"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)
    accompagnement = forms.ChoiceField(label=_("Accompagnement des associations"), required=False)
    public = forms.ChoiceField(label=_("Public"), required=False)
    gratuit = forms.BooleanField(label=_("Gratuit"), required=False)
    accessible = forms.BooleanField(label=_("Accessible (handicap)"), required=False)
    ouvert = forms.BooleanField(label=_("Ouvert maintenant"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = _blank(v.ActorKind.choices)
        self.fields["service"].choices = _blank(v.Service.choices)
        self.fields["accompagnement"].choices = _blank(v.AssociationSupport.choices)
        self.fields["public"].choices = _blank([*v.Public.choices, *v.SpecificSupport.choices])

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            kind=data.get("type") or "",
            service=data.get("service") or "",
            support=data.get("accompagnement") or "",
            public=data.get("public") or "",
            free=bool(data.get("gratuit")),
            accessible=bool(data.get("accessible")),
            open_now=bool(data.get("ouvert")),
        )


class ReportForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = PlaceReport
        fields = ["message", "email"]
        widgets = {"message": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}
        help_texts = {
            "message": _("Adresse, horaires, services, lieu fermé… Dites ce qui est juste."),
            "email": _("Seulement pour vous répondre ; jamais publiée, effacée après décision."),
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV ou JSON"),
        help_text=_("Standard des lieux de médiation numérique (v1 ou antérieur), 50 Mo au plus."),
    )
    dataset = forms.CharField(
        label=_("Nom du jeu de données"),
        required=False,
        max_length=200,
        help_text=_("Par défaut le nom du fichier ; le même nom rend le réimport idempotent."),
    )
    dry_run = forms.BooleanField(label=_("Essai à blanc (ne rien enregistrer)"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 50 Mo."))
        return upload
