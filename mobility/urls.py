from django.contrib import admin
from django.urls import include, path

from mobility import views
from mobility.language import language_set

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", language_set),  # before Django's own: also saves the choice on the profile
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("portal.urls")),
    path("", include("selection.urls")),
    path("", include("letters.urls")),
    path("", include("traineeships.urls")),
    path("", include("internships.urls")),
]

handler403 = "mobility.views.forbidden"
# Nothing under MEDIA_URL is served, with DEBUG on or off: every stored file is private and
# reaches a browser only through a view that checks permission (mobility.uploads).
