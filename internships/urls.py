from django.urls import path

from internships import views

app_name = "internships"

urlpatterns = [
    path("internships/", views.student_home, name="home"),
    path("internships/documents/<int:document_id>/", views.document_file, name="document_file"),
    path("internships/forms/<int:offer_id>/", views.forms_file, name="forms_file"),
    path("internships/<str:code>/", views.student_status, name="status"),
    path("internships/<str:code>/apply/", views.student_details, name="details"),
    path("internships/<str:code>/apply/form/", views.student_form, name="form"),
    path("internships/<str:code>/apply/documents/", views.student_document_add, name="document_add"),
    path("internships/<str:code>/offers/<int:offer_id>/answer/", views.student_answer, name="answer"),
    path("internships/<str:code>/offers/<int:offer_id>/forms/", views.student_forms, name="forms"),
    path("internships/<str:code>/host/<str:unit>/", views.host_pool, name="host"),
    path("internships/<str:code>/office/", views.office, name="office"),
    path("internships/<str:code>/office/export/<str:kind>/", views.office_export, name="export"),
]
