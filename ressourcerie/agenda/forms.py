"""Forms of the agenda: the event and its sessions, registration, attendance, moderation."""

from datetime import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.forms import HoneypotMixin
from ressourcerie.core.models import Organisation, OrganisationKind
from ressourcerie.core.territories import resolve_commune
from ressourcerie.diagnostic import selectors as diagnostic
from ressourcerie.directory import selectors as directory

from . import per_session, selectors
from .models import Attendance, AttendanceMode, Audience, Kind, Level, RegistrationMode


def _codes(values) -> str:
    return "," + ",".join(values) + "," if values else ""


class EventForm(forms.Form):
    organiser = forms.ModelChoiceField(
        label=_("Structure organisatrice"), queryset=None, empty_label=None
    )
    title = forms.CharField(label=_("Titre"), max_length=200)
    description = forms.CharField(
        label=_("Présentation"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices)
    themes = forms.MultipleChoiceField(
        label=_("Thèmes (besoins du catalogue)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    plan_actions = forms.MultipleChoiceField(
        label=_("Actions du plan d'action (autodiagnostic) que l'événement aide à réaliser"),
        help_text=_(
            "Les associations qui ont ces actions dans leur plan voient l'événement sous "
            "l'action, et vous pourrez les inviter."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience = forms.MultipleChoiceField(
        label=_("Pour qui"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    level = forms.ChoiceField(
        label=_("Niveau"), choices=[("", "—"), *Level.choices], required=False
    )
    attendance_mode = forms.ChoiceField(label=_("Modalité"), choices=AttendanceMode.choices)
    place = forms.ModelChoiceField(
        label=_("Lieu de l'annuaire"),
        queryset=None,
        required=False,
        help_text=_("Un lieu géré par votre structure ; sinon, indiquez une adresse."),
    )
    address = forms.CharField(
        label=_("Adresse (sans lieu de l'annuaire)"), max_length=250, required=False
    )
    commune = forms.CharField(
        label=_("Commune ou code postal"),
        max_length=120,
        required=False,
        help_text=_("Par exemple « 16000 » ou « Cognac »."),
    )
    online_url = forms.URLField(
        label=_("Lien de connexion"),
        max_length=500,
        required=False,
        help_text=_("Montré seulement aux personnes inscrites."),
    )
    accessibility = forms.CharField(
        label=_("Accessibilité"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    price = forms.DecimalField(
        label=_("Prix en euros (0 si gratuit)"),
        min_value=Decimal(0),
        max_value=Decimal(10000),
        decimal_places=2,
        initial=0,
    )
    price_payer = forms.CharField(label=_("Qui paie (si payant)"), max_length=200, required=False)
    capacity = forms.IntegerField(
        label=_("Nombre de places"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_("Vide : sans limite."),
    )
    registration_mode = forms.ChoiceField(label=_("Inscription"), choices=RegistrationMode.choices)
    per_session = forms.BooleanField(
        label=_("Inscription séance par séance"),
        required=False,
        help_text=_(
            "Pour une série : chaque séance a ses places et sa liste d'attente. "
            "Sinon, on s'inscrit à la série entière."
        ),
    )
    external_url = forms.URLField(
        label=_("Lien d'inscription extérieur"), max_length=500, required=False
    )
    association_quota = forms.IntegerField(
        label=_("Places au plus par association"), min_value=1, max_value=1000, required=False
    )
    offer_hours = forms.IntegerField(
        label=_("Une place libérée est réservée (heures)"), min_value=1, max_value=336, initial=48
    )
    withdrawal_hours = forms.IntegerField(
        label=_("Désinscription possible jusqu'à (heures avant)"),
        min_value=0,
        max_value=720,
        initial=24,
    )
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Co-organisateurs"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = structures
        self.fields["place"].queryset = directory.published_places().filter(
            organisation__in=structures
        )
        self.fields["themes"].choices = selectors.theme_choices()
        if self.initial.get("registration_mode") != RegistrationMode.RESERVED:
            # Reserved events come from other parts (services.create_reserved_event).
            self.fields["registration_mode"].choices = [
                c for c in RegistrationMode.choices if c[0] != RegistrationMode.RESERVED
            ]
        # The diagnostic's actions (none before a questionnaire is published: no field).
        if actions := diagnostic.plan_action_choices():
            self.fields["plan_actions"].choices = actions
        else:
            del self.fields["plan_actions"]
        self.fields["co_organisers"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.SUPPORT_STRUCTURE
        ).order_by("name")

    def clean_commune(self):
        text = self.cleaned_data["commune"].strip()
        if not text:
            return None
        resolution = resolve_commune(text)
        commune = resolution.commune or (
            resolution.communes[0] if resolution.communes and text.isdigit() else None
        )
        if commune is None:
            raise forms.ValidationError(
                _("Nous ne trouvons pas cette commune : essayez son code postal.")
            )
        return commune

    def event_data(self) -> dict:
        data = self.cleaned_data
        return {
            "organiser": data["organiser"],
            "title": data["title"],
            "description": data["description"],
            "kind": data["kind"],
            "themes": _codes(data["themes"]),
            **self._plan_actions_data(),
            "audience": _codes(data["audience"]),
            "level": data["level"],
            "attendance_mode": data["attendance_mode"],
            "place": data["place"],
            "address": data["address"],
            "commune": data["commune"],
            "online_url": data["online_url"],
            "accessibility": data["accessibility"],
            "price_cents": int(data["price"] * 100),
            "price_payer": data["price_payer"],
            "capacity": data["capacity"],
            "registration_mode": data["registration_mode"],
            "per_session": data["per_session"],
            "external_url": data["external_url"],
            "association_quota": data["association_quota"],
            "offer_hours": data["offer_hours"],
            "withdrawal_hours": data["withdrawal_hours"],
        }

    def _plan_actions_data(self) -> dict:
        if "plan_actions" not in self.fields:
            return {}
        return {"plan_actions": list(self.cleaned_data["plan_actions"])}

    @classmethod
    def initial_from(cls, event) -> dict:
        return {
            "organiser": event.organiser_id,
            "title": event.title,
            "description": event.description,
            "kind": event.kind,
            "themes": event.code_list("themes"),
            "plan_actions": event.plan_action_keys,
            "audience": event.code_list("audience"),
            "level": event.level,
            "attendance_mode": event.attendance_mode,
            "place": event.place_id,
            "address": event.address,
            "commune": event.commune.insee if event.commune_id and not event.place_id else "",
            "online_url": event.online_url,
            "accessibility": event.accessibility,
            "price": Decimal(event.price_cents) / 100,
            "price_payer": event.price_payer,
            "capacity": event.capacity,
            "registration_mode": event.registration_mode,
            "per_session": event.per_session,
            "external_url": event.external_url,
            "association_quota": event.association_quota,
            "offer_hours": event.offer_hours,
            "withdrawal_hours": event.withdrawal_hours,
            "co_organisers": list(event.co_organisers.values_list("pk", flat=True)),
        }


class SessionForm(forms.Form):
    day = forms.DateField(
        label=_("Date"),
        help_text=_("Par exemple 14/01/2027."),
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric"}),
    )
    start = forms.TimeField(
        label=_("Début"), help_text=_("Par exemple 14:00."), widget=forms.TimeInput(format="%H:%M")
    )
    end = forms.TimeField(label=_("Fin"), widget=forms.TimeInput(format="%H:%M"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise forms.ValidationError(_("La fin doit être après le début."))
        return data

    def moments(self):
        tz = timezone.get_current_timezone()
        day = self.cleaned_data["day"]
        start = timezone.make_aware(datetime.combine(day, self.cleaned_data["start"]), tz)
        end = timezone.make_aware(datetime.combine(day, self.cleaned_data["end"]), tz)
        return start, end


class BaseSessionFormSet(forms.BaseFormSet):
    def sessions(self) -> list[tuple]:
        return [f.moments() for f in self.forms if f.cleaned_data]

    def clean(self):
        super().clean()
        if not any(f.cleaned_data for f in self.forms if hasattr(f, "cleaned_data")):
            raise forms.ValidationError(_("Indiquez au moins une séance."))


SessionFormSet = forms.formset_factory(SessionForm, formset=BaseSessionFormSet, extra=2, max_num=20)


def session_initial(event) -> list[dict]:
    return [
        {
            "day": timezone.localtime(s.starts_at).date(),
            "start": timezone.localtime(s.starts_at).time(),
            "end": timezone.localtime(s.ends_at).time(),
        }
        for s in event.sessions.all()
    ]


class RegisterForm(HoneypotMixin, forms.Form):
    name = forms.CharField(label=_("Votre nom"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        help_text=_("Pour confirmer l'inscription et vous prévenir d'un changement."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Au nom de l'association (facultatif)"), queryset=None, required=False
    )
    session = forms.ModelChoiceField(
        label=_("Séance"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choisissez la séance à laquelle vous inscrire.")},
    )

    def __init__(self, *args, user, organisations, sessions=None, reserved=False, **kwargs):
        """``sessions``: the choice of an event registering per session; ``reserved``:
        the association (an admitted one) is required."""
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if user.is_authenticated:
            del self.fields["email"]
            del self.fields["name"]
        if reserved:
            self.fields["organisation"].required = True
            self.fields["organisation"].label = _("Au nom de l'association")
        elif not organisations.exists():
            del self.fields["organisation"]
        if sessions is None:
            del self.fields["session"]
        else:
            self.fields["session"].queryset = sessions
            self.fields["session"].label_from_instance = per_session.session_label


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), max_length=500)


class AttendanceForm(forms.Form):
    """One choice per registered person, named ``presence-<id>``."""

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = list(registrations)
        for registration in self.registrations:
            self.fields[f"presence-{registration.pk}"] = forms.ChoiceField(
                label=per_session.registration_label(registration),
                choices=[("", "—"), *Attendance.choices],
                required=False,
                initial=registration.attendance,
            )

    def marks(self) -> dict:
        return {r.pk: self.cleaned_data.get(f"presence-{r.pk}", "") for r in self.registrations}
