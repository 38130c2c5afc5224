from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
from django.contrib.sites.models import Site
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django_celery_beat.admin import PeriodicTaskForm, TaskSelectWidget
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from .admin_base import ModelAdmin, ReadOnlyModelAdmin
from .errors import DomainError
from .forms import WebhookEndpointAdminForm
from .models import AuditEvent, OutboxMessage, User, WebhookDelivery, WebhookEndpoint
from .outbox import retry_messages
from .webhooks import (
    create_endpoint,
    delete_endpoint,
    recent_deliveries,
    send_test_event,
    update_endpoint,
)

# The actions of Django's default permissions: their names are stored in English when the
# tables are made ("Can add product"), so the pickers name them from the model instead.
PERMISSION_ACTIONS = {
    "add": pgettext_lazy("permission", "may add"),
    "change": pgettext_lazy("permission", "may change"),
    "delete": pgettext_lazy("permission", "may delete"),
    "view": pgettext_lazy("permission", "may view"),
}


def permission_label(permission: Permission) -> str:
    """ "Catalogue | produit | peut ajouter": the application, the model and the action in the
    active language; a permission of another kind keeps its own name."""
    model = permission.content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is None or action not in PERMISSION_ACTIONS or model_name != model._meta.model_name:
        return str(permission)
    return " | ".join(
        [
            str(model._meta.app_config.verbose_name),
            str(model._meta.verbose_name),
            str(PERMISSION_ACTIONS[action]),
        ]
    )


class PermissionsInWords:
    """The permission pickers of a user's and a group's form, in the active language."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and db_field.related_model is Permission:
            field.label_from_instance = permission_label
        return field


@admin.register(User)
class UserAdmin(PermissionsInWords, BaseUserAdmin, ModelAdmin):
    """HQ's accounts: staff, store members and customers, found by e-mail (unfold's forms)."""

    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    """The audit trail is read-only: it is written by services, never edited."""

    list_display = ["created_at", "actor_label", "action", "target", "store_id"]
    list_filter = ["action", ("target_type", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["target_type"]

    @admin.display(description=_("target"))
    def target(self, event: AuditEvent) -> str:
        if event.target_type is None:
            return event.target_id or "—"
        return f"{capfirst(event.target_type.name)} {event.target_id}"

    search_fields = ["actor_label", "action", "target_id"]
    date_hierarchy = "created_at"


def _retry_button_message(count: int) -> str:
    return ngettext(
        "%(count)d message will be delivered again.",
        "%(count)d messages will be delivered again.",
        count,
    ) % {"count": count}


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyModelAdmin):
    """What the platform still has to do after commit. Read-only: dead messages are retried
    with the action once their cause is fixed."""

    list_display = [
        "kind",
        "dedupe_key",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["dedupe_key"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = (
        "kind",
        "dedupe_key",
        "status",
        "attempts",
        "next_attempt_at",
        "locked_until",
        "last_error",
        "created_at",
        "sent_at",
        "payload",
    )
    fields = readonly_fields

    @admin.action(description=_("Retry the selected dead or failed messages now"))
    def retry(self, request, queryset):
        count = retry_messages(
            message_ids=list(queryset.values_list("pk", flat=True)), actor=request.user
        )
        if count:
            messages.success(request, _retry_button_message(count))
        else:
            messages.warning(request, _("Only dead or failed messages can be retried."))


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ModelAdmin):
    """HQ's and stores' webhook endpoints. The signing secret is shown once, after creation."""

    form = WebhookEndpointAdminForm
    list_display = ["url", "store_label", "events_label", "active", "created_at", "deliveries_link"]
    list_filter = ["active", ("store", admin.EmptyFieldListFilter)]
    search_fields = ["url", "description", "store__name"]
    autocomplete_fields = ["store"]
    readonly_fields = ["created_by", "created_at", "recent_deliveries"]
    actions = ["ping"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("store")

    def get_fields(self, request, obj=None):
        fields = ["store", "url", "description", "event_types", "active"]
        if obj is None:
            return fields
        return [*fields, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["store", *self.readonly_fields]

    @admin.display(description=_("store"), ordering="store__name")
    def store_label(self, obj):
        return obj.store.name if obj.store_id else _("HQ (every store)")

    @admin.display(description=_("events"))
    def events_label(self, obj):
        return _("All events") if "*" in obj.event_types else ", ".join(obj.event_types)

    @admin.display(description=_("deliveries"))
    def deliveries_link(self, obj):
        url = reverse("admin:network_marketplace_webhookdelivery_changelist")
        return format_html('<a href="{}?endpoint__id__exact={}">{}</a>', url, obj.pk, _("Log"))

    @admin.display(description=_("recent deliveries"))
    def recent_deliveries(self, obj):
        deliveries = recent_deliveries(endpoints=[obj], limit=20)
        if not deliveries:
            return _("None yet.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    date_format(localtime(d.created_at), "SHORT_DATETIME_FORMAT"),
                    d.event_type,
                    d.state,
                    d.status_code or "—",
                    d.attempts,
                )
                for d in deliveries
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            _("Created"),
            _("Event"),
            _("State"),
            _("HTTP status"),
            _("Attempts"),
            rows,
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                update_endpoint(
                    endpoint=obj,
                    actor=request.user,
                    url=data["url"],
                    event_types=data["event_types"],
                    description=data["description"],
                    active=data["active"],
                )
                return
            created = create_endpoint(
                store=data.get("store"),
                url=data["url"],
                event_types=data["event_types"],
                description=data["description"],
                actor=request.user,
            )
        except DomainError as error:
            # Raised only by a race with a concurrent change the form could not see.
            raise PermissionDenied(error.message) from error
        if not data["active"]:
            update_endpoint(endpoint=created.endpoint, actor=request.user, active=False)
        obj.pk = created.endpoint.pk
        messages.warning(
            request,
            _("Copy the signing secret now, it will not be shown again: %(secret)s")
            % {"secret": created.secret},
        )

    def delete_model(self, request, obj):
        delete_endpoint(endpoint=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for endpoint in queryset:
            delete_endpoint(endpoint=endpoint, actor=request.user)

    @admin.action(description=_("Send a test event to the selected endpoints"))
    def ping(self, request, queryset):
        for endpoint in queryset:
            try:
                send_test_event(endpoint=endpoint, actor=request.user)
            except DomainError as error:
                messages.warning(request, f"{endpoint.url}: {error.message}")
        messages.success(request, _("Test events queued."))


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyModelAdmin):
    """The log of webhook deliveries, one row per event and endpoint (attempts counted)."""

    list_display = [
        "created_at",
        "event_type",
        "event_id",
        "endpoint",
        "state_label",
        "status_code",
        "attempts",
        "duration_ms",
        "delivered_at",
    ]
    list_filter = ["event_type", ("delivered_at", admin.EmptyFieldListFilter)]
    search_fields = ["event_id", "endpoint__url"]
    list_select_related = ["endpoint", "message"]
    date_hierarchy = "created_at"
    fields = (
        "id",
        "endpoint",
        "event_id",
        "event_type",
        "state_label",
        "message",
        "attempts",
        "status_code",
        "response_snippet",
        "error",
        "duration_ms",
        "created_at",
        "last_attempt_at",
        "delivered_at",
    )
    readonly_fields = fields

    @admin.display(description=_("state"))
    def state_label(self, obj):
        return obj.state


# The admins of the libraries' models (groups, sites, periodic jobs, accounts' e-mail addresses,
# second factors and sessions), on the same base as ours: they live under "settings".


class _PeriodicTaskForm(PeriodicTaskForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].widget = UnfoldAdminTextInputWidget()
        self.fields["regtask"].widget = _TaskSelectWidget()


class _TaskSelectWidget(UnfoldAdminSelectWidget, TaskSelectWidget):
    pass


def _on_our_base(model, **attrs) -> None:
    """Register `model` again with its library's admin class on top of our base."""
    library_admin = type(admin.site._registry[model])
    admin.site.unregister(model)
    admin.site.register(
        model,
        type(
            library_admin.__name__, (library_admin, ModelAdmin), {"__module__": __name__, **attrs}
        ),
    )


