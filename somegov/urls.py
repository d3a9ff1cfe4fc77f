from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from somegov import access_views, views

admin.site.site_header = _("somegov administration")
admin.site.site_title = _("somegov")
admin.site.index_title = _("Registry administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("saavutettavuus/", views.accessibility, name="accessibility"),
    path("saavutettavuus/palaute/", views.accessibility_feedback, name="accessibility_feedback"),
    path("saavutettavuus/palaute/kiitos/", views.accessibility_feedback_thanks, name="accessibility_feedback_thanks"),
    path("saavutettavuus/palautteet/", views.accessibility_feedback_list, name="accessibility_feedback_list"),
    path(
        "saavutettavuus/palautteet/<int:pk>/", views.accessibility_feedback_detail, name="accessibility_feedback_detail"
    ),
    path(
        "saavutettavuus/palautteet/<int:pk>/vastattu/",
        views.accessibility_feedback_answer,
        name="accessibility_feedback_answer",
    ),
    path("tietosuoja/", views.privacy, name="privacy"),
    path("loki/", access_views.audit_log, name="audit_log"),
    path("loki/vienti.csv", access_views.audit_log_export, name="audit_log_export"),
    path("henkilot-ja-roolit/", access_views.people_roles, name="people_roles"),
    path("henkilot-ja-roolit/<int:pk>/", access_views.user_roles, name="user_roles"),
    path("", include("guideline.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", include("channels.public_urls")),
    path("", include("channels.urls")),
    path("", include("approvals.urls")),
    path("admin/", admin.site.urls),
]

# Log-in with the municipality's identity provider exists only when it is switched on (OIDC_ENABLED).
if settings.OIDC_ENABLED:
    urlpatterns.insert(0, path("oidc/", include("somegov.oidc")))

# A database outage raised in a middleware (e.g. saving the session) gets the 503 page, not a 500.
handler500 = "somegov.errors.server_error"
