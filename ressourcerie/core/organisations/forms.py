from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..fields import CommuneField
from ..identifiers import normalize_rna, normalize_siren_or_siret
from ..models import Organisation, OrganisationKind
from ..models.organisations import BudgetBand, MembersBand, Sector
from . import selectors

IDENTIFIERS_HELP = _(
    "Une association déclarée a un numéro RNA (W suivi de 9 chiffres), inscrit sur le récépissé "
    "de la préfecture et sur journal-officiel.gouv.fr. Si elle emploie des salariés ou reçoit des "
    "subventions, elle a aussi un SIREN (9 chiffres) ou un SIRET (14 chiffres) : voir "
    "annuaire-entreprises.data.gouv.fr. Indiquez au moins l'un des deux."
)


class OrganisationForm(forms.Form):
    """Create or edit an association (or, for staff edits, a support structure)."""

    name = forms.CharField(label=_("Nom de l'association"), max_length=200)
    rna = forms.CharField(
        label=_("Numéro RNA"),
        required=False,
        max_length=40,
        help_text=IDENTIFIERS_HELP,
    )
    siren_siret = forms.CharField(
        label=_("SIREN ou SIRET"),
        required=False,
        max_length=40,
        help_text=_("9 ou 14 chiffres, les espaces sont acceptés."),
    )
    commune = CommuneField()
    sector = forms.ChoiceField(
        label=_("Secteur d'activité"), choices=[("", "—"), *Sector.choices], required=False
    )
    members_band = forms.ChoiceField(
        label=_("Nombre de membres"), choices=[("", "—"), *MembersBand.choices], required=False
    )
    budget_band = forms.ChoiceField(
        label=_("Budget annuel"), choices=[("", "—"), *BudgetBand.choices], required=False
    )
    description = forms.CharField(
        label=_("Présentation"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ce que fait l'association, en quelques phrases (3 000 caractères au plus)."),
    )
    website = forms.URLField(
        label=_("Site web"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Par exemple https://mon-association.fr"),
    )
    public_email = forms.EmailField(
        label=_("Adresse e-mail de contact publique"),
        required=False,
        max_length=254,
        help_text=_(
            "Affichée sur la page de l'association : n'indiquez pas une adresse personnelle."
        ),
    )

    def __init__(self, *args, instance: Organisation | None = None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(instance)
        super().__init__(*args, **kwargs)
        if instance is not None and instance.kind == OrganisationKind.SUPPORT_STRUCTURE:
            self.fields["name"].label = _("Nom de la structure")
            self.fields["commune"].required = False

    @property
    def kind(self):
        return self.instance.kind if self.instance else OrganisationKind.ASSOCIATION

    def _exclude_pk(self):
        return self.instance.pk if self.instance else None

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not any(c.isalnum() for c in name):
            raise ValidationError(_("Le nom doit contenir au moins une lettre ou un chiffre."))
        return name

    def clean_rna(self):
        value = self.cleaned_data["rna"]
        if not value:
            return ""
        rna = normalize_rna(value)
        other = selectors.organisation_with_identifier(rna=rna, exclude_pk=self._exclude_pk())
        if other:
            raise ValidationError(
                _(
                    "Ce numéro RNA est déjà celui de « %(name)s ». Si c'est votre association, "
                    "demandez à l'un de ses membres de vous inviter."
                ),
                params={"name": other.name},
                code="duplicate",
            )
        return rna

    def clean_siren_siret(self):
        value = self.cleaned_data["siren_siret"]
        if not value:
            return ("", "")
        siren, siret = normalize_siren_or_siret(value)
        other = selectors.organisation_with_identifier(
            siren=siren, siret=siret, exclude_pk=self._exclude_pk()
        )
        if other:
            raise ValidationError(
                _(
                    "Ce numéro SIREN ou SIRET est déjà celui de « %(name)s ». Si c'est votre "
                    "association, demandez à l'un de ses membres de vous inviter."
                ),
                params={"name": other.name},
                code="duplicate",
            )
        return (siren, siret)

    def clean(self):
        cleaned = super().clean()
        identifiers_typed = "rna" in self.errors or "siren_siret" in self.errors
        missing = not cleaned.get("rna") and not any(cleaned.get("siren_siret") or ())
        if self.kind == OrganisationKind.ASSOCIATION and missing and not identifiers_typed:
            self.add_error(
                "rna",
                _("Indiquez le numéro RNA ou le SIREN/SIRET de l'association (au moins un)."),
            )
        return cleaned

    def organisation_data(self) -> dict:
        """Cleaned values as Organisation fields."""
        data = dict(self.cleaned_data)
        data["siren"], data["siret"] = data.pop("siren_siret")
        return data


def initial_from(organisation: Organisation) -> dict:
    return {
        "name": organisation.name,
        "rna": organisation.rna,
        "siren_siret": organisation.siret or organisation.siren,
        "commune": organisation.commune.label if organisation.commune_id else "",
        "sector": organisation.sector,
        "members_band": organisation.members_band,
        "budget_band": organisation.budget_band,
        "description": organisation.description,
        "website": organisation.website,
        "public_email": organisation.public_email,
    }


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail de la personne à inviter"),
        max_length=254,
        help_text=_(
            "Elle recevra un lien valable 14 jours pour rejoindre l'association. Nous "
            "n'utilisons cette adresse que pour cet envoi."
        ),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class CorrectionForm(forms.Form):
    message = forms.CharField(
        label=_("Quelle information est fausse ou manquante ?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Par exemple : « L'association a déménagé à Rezé » ou « Le site web a changé ». "
            "L'équipe vérifie puis corrige la page (2 000 caractères au plus)."
        ),
    )

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise ValidationError(_("Décrivez la correction en une phrase au moins."))
        return message
