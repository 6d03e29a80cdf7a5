"""Every page that reads several apps: dashboards, the call workspace, the student's call page,
public lists, appeals pages. URL names and namespaces are those the templates have always used."""
from django.urls import include, path

from appeals import views as appeal_views
from portal import office_views, public_views, student_views, views
from selection import views_office

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
    path("verify/", public_views.verify, name="verify"),
    path("results/<str:code>/", public_views.public_list, name="list"),
    path("results/<str:code>/list-<int:pk>.csv", public_views.public_list_csv, name="csv"),
    path("results/<str:code>/<str:department>/", public_views.public_list, name="department"),
    path("results/<str:code>/<str:department>/list.pdf", public_views.public_list_pdf, name="pdf"),
    path("results/<str:code>/pdf/<str:key>/", public_views.public_pdf_job, name="pdf_job"),
]
appeals = [
    path("calls/<str:code>/appeal/", appeal_views.student_appeal, name="student"),
    path("calls/<str:code>/appeal/<int:pk>/document", appeal_views.student_appeal_document, name="document"),
]
# The student's pages keep the `applications` namespace they had in applications/urls.py.
applications = [
    path("calls/<str:code>/", student_views.call_page, name="call"),
    path("calls/<str:code>/apply/", student_views.application_save, name="apply"),
    path("applications/<int:application_id>/submit/", student_views.application_submit, name="submit"),
    path("applications/<int:application_id>/reopen/", student_views.application_reopen, name="reopen"),
    path("applications/<int:application_id>/withdraw/", student_views.application_withdraw, name="withdraw"),
    path("applications/<int:application_id>/documents/", student_views.application_document_upload, name="document_upload"),
    path("documents/<int:document_id>/", student_views.document_download, name="document_download"),
    path("profile/", student_views.profile, name="profile"),
    path("office/documents/", student_views.office_document_queue, name="document_queue"),
    path("office/documents/<int:document_id>/decide/", student_views.office_document_decide, name="document_decide"),
]

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("office/calls/", views.office_call_list, name="office_call_list"),
    path("office/calls/<str:code>/", views.office_call_detail, name="office_call_detail"),
    path("", include((applications, "applications"))),
    path("", include((office, "office"))),
    path("", include((public, "public"))),
    path("", include((appeals, "appeals"))),
]
