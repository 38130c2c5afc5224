"""The customer's return pages, under /orders/<number>/."""

from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("<str:number>/return/", views.start_return, name="start"),
    path("<str:number>/returns/<str:return_number>/", views.return_detail, name="detail"),
    path("<str:number>/returns/<str:return_number>/cancel/", views.cancel, name="cancel"),
]
