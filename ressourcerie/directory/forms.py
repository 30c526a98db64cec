from django import forms
from django.conf import settings
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.fields import CommuneField
from ressourcerie.core.forms import HoneypotMixin
from ressourcerie.core.territories import resolve_commune

from . import opening_hours, parsing
from . import vocabulary as v
from .hours_editor import HoursGridField, grid_from_value
from .models import PlaceClaim, PlaceReport
from .selectors import RADIUS_CHOICES, Filters
from .templatetags.directory_tags import phone_display


def _blank(choices, label=None):
    return [("", label or _("Tous")), *choices]


class NearCommuneField(CommuneField):
    """The association form's commune field (homonyms and typos answered with radio buttons
    to pick from), except that a postal code shared by several communes means its most
    populous one: they are neighbours, and "near 16000" needs no choice."""

    def clean(self, value):
        data = self.to_python(value)
        text = data.text.replace(" ", "")
        if text.isdigit() and len(text) == 5 and not data.choice:
            communes = resolve_commune(text).communes
            if communes:
                self.widget.candidates, self.widget.suggested, self.widget.chosen = [], False, ""
                return communes[0]
        return super().clean(value)


class NearForm(forms.Form):
    q = NearCommuneField(
        label=_("Commune ou code postal"),
        required=False,
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
        self.fields["rayon"].choices = _blank(
            [(r, f"{r} km") for r in RADIUS_CHOICES],
            _("%(r)s km, sinon les plus proches") % {"r": settings.DIRECTORY_NEAR_RADIUS_KM},
        )
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
        if upload.size > parsing.MAX_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 50 Mo."))
        return upload


# --- Claims -------------------------------------------------------------------------------


def _structure_choices(structures, place_name):
    choices = [(str(o.pk), o.name) for o in structures]
    choices.append(("", _("Créer la structure « %(name)s »") % {"name": place_name}))
    return choices


class _StructureMixin(forms.Form):
    structure = forms.ChoiceField(
        label=_("Votre structure"),
        required=False,
        help_text=_("La fiche sera rattachée à cette structure d'accompagnement."),
    )

    def setup_structure(self, structures, place):
        self.structures = {str(o.pk): o for o in structures}
        if place.organisation_id is not None or not structures:
            # Already managed: the newcomer joins its structure; no structure of their own:
            # one is created. No choice to make either way.
            del self.fields["structure"]
        else:
            self.fields["structure"].choices = _structure_choices(structures, place.name)

    def chosen_structure(self):
        return self.structures.get(self.cleaned_data.get("structure") or "")


class ClaimCodeForm(_StructureMixin):
    email = forms.ChoiceField(
        label=_("Adresse publiée sur la fiche"),
        widget=forms.RadioSelect,
        help_text=_("Nous y envoyons un code à 6 chiffres, valable 24 heures."),
    )

    def __init__(self, *args, place, structures, **kwargs):
        super().__init__(*args, **kwargs)
        emails = [e for e in (place.emails or []) if isinstance(e, str) and "@" in e]
        # Public already (on the place page and in the open data): shown in full.
        self.fields["email"].choices = [(e, e) for e in emails]
        if emails:
            self.fields["email"].initial = emails[0]
        self.setup_structure(structures, place)


class ClaimStaffForm(_StructureMixin):
    message = forms.CharField(
        label=_("Votre lien avec ce lieu"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        help_text=_(
            "Votre fonction, comment l'équipe peut le vérifier (site web, téléphone du lieu…)."
        ),
    )

    def __init__(self, *args, place, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_structure(structures, place)


class ClaimCodeCheckForm(forms.Form):
    code = forms.CharField(
        label=_("Code reçu par e-mail"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}
        ),
        error_messages={
            "min_length": _("Le code a 6 chiffres."),
            "max_length": _("Le code a 6 chiffres."),
        },
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("Le code a 6 chiffres."))
        return code


class ClaimDecisionForm(forms.Form):
    """The team's decision on a claim: the choices are the moves ``services.allowed_moves``
    gives (the form keeps its "approve"/"reject" values)."""

    CHOICES = {
        PlaceClaim.Status.APPROVED: ("approve", _("Accepter")),
        PlaceClaim.Status.REJECTED: ("reject", _("Refuser")),
    }

    decision = forms.ChoiceField(label=_("Décision"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Motif"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire pour un refus ; envoyé à la personne."),
    )

    def __init__(self, *args, moves, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [self.CHOICES[m] for m in moves if m in self.CHOICES]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Indiquez un motif : il sera envoyé à la personne."))
        return cleaned

    def target_status(self) -> str:
        chosen = self.cleaned_data["decision"]
        return next(status for status, (value, _label) in self.CHOICES.items() if value == chosen)


# --- Editing a listing --------------------------------------------------------------------

CODE_LIST_FIELDS = {
    "kinds": (v.ActorKind, _("Type d'acteur")),
    "association_support": (v.AssociationSupport, _("Accompagnement des associations")),
    "services": (v.Service, _("Services")),
    "publics": (v.Public, _("Publics spécifiquement accueillis")),
    "specific_support": (v.SpecificSupport, _("Prise en charge spécifique")),
    "fees": (v.Fee, _("Frais à charge")),
    "access_modes": (v.AccessMode, _("Modalités d'accès")),
    "support_modes": (v.SupportMode, _("Modalités d'accompagnement")),
    "accepted_equipment": (v.Equipment, _("Matériel accepté (dons d'ordinateurs)")),
}
HOURS_EXAMPLE = "Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00; PH off"


def _lines(text: str) -> list[str]:
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes as labels straight inside the field's fieldset, without Django's <div> around
    each one nor around the list (the place edit form has ~60 of them in nine lists: one DOM
    node each counts in the page's EcoIndex)."""

    template_name = "directory/widgets/checkbox_list.html"


class PlaceEditForm(forms.Form):
    name = forms.CharField(label=_("Nom du lieu"), max_length=250)
    summary = forms.CharField(
        label=_("Présentation en une phrase"),
        required=False,
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 280}),
    )
    description = forms.CharField(
        label=_("Présentation détaillée"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
    )
    address = forms.CharField(label=_("Adresse"), max_length=250)
    address_complement = forms.CharField(
        label=_("Complément d'adresse"), required=False, max_length=250
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        required=False,
        max_length=25,
        help_text=_("Par exemple 05 45 00 00 00."),
    )
    emails = forms.CharField(
        label=_("Adresses e-mail publiées"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Une par ligne. Elles sont publiques et figurent dans les données ouvertes."),
    )
    websites = forms.CharField(
        label=_("Sites web"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Un par ligne, commençant par https://"),
    )
    booking_url = forms.URLField(
        label=_("Prise de rendez-vous en ligne"), required=False, max_length=500
    )
    opening_hours = forms.CharField(
        label=_("Horaires au format OpenStreetMap"),
        required=False,
        max_length=500,
        help_text=_(
            "Ou directement au format OpenStreetMap, par exemple « %(example)s » (Mo lundi, Tu mardi, We "
            "mercredi, Th jeudi, Fr vendredi, Sa samedi, Su dimanche ; PH off : fermé les "
            "jours fériés)."
        )
        % {"example": HOURS_EXAMPLE},
    )
    hours_grid = HoursGridField(label=_("Horaires d'ouverture"), required=False)
    guidasso_level = forms.TypedChoiceField(
        label=_("Niveau Guid'Asso"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_blank(v.GuidassoLevel.choices, _("Aucun")),
    )
    accessibility_url = forms.URLField(
        label=_("Fiche Accès libre (accessibilité)"), required=False, max_length=500
    )

    def __init__(self, *args, place, **kwargs):
        self.place = place
        initial = {
            "name": place.name,
            "summary": place.summary,
            "description": place.description,
            "address": place.address,
            "address_complement": place.address_complement,
            "phone": phone_display(place.phone),
            "emails": "\n".join(place.emails or []),
            "websites": "\n".join(place.websites or []),
            "booking_url": place.booking_url,
            "opening_hours": place.opening_hours,
            "guidasso_level": place.guidasso_level,
            "accessibility_url": place.accessibility_url,
        }
        for name in CODE_LIST_FIELDS:
            initial[name] = v.decode(getattr(place, name))
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for name, (choices, label) in CODE_LIST_FIELDS.items():
            self.fields[name] = forms.MultipleChoiceField(
                label=label,
                required=False,
                choices=choices.choices,
                widget=CheckboxList,
            )
        # Accessibility next to "prise en charge", the Guid'Asso level next to the kinds.
        order = list(self.fields)
        order.remove("guidasso_level")
        order.insert(order.index("kinds") + 1, "guidasso_level")
        order.remove("accessibility_url")
        order.insert(order.index("specific_support") + 1, "accessibility_url")
        order.remove("hours_grid")
        order.insert(order.index("opening_hours"), "hours_grid")
        self.order_fields(order)
        # No <div> around each one-box field (EcoIndex, DESIGN.md §6): label, help, errors, box.
        for field in self.fields.values():
            if not field.widget.use_fieldset and not field.widget.is_hidden:
                field.template_name = "directory/widgets/place_field.html"
        self.fields["hours_grid"].initial = place.opening_hours
        self.hours_from_grid = False

    def clean_opening_hours(self):
        value = " ".join(self.cleaned_data["opening_hours"].split())
        if value and opening_hours.parse(value) is None:
            raise forms.ValidationError(
                _(
                    "Ces horaires ne sont pas lisibles. Écrivez-les au format OpenStreetMap, "
                    "par exemple « %(example)s »."
                )
                % {"example": HOURS_EXAMPLE}
            )
        return value

    def clean(self):
        cleaned = super().clean()
        grid = cleaned.pop("hours_grid", None)
        stored = " ".join((self.place.opening_hours or "").split())
        if grid is None or "opening_hours" not in cleaned or cleaned["opening_hours"] != stored:
            return cleaned  # no grid sent, or the raw value was typed: it wins
        cells = grid_from_value(self.place.opening_hours)
        before = self.fields["hours_grid"].clean(cells) if cells is not None else ""
        if grid != before:
            cleaned["opening_hours"] = grid
            self.hours_from_grid = True
        return cleaned

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        phone = parsing.normalise_phone(value)
        if not phone:
            raise forms.ValidationError(
                _("Numéro non reconnu : 10 chiffres (05 45 00 00 00) ou +33 suivi de 9 chiffres.")
            )
        return phone

    def clean_emails(self):
        emails = _lines(self.cleaned_data["emails"])
        if len(emails) > 5:
            raise forms.ValidationError(_("Cinq adresses au plus."))
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("« %(value)s » n'est pas une adresse e-mail.") % {"value": email[:80]}
                ) from None
        return [e.lower() for e in emails]

    def clean_websites(self):
        field = forms.URLField(max_length=500)
        sites = _lines(self.cleaned_data["websites"])
        if len(sites) > 5:
            raise forms.ValidationError(_("Cinq sites au plus."))
        cleaned = []
        for site in sites:
            try:
                cleaned.append(field.clean(site))
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("« %(value)s » n'est pas une adresse web.") % {"value": site[:80]}
                ) from None
        return cleaned

    def changes(self) -> dict:
        """The cleaned values in the place's own storage (code lists as ``",a,b,"``)."""
        data = dict(self.cleaned_data)
        for name, (choices, _label) in CODE_LIST_FIELDS.items():
            old = v.decode(getattr(self.place, name))
            chosen = set(data[name])
            if chosen == {c for c in old if c in choices.values}:
                data[name] = getattr(self.place, name)  # unchanged: keep the stored order
            else:
                # Codes the form does not offer (from an import) are kept.
                kept = [c for c in old if c not in choices.values]
                data[name] = v.encode([c for c in choices.values if c in chosen] + kept)
        return data


# --- Confirm a listing is current -------------------------------------------------------


class ConfirmForm(forms.Form):
    """Only a button: confirmation happens on POST, never on the GET a mail scanner sends."""


# --- Mise en relation -------------------------------------------------------------------


class ContactForm(HoneypotMixin, forms.Form):
    association = forms.ChoiceField(label=_("Vous écrivez au nom de"))
    subject = forms.CharField(label=_("Objet"), max_length=150)
    body = forms.CharField(
        label=_("Message"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": 3000}),
        help_text=_("3 000 caractères au plus. Présentez votre association et votre besoin."),
    )

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.associations = {str(o.pk): o for o in associations}
        self.fields["association"].choices = [(k, o.name) for k, o in self.associations.items()]
        if len(self.associations) == 1:
            self.fields["association"].initial = next(iter(self.associations))

    def chosen_association(self):
        return self.associations[self.cleaned_data["association"]]
