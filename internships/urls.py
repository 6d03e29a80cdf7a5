from django.urls import path

from internships import views

app_name = "internships"

# Students' pages name no other object than the programme: offers travel in the POST body, so a
# student can only ever reach their own. Host units and career staff work under office/.
urlpatterns = [
    path("internships/", views.student_home, name="home"),
    path("internships/documents/<int:document_id>/", views.document_file, name="document_file"),
    path("internships/<str:code>/", views.student_status, name="status"),
    path("internships/<str:code>/apply/", views.student_details, name="details"),
    path("internships/<str:code>/apply/form/", views.student_form, name="form"),
    path("internships/<str:code>/apply/documents/", views.student_document_add, name="document_add"),
    path("internships/<str:code>/offers/answer/", views.student_answer, name="answer"),
    path("internships/<str:code>/offers/forms/", views.student_forms, name="forms"),
    path("office/internships/forms/<int:offer_id>/", views.forms_file, name="forms_file"),
    path("office/internships/<str:code>/", views.office, name="office"),
    path("office/internships/<str:code>/export/<str:kind>/", views.office_export, name="export"),
    path("office/internships/<str:code>/host/<str:unit>/", views.host_pool, name="host"),
]
