"""URLs of the authorisation pages (included from approvals/urls.py, so the names are approvals:...)."""

from django.urls import path

from approvals import authorisation_views as views

urlpatterns = [
    path("tiimini/", views.my_team, name="my_team"),
    path("omat-tietoni/", views.my_page, name="my_page"),
    path("valtuutukset/uusi/<int:person_pk>/", views.authorisation_grant, name="authorisation_grant"),
    path("valtuutukset/<int:pk>/jatka/", views.authorisation_extend, name="authorisation_extend"),
    path("valtuutukset/<int:pk>/peru/", views.authorisation_revoke, name="authorisation_revoke"),
    path("valtuutukset/ongelmat/", views.rights_problems, name="rights_problems"),
    path("valtuutukset/oikeudet/<int:pk>/peru/", views.right_revoke, name="right_revoke"),
    path("valtuutukset/kanavat/<int:channel_pk>/myonna/", views.right_grant, name="right_grant"),
    path("valtuutukset/kuka-saa-toimia/", views.who_may_act, name="who_may_act"),
    path("valtuutukset/kuka-saa-toimia/<str:fmt>/", views.who_may_act_export, name="who_may_act_export"),
]
