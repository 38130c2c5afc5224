"""The customer's return pages, under /orders/<number>/."""

from django.urls import path

from . import views, withdrawal_views

app_name = "returns"
urlpatterns = [
    path("<str:number>/return/", views.start_return, name="start"),
    path("<str:number>/returns/<str:return_number>/", views.return_detail, name="detail"),
    path("<str:number>/returns/<str:return_number>/cancel/", views.cancel, name="cancel"),
    # The withdrawal button (Directive 2023/2673): one order part's confirmation step, then
    # the acknowledgement and its PDF.
    path(
        "<str:number>/withdraw/<int:part>/",
        withdrawal_views.confirm_withdrawal,
        name="withdraw",
    ),
    path(
        "<str:number>/withdrawals/<str:reference>/",
        withdrawal_views.withdrawal_detail,
        name="withdrawal",
    ),
    path(
        "<str:number>/withdrawals/<str:reference>/acknowledgement.pdf",
        withdrawal_views.withdrawal_pdf,
        name="withdrawal-pdf",
    ),
]