admin.site.unregister(Authenticator)
admin.site.unregister(UserSession)
admin.site.unregister(Group)


# The stubs type the library's admin as an admin of Group, ours of any model: the same class.
@admin.register(Group)
class GroupAdmin(PermissionsInWords, BaseGroupAdmin, ModelAdmin):  # type: ignore[misc]
    """HQ's groups of permissions: the library's admin on our base, its picker in words."""


_on_our_base(Site)
_on_our_base(EmailAddress)


class _AccountRecordAdmin(ReadOnlyModelAdmin):
    """A sign-in record of allauth's (a second factor, a session): HQ's support reads it and may
    delete it (a lost phone's second factor, a session to end); the library's fields have no
    translated names, hence the displays."""

    search_fields = ["user__email"]
    list_select_related = ["user"]

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(f"{self.opts.app_label}.delete_{self.opts.model_name}")

    @admin.display(description=_("account"), ordering="user__email")
    def account(self, record) -> str:
        return record.user.email

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, record):
        return record.created_at


# allauth names these models by their class (no verbose_name, nothing to translate): HQ reads
# them in its language. Set on _meta, not on Meta: migrations read Meta only (no allauth
# migration to make).
Authenticator._meta.verbose_name = _("second factor")
Authenticator._meta.verbose_name_plural = _("second factors")
UserSession._meta.verbose_name = _("signed-in session")
UserSession._meta.verbose_name_plural = _("signed-in sessions")


@admin.register(Authenticator)
class AuthenticatorAdmin(_AccountRecordAdmin):
    list_display = ["account", "kind", "created", "last_used"]
    list_filter = ["type"]
    fields = list_display

    @admin.display(description=_("kind"), ordering="type")
    def kind(self, authenticator: Authenticator) -> str:
        return authenticator.get_type_display()

    @admin.display(description=_("last used at"), ordering="last_used_at")
    def last_used(self, authenticator: Authenticator):
        return authenticator.last_used_at


@admin.register(UserSession)
class UserSessionAdmin(_AccountRecordAdmin):
    list_display = ["account", "created", "last_seen", "ip_address", "browser"]
    list_filter = ["last_seen_at"]
    fields = list_display

    @admin.display(description=_("last seen at"), ordering="last_seen_at")
    def last_seen(self, session: UserSession):
        return session.last_seen_at

    @admin.display(description=_("IP address"))
    def ip_address(self, session: UserSession) -> str:
        return session.ip or "—"

    @admin.display(description=_("browser"))
    def browser(self, session: UserSession) -> str:
        return session.user_agent[:80]


# The library's form template adds an inline script (an English crontab hint) the admin's CSP
# refuses: the stock change form instead.
_on_our_base(PeriodicTask, form=_PeriodicTaskForm, change_form_template="admin/change_form.html")
_on_our_base(CrontabSchedule, search_fields=["minute", "hour", "day_of_week", "timezone"])
_on_our_base(IntervalSchedule, list_filter=["period"])
_on_our_base(SolarSchedule, list_filter=["event"])
_on_our_base(ClockedSchedule, search_fields=["clocked_time"])
