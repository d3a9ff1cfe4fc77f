from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from somegov import guideline_views, views

admin.site.site_header = _("somegov administration")
admin.site.site_title = _("somegov")
admin.site.index_title = _("Registry administration")

guideline_urls = [
    path("ohje/", guideline_views.guideline, name="guideline"),
    path("ohje/versiot/", guideline_views.guideline_versions, name="guideline_versions"),
    path("ohje/versiot/<int:pk>/", guideline_views.guideline_version, name="guideline_version"),
    path(
        "ohje/versiot/<int:pk>/muutokset/", guideline_views.guideline_version_changes, name="guideline_version_changes"
    ),
    path("ohje/versiot/<int:pk>/kuittaa/", guideline_views.guideline_acknowledge, name="guideline_acknowledge"),
    path("ohje/kuittaukset/", guideline_views.guideline_acknowledgements, name="guideline_acknowledgements"),
    path("ohje/luonnos/", guideline_views.guideline_draft_start, name="guideline_draft_start"),
    path("ohje/luonnos/<int:pk>/", guideline_views.guideline_draft, name="guideline_draft"),
    path(
        "ohje/luonnos/<int:pk>/osiot/uusi/",
        guideline_views.guideline_draft_section_add,
        name="guideline_draft_section_add",
    ),
    path(
        "ohje/luonnos/<int:pk>/osiot/<slug:slug>/",
        guideline_views.guideline_draft_section,
        name="guideline_draft_section",
    ),
    path(
        "ohje/luonnos/<int:pk>/osiot/<slug:slug>/poista/",
        guideline_views.guideline_draft_section_remove,
        name="guideline_draft_section_remove",
    ),
    path(
        "ohje/luonnos/<int:pk>/osiot/<slug:slug>/siirra/",
        guideline_views.guideline_draft_section_move,
        name="guideline_draft_section_move",
    ),
    path("ohje/luonnos/<int:pk>/esikatselu/", guideline_views.guideline_draft_preview, name="guideline_draft_preview"),
    path("ohje/luonnos/<int:pk>/muutokset/", guideline_views.guideline_draft_changes, name="guideline_draft_changes"),
    path("ohje/luonnos/<int:pk>/julkaise/", guideline_views.guideline_draft_publish, name="guideline_draft_publish"),
]

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
    path("", include(guideline_urls)),
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
