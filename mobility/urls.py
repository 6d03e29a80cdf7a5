from django.contrib import admin
from django.urls import include, path

from mobility import views
from mobility.language import language_set

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("office/calls/", views.office_call_list, name="office_call_list"),
    path("office/calls/<str:code>/", views.office_call_detail, name="office_call_detail"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", language_set),  # before Django's own: also saves the choice on the profile
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("applications.urls")),
    path("", include("selection.urls")),
    path("", include("mobility.urls_office")),
    path("", include("letters.urls")),
]

handler403 = "mobility.views.forbidden"
# Nothing under MEDIA_URL is served, with DEBUG on or off: every stored file is private and
# reaches a browser only through a view that checks permission (mobility.uploads).
