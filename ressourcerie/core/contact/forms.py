from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import HoneypotMixin


class ContactForm(HoneypotMixin, forms.Form):
    name = forms.CharField(label=_("Votre nom"), max_length=120, required=False)
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        help_text=_("Pour vous répondre ; elle n'est pas gardée une fois le message transmis."),
    )
    subject = forms.CharField(label=_("Objet"), max_length=150)
    message = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea)
