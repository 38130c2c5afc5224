from django.conf import settings


def network(request):
    """The network's name and operator identity, shown in every layout's header and footer."""
    return {"network_name": settings.NETWORK_NAME, "network_operator": settings.NETWORK_OPERATOR}
