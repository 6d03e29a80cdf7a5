from django.urls import path

from letters import views

app_name = "letters"
urlpatterns = [
    path("calls/<str:code>/letter/", views.letter_page, name="student"),
    path("calls/<str:code>/letter/preview/", views.letter_preview, name="preview"),
    path("calls/<str:code>/letter/letter.pdf", views.letter_pdf_student, name="student_pdf"),
    path("calls/<str:code>/withdraw/", views.withdraw, name="withdraw"),
    path("calls/<str:code>/letter/<str:kind>.pdf", views.student_document, name="student_document"),
    path("office/calls/<str:code>/letters/", views.review_queue, name="queue"),
    path("office/calls/<str:code>/letters/<str:student_number>/", views.review_letter, name="review"),
    path("office/calls/<str:code>/letters/<str:student_number>/force-majeure/", views.force_majeure_change, name="force_majeure"),
    path("office/calls/<str:code>/letters/<str:student_number>/letter.pdf", views.letter_pdf_office, name="office_pdf"),
    path("office/calls/<str:code>/letters/<str:student_number>/<str:kind>.pdf", views.office_document, name="office_document"),
    path("office/calls/<str:code>/placements/<str:student_number>/force-majeure-document",
         views.force_majeure_document_office, name="force_majeure_document"),
    path("office/calls/<str:code>/budget/", views.budget_page, name="budget"),
]
