from django import forms
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.forms import HoneypotMixin
from ressourcerie.core.images import validate_image
from ressourcerie.core.models import Department
from ressourcerie.core.models.organisations import MembersBand, Sector
from ressourcerie.core.text import fold
from ressourcerie.toolbox import selectors as toolbox_selectors

from .models import DisplayMode, Testimonial
from .selectors import TestimonialFilters, published_testimonials, support_structures

MARKDOWN_HELP = _("Mise en forme simple possible (Markdown) : **gras**, listes avec « - ».")


def resolve_tools(text: str) -> tuple[list, list[str]]:
    """Tools of the catalogue named in a comma-separated text (by name or short address);
    returns the tools found and the names not found."""
    wanted = [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]
    if not wanted:
        return [], []
    catalogue = {}
    for tool in toolbox_selectors.published_tools().only("pk", "name", "slug"):
        catalogue.setdefault(fold(tool.name), tool)
        catalogue.setdefault(tool.slug, tool)
    found, unknown = [], []
    for name in wanted:
        tool = catalogue.get(fold(name)) or catalogue.get(name.lower())
        if tool is None:
            unknown.append(name)
        elif tool not in found:
            found.append(tool)
    return found, unknown


class TestimonialForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Votre association"), queryset=None, empty_label=None
    )
    tools_before = forms.CharField(
        label=_("Outils utilisés avant"),
        required=False,
        max_length=500,
        help_text=_("Noms d'outils du catalogue, séparés par des virgules : Google Drive, Excel"),
    )
    tools_after = forms.CharField(
        label=_("Outils adoptés"),
        required=False,
        max_length=500,
        help_text=_("Séparés par des virgules : Nextcloud, Grist"),
    )
    actors = forms.ModelMultipleChoiceField(
        label=_("Structures qui vous ont accompagnés"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Testimonial
        fields = [
            "organisation",
            "display_mode",
            "consent_names",
            "sector",
            "members_band",
            "department",
            "title",
            "problem",
            "actions",
            "tools_before",
            "tools_after",
            "actors",
            "cost_note",
            "cost_amount",
            "time_spent",
            "results",
            "difficulties",
            "advice",
            "video_url",
            "contact_opt_in",
        ]
        labels = {
            "display_mode": _("Comment présenter votre association ?"),
            "consent_names": _(
                "Nous acceptons que le nom de notre association soit publié avec ce témoignage"
            ),
            "members_band": _("Taille de l'association"),
            "title": _("Titre du témoignage"),
            "cost_note": _("Coût (en quelques mots)"),
            "contact_opt_in": _(
                "D'autres associations peuvent nous écrire au sujet de ce témoignage"
            ),
        }
        help_texts = {
            "display_mode": _(
                "Sans nom, le témoignage affiche seulement « une association de sport de 51 "
                "à 200 membres »."
            ),
            "title": _("Par exemple : « Nous avons quitté Google Drive pour Nextcloud »."),
            "problem": MARKDOWN_HELP,
            "actions": MARKDOWN_HELP,
            "results": MARKDOWN_HELP,
            "difficulties": MARKDOWN_HELP,
            "advice": MARKDOWN_HELP,
            "cost_note": _("Par exemple : « 0 €, hébergement offert par un CHATON »."),
            "cost_amount": _("Facultatif, en euros, pour comparer."),
            "time_spent": _("Par exemple : « 3 mois, 2 soirées par semaine »."),
            "video_url": _(
                "Un lien (PeerTube, YouTube…). La vidéo n'est pas intégrée : les visiteurs "
                "suivent le lien s'ils le souhaitent."
            ),
            "contact_opt_in": _(
                "Les messages sont transmis par courriel aux membres de l'association ; "
                "aucune adresse n'est affichée sur le site."
            ),
        }
        widgets = {
            "display_mode": forms.RadioSelect,
            "problem": forms.Textarea(attrs={"rows": 5}),
            "actions": forms.Textarea(attrs={"rows": 8}),
            "results": forms.Textarea(attrs={"rows": 5}),
            "difficulties": forms.Textarea(attrs={"rows": 4}),
            "advice": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if self.instance.pk:
            # The association of an existing testimonial does not change.
            del self.fields["organisation"]
            self.initial.setdefault(
                "tools_before", ", ".join(t.name for t in self.instance.tools_before)
            )
            self.initial.setdefault(
                "tools_after", ", ".join(t.name for t in self.instance.tools_after)
            )
            self.initial.setdefault("actors", list(self.instance.actors.all()))
        self.fields["actors"].queryset = support_structures()
        if not self.fields["actors"].queryset.exists():
            del self.fields["actors"]
        self.fields["department"].queryset = Department.objects.order_by("code")
        self.fields["department"].help_text = _("Pré-rempli depuis la fiche de l'association.")
        self.fields["sector"].help_text = _("Pré-rempli depuis la fiche de l'association.")
        self.fields["display_mode"].choices = DisplayMode.choices

    def _clean_tools(self, name):
        tools, unknown = resolve_tools(self.cleaned_data.get(name, ""))
        if unknown:
            raise forms.ValidationError(
                _(
                    "Outil absent du catalogue : %(names)s. Vérifiez l'orthographe, retirez-le "
                    "ou proposez-le dans la boîte à outils."
                ),
                params={"names": ", ".join(unknown)},
            )
        return tools

    def clean_tools_before(self):
        return self._clean_tools("tools_before")

    def clean_tools_after(self):
        return self._clean_tools("tools_after")

    def clean_video_url(self):
        url = self.cleaned_data.get("video_url", "")
        if url and not url.lower().startswith("https://"):
            raise forms.ValidationError(_("Donnez une adresse qui commence par https://."))
        return url

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("display_mode") == DisplayMode.NAMED and not cleaned.get("consent_names"):
            self.add_error(
                "consent_names",
                _("Cochez cette case pour publier le nom, ou choisissez « Sans nom »."),
            )
        return cleaned

    def story_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in {"organisation", "actors"}}


class ImageForm(forms.Form):
    image = forms.FileField(
        label=_("Image"),
        help_text=_(
            "JPEG, PNG ou WebP, 5 Mo au plus. Elle sera réduite et ses métadonnées (lieu, "
            "appareil) effacées. Si le formulaire affiche une erreur, choisissez à nouveau "
            "le fichier : un navigateur ne peut pas le garder."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt = forms.CharField(
        label=_("Texte alternatif"),
        max_length=250,
        help_text=_(
            "Décrivez ce que montre l'image pour les personnes qui ne la voient pas : "
            "« Trois bénévoles devant l'écran de la salle de réunion »."
        ),
        error_messages={"required": _("Décrivez l'image : le texte alternatif est obligatoire.")},
    )

    def clean_image(self):
        upload = self.cleaned_data["image"]
        validate_image(upload)
        return upload

    def clean_alt(self):
        alt = " ".join(self.cleaned_data.get("alt", "").split())
        if not alt:
            raise forms.ValidationError(
                _("Décrivez l'image : le texte alternatif est obligatoire.")
            )
        return alt


class ContactForm(HoneypotMixin, forms.Form):
    message = forms.CharField(
        label=_("Votre message à l'association"),
        max_length=3000,
        min_length=20,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Il est transmis par courriel aux membres de l'association, avec votre adresse "
            "pour qu'ils puissent vous répondre. Conservé 12 mois."
        ),
    )


def _choices(empty, choices):
    return [("", empty), *choices]


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Par exemple : « Nextcloud », « visio », « comptabilité »."),
    )
    secteur = forms.ChoiceField(label=_("Secteur"), required=False)
    besoin = forms.ChoiceField(label=_("Besoin"), required=False)
    outil = forms.CharField(label=_("Outil"), required=False, max_length=80)
    departement = forms.ChoiceField(label=_("Département"), required=False)
    taille = forms.ChoiceField(label=_("Taille"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secteur"].choices = _choices(_("Tous les secteurs"), Sector.choices)
        self.fields["taille"].choices = _choices(_("Toutes les tailles"), MembersBand.choices)
        self.fields["besoin"].choices = _choices(
            _("Tous les besoins"),
            list(toolbox_selectors.top_needs().values_list("slug", "name")),
        )
        self.fields["departement"].choices = _choices(
            _("Tous les départements"),
            [
                (d.code, str(d))
                for d in Department.objects.filter(
                    pk__in=published_testimonials().values("department")
                ).order_by("code")
            ],
        )
        self.fields["outil"].widget = forms.HiddenInput()

    def clean_q(self):
        value = self.cleaned_data.get("q", "")
        return "".join(c for c in value if c.isprintable()).strip()

    def filters(self) -> TestimonialFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return TestimonialFilters(
            sector=data.get("secteur", ""),
            need=data.get("besoin", ""),
            tool=data.get("outil", ""),
            department=data.get("departement", ""),
            size=data.get("taille", ""),
        )
