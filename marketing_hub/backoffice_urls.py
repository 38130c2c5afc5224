"""The "Marketing" section of the back-office, relative to /store/<slug>/ (under marketing/),
and its entry in the navigation; mounted by config/urls.py (namespace "backoffice")."""

from django.utils.translation import gettext_lazy as _

from stores.backoffice import Section

from .backoffice import catalogue, orders, overview, subscriptions

urlpatterns = [
    *overview.urlpatterns,
    *catalogue.urlpatterns,
    *orders.urlpatterns,
    *subscriptions.urlpatterns,
]

navigation = [
    Section(
        key="marketing",
        label=_("Marketing"),
        # The overview page (budget, co-funding left, latest orders) is named "marketing".
        url_name="backoffice:marketing",
        order=70,
        current_on=frozenset(p.name for p in urlpatterns if p.name and p.name != "marketing"),
        testid="nav-marketing",
    ),
]
