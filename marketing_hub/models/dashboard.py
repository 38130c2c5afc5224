"""No table: the entry of HQ's marketing dashboard in the admin's Marketing hub list (a proxy,
so that the admin index links to it like to any other page of the app)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .catalogue import Campaign


class MarketingDashboard(Campaign):
    class Meta:
        proxy = True
        verbose_name = _("marketing dashboard")
        verbose_name_plural = _("marketing dashboard")
