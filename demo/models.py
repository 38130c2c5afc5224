from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MailboxMessage(models.Model):
    """An e-mail the demo sent, kept whole (its MIME source, inline images included) so that
    the demo mailbox shows what a mail client would have received."""

    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    from_email = models.CharField(_("from"), max_length=320)
    to = models.TextField(_("to"), help_text=_("Every recipient, comma-separated."))
    subject = models.CharField(_("subject"), max_length=998)
    source = models.TextField(_("source"))

    class Meta:
        verbose_name = _("demo e-mail")
        verbose_name_plural = _("demo e-mails")
        ordering = ["-sent_at", "-id"]
        # The mailbox lists the newest first.
        indexes = [models.Index(fields=["-sent_at", "-id"], name="demo_mailbox_newest_idx")]

    def __str__(self) -> str:
        return self.subject
