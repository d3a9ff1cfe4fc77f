"""URLs of channel proposals, in the "approvals" namespace (included from approvals/urls.py)."""

from django.urls import path

from approvals import proposal_views as views

urlpatterns = [
    path("ehdotukset/", views.proposal_list, name="proposal_list"),
    path("ehdotukset/kaikki/", views.proposal_all, name="proposal_all"),
    path("ehdotukset/uusi/", views.proposal_create, name="proposal_create"),
    path("ehdotukset/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("ehdotukset/<int:pk>/muokkaa/", views.proposal_edit, name="proposal_edit"),
    path("ehdotukset/<int:pk>/laheta/", views.proposal_submit, name="proposal_submit"),
    path("ehdotukset/<int:pk>/peru/", views.proposal_withdraw, name="proposal_withdraw"),
    path("ehdotukset/<int:pk>/hyvaksy/", views.proposal_approve, name="proposal_approve"),
    path("ehdotukset/<int:pk>/palauta/", views.proposal_return, name="proposal_return"),
    path("ehdotukset/<int:pk>/hylkaa/", views.proposal_reject, name="proposal_reject"),
    path("paatettavat/", views.decision_queue, name="decision_queue"),
]
