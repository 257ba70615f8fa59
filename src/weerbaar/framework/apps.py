from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "weerbaar.framework"
    label = "framework"
    verbose_name = "Strategisch kader"

    def ready(self):
        from weerbaar.core.dashboard import register

        from .dashboard import framework_card

        register("framework", 10, framework_card)
