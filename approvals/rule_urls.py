"""URLs of the policy rules' pages ("approvals" namespace, from approvals/urls.py)."""

from django.urls import path

from approvals import rule_views as views

urlpatterns = [
    path("saannot/", views.rule_list, name="rule_list"),
    path("saannot/uusi/", views.rule_add, name="rule_add"),
    path("saannot/<int:pk>/", views.rule_detail, name="rule_detail"),
    path("saannot/<int:pk>/muokkaa/", views.rule_edit, name="rule_edit"),
    path("saannot/<int:pk>/kaytto/", views.rule_status, name="rule_status"),
]
