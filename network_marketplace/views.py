"""Health probes: what a load balancer or a container runtime asks the web process."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import platform_health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when the database, cache, broker and a worker answer, else 503."""
    healthy, report = platform_health()
    return JsonResponse(report, status=200 if healthy else 503)


@never_cache
@require_GET
def liveness(request: HttpRequest) -> HttpResponse:
    """Liveness: the web process answers; used by container health checks, touches nothing."""
    return HttpResponse("ok", content_type="text/plain")
