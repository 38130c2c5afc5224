from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo network (`manage.py load_demo`): data files under demo/data/ and their loader.
    It sits above every app, like config: nothing imports it."""

    name = "demo"
    verbose_name = _("Demo data")
