"""Public, secret-URL feeds of the digital packs (/marketing/feeds/): a store's local inventory.

Google Merchant Center fetches the feed on its schedule from the URL the store was shown once;
the URL's secret is the only credential (unknown, renewed, paused or ended: 404)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from .selectors.subscriptions import subscription_for_feed
from .services.deliverables import generate_deliverables, latest_feed


@require_GET
def local_inventory(request: HttpRequest, token: str) -> HttpResponse:
    subscription = subscription_for_feed(token)
    if subscription is None:
        raise Http404
    feed = latest_feed(subscription.store)
    if feed is None or not feed.file:  # the schedule has not made it yet
        generate_deliverables(subscription=subscription)
        feed = latest_feed(subscription.store)
    if feed is None:
        raise Http404
    with feed.file.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type="text/tab-separated-values; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


app_name = "marketing_feeds"
urlpatterns = [
    path("<str:token>/local-inventory.tsv", local_inventory, name="local-inventory"),
]
