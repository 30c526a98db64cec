"""Transactional e-mails of the newsletter (the editions have their own pipeline, whose
tasks carry the edition's id only), rebuilt by the worker from ids (see core.emails)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ressourcerie.core.emails import Email, purpose

from . import conf, rendering, tokens
from .models import Subscriber


@purpose("newsletter.confirm")
def confirm(*, subscriber: int) -> Email | None:
    subscriber = Subscriber.objects.filter(pk=subscriber).first()
    if subscriber is None:
        return None
    token = tokens.for_subscriber(tokens.CONFIRM, subscriber)
    return Email(
        to=[subscriber.email],
        subject=_("Confirmez votre inscription à la lettre d'information"),
        template="newsletter_confirm",
        context={
            "confirm_url": rendering.absolute(reverse("newsletter:confirm", args=[token])),
            "valid_days": conf.CONFIRMATION_DAYS,
            "topic_labels": [str(x) for x in subscriber.topic_labels],
        },
    )


@purpose("newsletter.already")
def already(*, subscriber: int) -> Email | None:
    subscriber = Subscriber.objects.filter(pk=subscriber).first()
    if subscriber is None:
        return None
    return Email(
        to=[subscriber.email],
        subject=_("Vous êtes déjà inscrit à la lettre d'information"),
        template="newsletter_already",
        context={
            "preferences_url": rendering.preferences_url(subscriber.pk, subscriber.token_version),
        },
    )
