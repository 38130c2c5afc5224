from django.urls import path

from .views import complaints, legal, notices

app_name = "legal"
urlpatterns = [
    path("notices/new/", notices.notice_form, name="notice_form"),
    path("notices/<str:reference>/sent/", notices.notice_sent, name="notice_sent"),
    path("complaints/<str:reference>/sent/", complaints.complaint_sent, name="complaint_sent"),
    path("complaints/<str:token>/", complaints.complaint_form, name="complaint"),
    path("<slug:page>/", legal.legal_page, name="page"),
]
