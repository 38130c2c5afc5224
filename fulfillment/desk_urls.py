"""The returns desk of the store back-office, under /store/<slug>/returns/."""

from django.urls import path

from . import desk_views

app_name = "returns_desk"
urlpatterns = [
    path("<slug:slug>/returns/", desk_views.desk, name="list"),
    path("<slug:slug>/returns/walk-in/", desk_views.walk_in, name="walk-in"),
    path("<slug:slug>/returns/<str:number>/", desk_views.detail, name="detail"),
    path("<slug:slug>/returns/<str:number>/receive/", desk_views.receive, name="receive"),
    path("<slug:slug>/returns/<str:number>/inspect/", desk_views.inspect, name="inspect"),
    path("<slug:slug>/returns/<str:number>/refund/", desk_views.refund, name="refund"),
]
