from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "weerbaar.api"
    label = "api"
    verbose_name = "API"
