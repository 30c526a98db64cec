from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ressourcerie.api"
    label = "api"
    verbose_name = "API"
