from django.urls import path

from . import views

app_name = "demo"

urlpatterns = [
    path("mailbox/", views.mailbox, name="mailbox"),
    path("mailbox/<int:message_id>/", views.message, name="mailbox-message"),
    path("mailbox/<int:message_id>/html/", views.message_html, name="mailbox-message-html"),
]
