"""URLs of periodic reviews and the compliance dashboard ("approvals" namespace, from approvals/urls.py)."""

from django.urls import path

from approvals import dashboard_views
from approvals import review_views as views

urlpatterns = [
    path("katselmoinnit/", views.review_list, name="review_list"),
    path("katselmoinnit/kanava/<int:pk>/", views.review_channel, name="review_channel"),
    path("katselmoinnit/kanava/<int:pk>/aloita/", views.review_start, name="review_start"),
    path("katselmoinnit/<int:pk>/", views.review_detail, name="review_detail"),
    path("kojelauta/", dashboard_views.dashboard, name="dashboard"),
    path("kojelauta/vienti.csv", dashboard_views.dashboard_csv, name="dashboard_csv"),
    path("kojelauta/vienti.xlsx", dashboard_views.dashboard_xlsx, name="dashboard_xlsx"),
]
