"""The demo mailbox's pages: every e-mail the demo sent, and each one as its recipient sees it.
They exist only in the demo (settings.DEMO): elsewhere they answer 404."""

from __future__ import annotations

import re
from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_sameorigin

from .mailbox import mailbox_messages, mailbox_recipients, show_email
from .models import MailboxMessage

PAGE_SIZE = 50

# The HTML part is shown in a sandboxed frame of the message page: no script, no form, nothing
# loaded but its own (inline) images and styles; its links open in a new tab.
HTML_PART_POLICY = (
    "default-src 'none'; img-src data: http: https:; style-src 'unsafe-inline'; "
    "frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox"
)
OPEN_LINKS_IN_NEW_TAB = '<base target="_blank">'
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)


def demo_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.DEMO:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@demo_only
def mailbox(request):
    to = request.GET.get("to", "").strip()
    page = Paginator(mailbox_messages(to=to), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "demo/mailbox.html",
        {"page": page, "to": to, "recipients": mailbox_recipients()},
    )


@demo_only
def message(request, message_id: int):
    shown = show_email(get_object_or_404(MailboxMessage, pk=message_id))
    return render(request, "demo/mailbox_message.html", {"shown": shown, "email": shown.message})


@demo_only
@xframe_options_sameorigin
def message_html(request, message_id: int):
    """The HTML part alone, for the message page's frame."""
    shown = show_email(get_object_or_404(MailboxMessage, pk=message_id))
    if shown.html is None:
        raise Http404
    head = _HEAD.search(shown.html)
    at = head.end() if head else 0
    response = HttpResponse(shown.html[:at] + OPEN_LINKS_IN_NEW_TAB + shown.html[at:])
    response.headers["Content-Security-Policy"] = HTML_PART_POLICY
    return response
