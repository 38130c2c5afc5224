"""How a line is served: home delivery, click & collect or reserve & collect.

One definition for the models (a field's choices), the pure routing engine (which must import
no model) and every app above. A `TextChoices` is a `str` enum: `method == "home_delivery"` and
`FulfilmentMethod("click_collect")` work as the engine needs.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FulfilmentMethod(models.TextChoices):
    HOME_DELIVERY = "home_delivery", _("Home delivery")
    CLICK_COLLECT = "click_collect", _("Click & collect")
    RESERVE_COLLECT = "reserve_collect", _("Reserve & collect")


COLLECT_METHODS = frozenset({FulfilmentMethod.CLICK_COLLECT, FulfilmentMethod.RESERVE_COLLECT})
