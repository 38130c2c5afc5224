"""The returns desk of the back-office, relative to /store/<slug>/ (under returns/), and its
entry in the navigation; mounted by config/urls.py (namespace "backoffice")."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from stores.backoffice import Section

from . import desk_views

urlpatterns = [
    path("returns/", desk_views.desk, name="returns"),
    path("returns/walk-in/", desk_views.walk_in, name="return-walk-in"),
    path("returns/<str:number>/", desk_views.detail, name="return"),
    path("returns/<str:number>/receive/", desk_views.receive, name="return-receive"),
    path("returns/<str:number>/inspect/", desk_views.inspect, name="return-inspect"),
    path("returns/<str:number>/refund/", desk_views.refund, name="return-refund"),
]

navigation = [
    Section(
        key="returns",
        label=_("Returns"),
        url_name="backoffice:returns",
        order=70,
        current_on=frozenset(
            {"return-walk-in", "return", "return-receive", "return-inspect", "return-refund"}
        ),
    ),
]
