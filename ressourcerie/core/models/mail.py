from django.db import models
from django.utils.translation import gettext_lazy as _


class HeldAddress(models.Model):
    """An address typed for one e-mail and kept nowhere else (e.g. "send me my diagnostic
    link"): the task carries this row's id, and the worker deletes the row when it sends
    (``core.emails.hold_address`` / ``take_address``). Rows older than a day are dropped."""

    address = models.EmailField(_("adresse"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("adresse en attente d'envoi")
        verbose_name_plural = _("adresses en attente d'envoi")

    def __str__(self):
        return f"#{self.pk}"


class ContactMessage(models.Model):
    """A message to the instance's team from the contact page, relayed by e-mail: the task
    carries this row's id; the worker deletes the row when it sends (``core.contact``).
    Rows older than a day are dropped (the team answers from its own inbox)."""

    name = models.CharField(_("nom"), max_length=120, blank=True)
    email = models.EmailField(_("adresse e-mail"))
    subject = models.CharField(_("objet"), max_length=150)
    message = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message à l'équipe")
        verbose_name_plural = _("messages à l'équipe")

    def __str__(self):
        return f"#{self.pk}"
