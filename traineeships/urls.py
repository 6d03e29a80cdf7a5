from django.urls import path

from traineeships import views

app_name = "traineeships"
urlpatterns = [
    path("calls/<str:code>/traineeship/", views.student_page, name="student"),
    path("calls/<str:code>/traineeship/agreement/", views.agreement_edit, name="agreement"),
    path("calls/<str:code>/traineeship/agreement/v<int:version>.pdf", views.agreement_pdf_student, name="agreement_pdf"),
    path("calls/<str:code>/traineeship/final-grant.pdf", views.final_grant_student, name="final_grant_pdf"),
    path("office/agreements/", views.queue, name="queue"),
    path("office/calls/<str:code>/agreements/<str:student_number>/v<int:version>/", views.review, name="review"),
    path("office/calls/<str:code>/agreements/<str:student_number>/v<int:version>.pdf", views.agreement_pdf_review, name="review_pdf"),
    path("office/calls/<str:code>/traineeships/", views.office_list, name="office_list"),
    path("office/calls/<str:code>/traineeships/mobilities.<str:fmt>", views.office_export, name="office_export"),
    path("office/calls/<str:code>/traineeships/<str:student_number>/", views.office_detail, name="office_detail"),
    path("host/<str:token>/", views.host, name="host"),
]
