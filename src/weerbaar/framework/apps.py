from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "weerbaar.framework"
    label = "framework"
    verbose_name = "Strategisch kader"
