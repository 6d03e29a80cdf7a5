from django.urls import path

from applications.student import views as student

app_name = "applications"
urlpatterns: list = [
    path("calls/<str:code>/", student.call_page, name="call"),
    path("calls/<str:code>/apply/", student.application_save, name="apply"),
    path("applications/<int:application_id>/submit/", student.application_submit, name="submit"),
    path("applications/<int:application_id>/reopen/", student.application_reopen, name="reopen"),
    path("applications/<int:application_id>/withdraw/", student.application_withdraw, name="withdraw"),
    path("applications/<int:application_id>/documents/", student.application_document_upload, name="document_upload"),
    path("documents/<int:document_id>/", student.document_download, name="document_download"),
    path("profile/", student.profile, name="profile"),
    path("office/documents/", student.office_document_queue, name="document_queue"),
    path("office/documents/<int:document_id>/decide/", student.office_document_decide, name="document_decide"),
]
