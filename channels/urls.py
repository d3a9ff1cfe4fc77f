from django.urls import path

from channels import unit_views, views

app_name = "channels"

urlpatterns = [
    path("rekisteri/", views.registry, name="registry"),
    path("rekisteri/vienti/", views.export, name="export"),
    path("rekisteri/tuonti/", views.import_upload, name="import_upload"),
    path("rekisteri/tuonti/vahvista/", views.import_confirm, name="import_confirm"),
    path("rekisteri/yksikot/tuonti/", unit_views.units_import, name="units_import"),
    path("rekisteri/yksikot/tuonti/vahvista/", unit_views.units_import_confirm, name="units_import_confirm"),
    path("rekisteri/kanavat/uusi/", views.channel_create, name="channel_create"),
    path("rekisteri/kanavat/<int:pk>/", views.channel_detail, name="channel_detail"),
    path("rekisteri/kanavat/<int:pk>/muokkaa/", views.channel_edit, name="channel_edit"),
    path("rekisteri/kanavat/<int:pk>/tila/<slug:action>/", views.channel_status, name="channel_status"),
    path("rekisteri/kanavat/<int:pk>/oikeudet/uusi/", views.right_grant, name="right_grant"),
    path("rekisteri/oikeudet/<int:pk>/peru/", views.right_revoke, name="right_revoke"),
    path("rekisteri/henkilot/<int:pk>/", views.person_detail, name="person_detail"),
]
