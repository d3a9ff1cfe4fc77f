from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core.access import role_not_required
from somegov import access_views, account_views, organisation_views, setup_views, views

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
    path("organisaatio/", organisation_views.organisation_edit, name="organisation"),
    path("kayttoonotto/", setup_views.first_run, name="first_run"),
    path("organisaatio/logo.png", organisation_views.organisation_logo, name="organisation_logo"),
    path("henkilot-ja-roolit/<int:pk>/", access_views.user_roles, name="user_roles"),
    path("", include("guideline.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    # One's own account: a login without a role may use these too (core.access.RoleRequiredMiddleware).
    path("accounts/logout/", role_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/password/", role_not_required(auth_views.PasswordChangeView.as_view()), name="password_change"),
    path(
        "accounts/password/done/",
        role_not_required(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    # A forgotten password, by e-mail: public pages (somegov.account_views).
    path("accounts/password/reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", account_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        account_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
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
