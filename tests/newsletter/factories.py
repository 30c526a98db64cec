import factory

from ressourcerie.newsletter.models import Edition, Subscriber, SubscriberStatus, Topic


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"abonne{n}@example.org")
    status = SubscriberStatus.CONFIRMED
    topics = "," + ",".join(Topic.values) + ","


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    subject = factory.Sequence(lambda n: f"Lettre n° {n}")
    body = "Bonjour à toutes et à tous,\n\n- une **nouvelle** rubrique\n- [le site](https://example.org)\n"
