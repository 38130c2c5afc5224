"""The back-office's Marketing overview (/store/<slug>/marketing/): where a store starts."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from stores.backoffice import backoffice_store
from stores.models import Store


@backoffice_store
def overview(request: HttpRequest, store: Store) -> HttpResponse:
    return render(request, "marketing_hub/overview.html", {"store": store})


urlpatterns = [
    path("marketing/", overview, name="marketing"),
]
