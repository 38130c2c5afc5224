from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoresConfig(AppConfig):
    name = "stores"
    verbose_name = _("Stores")

    def ready(self):
        from .api import schema  # noqa: F401 - registers the OpenAPI security scheme
