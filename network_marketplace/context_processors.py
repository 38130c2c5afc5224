from typing import Any

from django.conf import settings
from django.http import HttpRequest


def network(request: HttpRequest) -> dict[str, Any]:
    """The network's name and operator identity, shown in every layout's header and footer, and
    whether this is the demo (its banner links to the demo mailbox)."""
    return {
        "network_name": settings.NETWORK_NAME,
        "network_operator": settings.NETWORK_OPERATOR,
        "demo_site": settings.DEMO,
    }
