"""The "Money" section of the store back-office, under /store/<slug>/money/."""

from django.urls import path

from . import views

app_name = "money"
urlpatterns = [
    path("<slug:slug>/money/", views.overview, name="overview"),
    path("<slug:slug>/money/statement/", views.statement, name="statement"),
    path("<slug:slug>/money/invoices/", views.invoice_list, name="invoices"),
    path("<slug:slug>/money/invoices/<str:number>.pdf", views.invoice_download, name="invoice"),
    path("<slug:slug>/money/commissions/", views.commissions, name="commissions"),
]
