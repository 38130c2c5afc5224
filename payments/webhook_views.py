"""The provider's webhook endpoint: no session, no CSRF token, only the signature."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .provider_events import InvalidEvent, InvalidSignature, receive_stripe_event


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    """Verify, store once, answer at once; the event is processed after commit (outbox)."""
    try:
        event, created = receive_stripe_event(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except (InvalidSignature, InvalidEvent) as error:
        return JsonResponse({"code": error.code, "detail": error.message, "fields": {}}, status=400)
    return JsonResponse({"received": event.event_id, "duplicate": not created})
