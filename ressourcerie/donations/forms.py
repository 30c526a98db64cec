from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.fields import CommuneField
from ressourcerie.core.forms import HoneypotMixin
from ressourcerie.core.identifiers import normalize_siret

from .models import (
    DEFAULT_RADIUS_KM,
    MAX_RADIUS_KM,
    MIN_RADIUS_KM,
    ORGANISATION_DONORS,
    AreaKind,
    Condition,
    DeviceType,
    DonorKind,
    Erasure,
    Logistics,
    Priority,
)

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
MAX_QUANTITY = 500


class FutureExampleDateInput(forms.DateInput):
    """A date picker (``type="date"``, which sends ISO dates); typed dates jj/mm/aaaa are
    still accepted where the browser shows a plain text box."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})}, format="%Y-%m-%d")


def future_example() -> str:
    """A date a month ahead, as the example of the help text (never a past one)."""
    return (timezone.localdate() + timedelta(days=30)).strftime("%d/%m/%Y")


def _date_field(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=format_lazy("{} {}", _("jj/mm/aaaa, par exemple"), lazy(future_example, str)()),
        widget=FutureExampleDateInput(),
        error_messages={"invalid": _("Écrivez la date sous la forme jj/mm/aaaa.")},
    )


class OfferForm(HoneypotMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Vous êtes"), choices=DonorKind.choices)
    name = forms.CharField(label=_("Nom de l'organisation, ou vos nom et prénom"), max_length=200)
    siret = forms.CharField(
        label=_("SIRET"),
        required=False,
        max_length=20,
        help_text=_("Obligatoire pour une entreprise, une collectivité ou une association."),
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Pour confirmer l'offre et suivre vos appareils ; jamais publiée."),
    )
    phone = forms.CharField(label=_("Téléphone"), required=False, max_length=30)
    commune = CommuneField(label=_("Commune où se trouvent les appareils"))
    logistics = forms.ChoiceField(
        label=_("Logistique"), choices=Logistics.choices, widget=forms.RadioSelect
    )
    address = forms.CharField(
        label=_("Adresse d'enlèvement"),
        required=False,
        max_length=250,
        help_text=_("Seulement pour un enlèvement sur place."),
    )
    erasure = forms.ChoiceField(
        label=_("Effacement des données"), choices=Erasure.choices, widget=forms.RadioSelect
    )
    erasure_method = forms.CharField(
        label=_("Méthode d'effacement utilisée"),
        required=False,
        max_length=200,
        help_text=_("Si vous avez déjà effacé les données, par exemple « Blancco » ou « nwipe »."),
    )
    available_from = _date_field(_("Disponibles à partir du"))
    available_until = _date_field(_("Disponibles jusqu'au (facultatif)"), required=False)
    notes = forms.CharField(
        label=_("Précisions (facultatif)"), required=False, max_length=2000, widget=forms.Textarea
    )

    def clean_siret(self):
        value = self.cleaned_data.get("siret", "").strip()
        return normalize_siret(value) if value else ""

    def clean_available_from(self):
        value = self.cleaned_data["available_from"]
        if value < timezone.localdate():
            raise ValidationError(_("Cette date est passée : indiquez aujourd'hui ou plus tard."))
        return value

    def clean(self):
        data = super().clean()
        if (
            data.get("kind") in ORGANISATION_DONORS
            and not data.get("siret")
            and not self.has_error("siret")
        ):
            self.add_error("siret", _("Indiquez le SIRET de votre organisation (14 chiffres)."))
        if data.get("logistics") == Logistics.PICKUP and not data.get("address", "").strip():
            self.add_error("address", _("Indiquez l'adresse où enlever les appareils."))
        if data.get("erasure") == Erasure.BY_DONOR and not data.get("erasure_method", "").strip():
            self.add_error("erasure_method", _("Indiquez la méthode d'effacement utilisée."))
        start, end = data.get("available_from"), data.get("available_until")
        if start and end and end < start:
            self.add_error("available_until", _("La fin de disponibilité précède son début."))
        return data

    DONOR_FIELDS = ("kind", "name", "siret", "email", "phone", "commune")
    OFFER_FIELDS = (
        "logistics",
        "address",
        "erasure",
        "erasure_method",
        "available_from",
        "available_until",
        "commune",
        "notes",
    )

    def donor_data(self) -> dict:
        """Who gives, for ``services.create_offer``."""
        return {name: self.cleaned_data[name] for name in self.DONOR_FIELDS}

    def offer_data(self) -> dict:
        """What is given and how, for ``services.create_offer``."""
        return {name: self.cleaned_data[name] for name in self.OFFER_FIELDS}


class OfferChangeForm(forms.Form):
    """The donor changes an offer nobody accepted yet (through the private link)."""

    logistics = OfferForm.base_fields["logistics"]
    address = OfferForm.base_fields["address"]
    available_from = _date_field(_("Disponibles à partir du"))
    available_until = _date_field(_("Disponibles jusqu'au (facultatif)"), required=False)
    phone = OfferForm.base_fields["phone"]
    notes = OfferForm.base_fields["notes"]

    def __init__(self, *args, lots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lots = list(lots)
        for lot in self.lots:
            self.fields[f"lot_{lot.pk}"] = forms.IntegerField(
                label=format_lazy("{} — {}", _("Quantité"), lot.get_device_type_display()),
                min_value=1,
                max_value=MAX_QUANTITY,
                initial=lot.quantity,
            )

    clean_available_from = OfferForm.clean_available_from

    def clean(self):
        data = super().clean()
        if data.get("logistics") == Logistics.PICKUP and not data.get("address", "").strip():
            self.add_error("address", _("Indiquez l'adresse où enlever les appareils."))
        start, end = data.get("available_from"), data.get("available_until")
        if start and end and end < start:
            self.add_error("available_until", _("La fin de disponibilité précède son début."))
        return data

    def quantities(self) -> dict[int, int]:
        return {lot.pk: self.cleaned_data[f"lot_{lot.pk}"] for lot in self.lots}


class LotForm(forms.Form):
    device_type = forms.ChoiceField(
        label=_("Type d'appareil"), choices=[("", _("—"))] + DeviceType.choices, required=False
    )
    quantity = forms.IntegerField(
        label=_("Quantité"),
        required=False,
        min_value=1,
        max_value=MAX_QUANTITY,
        error_messages={
            "min_value": _("Au moins 1 appareil."),
            "max_value": _("Au plus %(limit_value)s appareils par lot."),
        },
    )
    year = forms.IntegerField(label=_("Année approximative"), required=False)
    # Not required: an empty lot is left out, and "(obligatoire)" on every empty lot misled
    # donors into filling them; a filled lot without it is "Je ne sais pas".
    condition = forms.ChoiceField(
        label=_("État"), choices=Condition.choices, initial=Condition.WORKING, required=False
    )
    specs = forms.CharField(
        label=_("Caractéristiques (facultatif)"),
        required=False,
        max_length=500,
        help_text=_("Processeur, mémoire, disque…"),
    )

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and not (1990 <= year <= timezone.localdate().year):
            raise ValidationError(_("Année entre 1990 et l'année en cours."))
        return year

    def clean(self):
        data = super().clean()
        if data.get("device_type") and not data.get("quantity") and not self.has_error("quantity"):
            self.add_error("quantity", _("Indiquez combien d'appareils."))
        if data.get("quantity") and not data.get("device_type"):
            self.add_error("device_type", _("Choisissez le type d'appareil."))
        return data

    def lot_data(self):
        data = self.cleaned_data
        if not data.get("device_type"):
            return None
        return {
            "device_type": data["device_type"],
            "quantity": data["quantity"],
            "year": data.get("year"),
            "condition": data.get("condition") or Condition.UNKNOWN,
            "specs": data.get("specs", ""),
        }


class BaseLotFormSet(forms.BaseFormSet):
    def clean(self):
        if not any(form.errors for form in self.forms) and not self.lots_data():
            raise ValidationError(_("Indiquez au moins un lot : type d'appareil et quantité."))

    def lots_data(self) -> list[dict]:
        """The lots filled in (empty ones left out), for ``services.create_offer``."""
        return [data for form in self.forms if (data := form.lot_data())]


LotFormSet = forms.formset_factory(
    LotForm, formset=BaseLotFormSet, extra=3, max_num=7, absolute_max=7
)


class RequestForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Association"), queryset=None, empty_label=None)
    device_type = forms.ChoiceField(label=_("Type d'appareil"), choices=DeviceType.choices)
    quantity = forms.IntegerField(
        label=_("Quantité"),
        min_value=1,
        max_value=100,
        error_messages={
            "min_value": _("Au moins 1 appareil."),
            "max_value": _("Au plus %(limit_value)s appareils par demande."),
        },
    )
    minimum_specs = forms.CharField(
        label=_("Caractéristiques minimales (facultatif)"), required=False, max_length=500
    )
    intended_use = forms.CharField(
        label=_("Usage prévu"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    beneficiaries = forms.CharField(
        label=_("Qui en bénéficiera"),
        max_length=500,
        help_text=_("Par exemple « 12 jeunes accompagnés vers l'emploi »."),
    )
    priority = forms.TypedChoiceField(
        label=_("Priorité"), choices=Priority.choices, coerce=int, initial=Priority.NORMAL
    )
    priority_reason = forms.CharField(
        label=_("Pourquoi c'est prioritaire"),
        help_text=_("Obligatoire si la priorité est « Élevée » ou « Urgente »."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_email = forms.EmailField(
        label=_("E-mail de contact"),
        help_text=_("Visible seulement par le reconditionneur qui vous attribue du matériel."),
    )
    contact_phone = forms.CharField(
        label=_("Téléphone (facultatif)"), required=False, max_length=30
    )
    share_name = forms.BooleanField(
        label=_("Le donateur peut voir le nom de notre association"), required=False
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        cleaned = super().clean()
        priority = cleaned.get("priority")
        unexplained = not cleaned.get("priority_reason", "").strip()
        if priority is not None and priority > Priority.NORMAL and unexplained:
            self.add_error(
                "priority_reason",
                _(
                    "Dites pourquoi c'est prioritaire : une priorité « %(priority)s » "
                    "s'explique en une phrase (une échéance, un public sans équipement…)."
                )
                % {"priority": Priority(priority).label},
            )
        return cleaned


class AcceptForm(forms.Form):
    refurbisher = forms.ModelChoiceField(
        label=_("Reconditionneur"), queryset=None, empty_label=None
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["refurbisher"].queryset = organisations


AREA_RADIUS_ERROR = format_lazy(
    _("Indiquez une distance entre {min} et {max} km, en nombre entier."),
    min=MIN_RADIUS_KM,
    max=MAX_RADIUS_KM,
)


class ServiceAreaForm(forms.Form):
    """Where a refurbisher takes donations. ``structure`` must be one of ``organisations``."""

    structure = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Je prends les dons"),
        choices=AreaKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez un rayon ou les départements de votre atelier."),
            "invalid_choice": _("Choisissez un rayon ou les départements de votre atelier."),
        },
    )
    radius_km = forms.IntegerField(
        label=_("Rayon, en kilomètres"),
        required=False,
        min_value=MIN_RADIUS_KM,
        max_value=MAX_RADIUS_KM,
        help_text=format_lazy(
            _("Pour un rayon : entre {min} et {max} km ; {default} km si vous ne changez rien."),
            min=MIN_RADIUS_KM,
            max=MAX_RADIUS_KM,
            default=DEFAULT_RADIUS_KM,
        ),
        error_messages={
            "invalid": AREA_RADIUS_ERROR,
            "min_value": AREA_RADIUS_ERROR,
            "max_value": AREA_RADIUS_ERROR,
        },
    )

    def __init__(self, *args, organisations, area=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        if area is not None and area.departments:
            # Name the departments the second choice means.
            self.fields["kind"].choices = [
                (AreaKind.RADIUS, AreaKind.RADIUS.label),
                (
                    AreaKind.DEPARTMENTS,
                    format_lazy(
                        _("Dans le ou les départements de mon atelier : {names}"),
                        names=", ".join(label for _pk, label in area.departments),
                    ),
                ),
            ]

    def clean(self):
        cleaned = super().clean()
        radius_missing = cleaned.get("kind") == AreaKind.RADIUS and cleaned.get("radius_km") is None
        if radius_missing and not self.has_error("radius_km"):
            self.add_error("radius_km", AREA_RADIUS_ERROR)
        raw = (cleaned.get("structure") or "").strip()
        if raw:
            organisation = (
                self.organisations.filter(pk=int(raw)).first()
                if raw.isascii() and raw.isdigit() and len(raw) < 10
                else None
            )
        else:
            # One structure: nothing to choose.
            organisation = self.organisations.first() if self.organisations.count() == 1 else None
        if organisation is None:
            raise ValidationError(_("Choisissez une de vos structures."))
        cleaned["organisation"] = organisation
        return cleaned


class ErasureForm(forms.Form):
    erasure_method = forms.CharField(
        label=_("Méthode d'effacement"),
        max_length=200,
        error_messages={"required": _("Indiquez la méthode d'effacement.")},
    )
    erasure_certificate = forms.CharField(
        label=_("Référence du certificat d'effacement"),
        max_length=100,
        error_messages={"required": _("Indiquez la référence du certificat d'effacement.")},
    )


class OutcomeForm(forms.Form):
    reused = forms.IntegerField(label=_("Appareils reconditionnés"), min_value=0)
    recycled = forms.IntegerField(label=_("Appareils recyclés (filière DEEE)"), min_value=0)


class AllocateForm(forms.Form):
    request_id = forms.IntegerField(label=_("Numéro de la demande"), min_value=1)
    quantity = forms.IntegerField(label=_("Quantité"), min_value=1)


class DropOffForm(forms.Form):
    q = forms.CharField(label=_("Commune ou code postal"), max_length=100, required=False)
    equipment = forms.ChoiceField(
        label=_("Matériel à déposer"),
        choices=[("", _("Tout matériel"))] + DeviceType.choices,
        required=False,
    )


class CloseRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la clôture"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Envoyé à l'association et gardé dans l'historique de la demande."),
        error_messages={
            "required": _("Indiquez pourquoi la demande est close."),
            "max_length": _("500 caractères au plus (actuellement %(show_value)d)."),
        },
    )
