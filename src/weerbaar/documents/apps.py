from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "weerbaar.documents"
    label = "documents"
    verbose_name = "Documenten"
