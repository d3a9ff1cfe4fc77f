"""The guideline's pages: reading, versions and changes, acknowledgements, drafts and publishing."""

from django.urls import path

from guideline import views

urlpatterns = [
    path("ohje/", views.guideline, name="guideline"),
    path("ohje/versiot/", views.guideline_versions, name="guideline_versions"),
    path("ohje/versiot/<int:pk>/", views.guideline_version, name="guideline_version"),
    path("ohje/versiot/<int:pk>/muutokset/", views.guideline_version_changes, name="guideline_version_changes"),
    path("ohje/versiot/<int:pk>/kuittaa/", views.guideline_acknowledge, name="guideline_acknowledge"),
    path("ohje/versiot/<int:pk>/kieliversio/", views.guideline_translation_add, name="guideline_translation_add"),
    path("ohje/kuittaukset/", views.guideline_acknowledgements, name="guideline_acknowledgements"),
    path("ohje/tuo/", views.guideline_import, name="guideline_import"),
    path("ohje/luonnos/", views.guideline_draft_start, name="guideline_draft_start"),
    path("ohje/luonnos/<int:pk>/", views.guideline_draft, name="guideline_draft"),
    path(
        "ohje/luonnos/<int:pk>/osiot/uusi/",
        views.guideline_draft_section_add,
        name="guideline_draft_section_add",
    ),
    path(
        "ohje/luonnos/<int:pk>/osiot/<slug:slug>/",
        views.guideline_draft_section,
        name="guideline_draft_section",
    ),
    path(
        "ohje/luonnos/<int:pk>/osiot/<slug:slug>/poista/",
        views.guideline_draft_section_remove,
        name="guideline_draft_section_remove",
    ),
    path(
        "ohje/luonnos/<int:pk>/osiot/<slug:slug>/siirra/",
        views.guideline_draft_section_move,
        name="guideline_draft_section_move",
    ),
    path("ohje/luonnos/<int:pk>/esikatselu/", views.guideline_draft_preview, name="guideline_draft_preview"),
    path("ohje/luonnos/<int:pk>/muutokset/", views.guideline_draft_changes, name="guideline_draft_changes"),
    path("ohje/luonnos/<int:pk>/julkaise/", views.guideline_draft_publish, name="guideline_draft_publish"),
]
