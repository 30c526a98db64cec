import factory

from ressourcerie.directory.models import Place


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Espace numérique {n}")
    slug = factory.Sequence(lambda n: f"espace-numerique-{n}")
    commune_name = "Angoulême"
    postal_code = "16000"
    address = "1 place de l'Hôtel de ville"
    latitude = 45.6484
    longitude = 0.1562
    services = ",outils_quotidien,"
    kinds = ",mediation,"
    fees = ",gratuit,"
