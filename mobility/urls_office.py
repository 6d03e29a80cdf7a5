"""URLs of the call workspace, publication, public lists and appeals (one include in mobility.urls)."""
from django.urls import include, path

from appeals import views as appeal_views
from mobility import office_views
from selection import views_office, views_public

office = [
    path("office/calls/<str:code>/workspace/", office_views.call_workspace_page, name="workspace"),
    path("office/calls/<str:code>/status/<str:to>/", office_views.call_transition_page, name="transition"),
    path("office/calls/<str:code>/audit/", office_views.call_audit_page, name="audit"),
    path("office/calls/<str:code>/applications/<int:pk>/audit/", office_views.application_audit_page, name="application_audit"),
    path("office/calls/<str:code>/runs/", views_office.runs_list, name="runs"),
    path("office/calls/<str:code>/runs/new/", views_office.run_start_page, name="run_start"),
    path("office/calls/<str:code>/runs/compare/", views_office.runs_compare_page, name="compare"),
    path("office/calls/<str:code>/runs/what-if/", views_office.what_if_page, name="what_if"),
    path("office/calls/<str:code>/runs/<int:pk>/", views_office.run_detail, name="run"),
    path("office/calls/<str:code>/publish/<str:stage>/", views_office.publish_page, name="publish"),
    path("office/calls/<str:code>/lists/<str:kind>.<str:fmt>", views_office.list_download, name="list_download"),
    path("office/calls/<str:code>/lists/pdf/<str:key>/", views_office.office_pdf_job, name="pdf_job"),
    path("office/calls/<str:code>/appeals/", appeal_views.office_appeals, name="appeals"),
    path("office/calls/<str:code>/appeals/<int:pk>/answer/", appeal_views.office_answer, name="appeal_answer"),
    path("office/calls/<str:code>/appeals/<int:pk>/document", appeal_views.office_appeal_document, name="appeal_document"),
]
public = [
    path("verify/", views_public.verify, name="verify"),
    path("results/<str:code>/", views_public.public_list, name="list"),
    path("results/<str:code>/list-<int:pk>.csv", views_public.public_list_csv, name="csv"),
    path("results/<str:code>/<str:department>/", views_public.public_list, name="department"),
    path("results/<str:code>/<str:department>/list.pdf", views_public.public_list_pdf, name="pdf"),
    path("results/<str:code>/pdf/<str:key>/", views_public.public_pdf_job, name="pdf_job"),
]
student = [
    path("calls/<str:code>/appeal/", appeal_views.student_appeal, name="student"),
    path("calls/<str:code>/appeal/<int:pk>/document", appeal_views.student_appeal_document, name="document"),
]

urlpatterns = [
    path("", include((office, "office"))),
    path("", include((public, "public"))),
    path("", include((student, "appeals"))),
]
