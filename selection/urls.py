from django.urls import path

from selection import views

app_name = "selection"
urlpatterns = [
    path("office/calls/<str:code>/selection/", views.selection_page, name="page"),
    path("office/calls/<str:code>/selection/status/", views.selection_status, name="status"),
    path("office/calls/<str:code>/selection/start/", views.selection_start, name="start"),
    path("office/calls/<str:code>/selection/runs/<int:run_id>/cancel/", views.selection_cancel, name="cancel"),
    path("office/calls/<str:code>/ranking.<str:fmt>", views.ranking_download, name="download"),
]
