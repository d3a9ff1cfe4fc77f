from django.urls import include, path

app_name = "approvals"

urlpatterns: list = []
urlpatterns += [path("", include("approvals.proposal_urls"))]
