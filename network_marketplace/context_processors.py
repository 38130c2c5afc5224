from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def network(request: HttpRequest) -> dict[str, Any]:
    """The network's name and operator identity, shown in every layout's header and footer, and
    whether this is the demo (its banner links to the demo mailbox); the maps' tile server
    (named on each map's placeholder before the visitor allows it)."""
    return {
        "network_name": settings.NETWORK_NAME,
        "network_operator": settings.NETWORK_OPERATOR,
        "demo_site": settings.DEMO,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_host": urlsplit(settings.MAP_TILE_URL).hostname or settings.MAP_TILE_URL,
    }
