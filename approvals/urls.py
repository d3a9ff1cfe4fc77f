from django.urls import include, path

app_name = "approvals"

urlpatterns: list = [
    path("", include("approvals.authorisation_urls")),
    path("", include("approvals.proposal_urls")),
    path("", include("approvals.review_urls")),
    path("", include("approvals.rule_urls")),
]
