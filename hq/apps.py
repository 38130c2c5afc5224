from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HqConfig(AppConfig):
    """HQ's view of the whole network: the control tower (admin home), the stores' scorecards
    and their automatic consequences, and the fairness of home-delivery routing. It reads every
    app below it and owns no commerce record of its own."""

    name = "hq"
    verbose_name = _("Head office")
