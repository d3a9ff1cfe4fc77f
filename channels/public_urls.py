"""Public addresses, no login: the directory, the account check, and the open data API with its documentation.

The page addresses are Finnish (kanavat = channels, tarkista = check), as residents see them; the API's are
English, as programmers expect. /api/v1/ stays stable: an incompatible change gets /api/v2/.
"""

from django.urls import path

from channels import api, public_views

app_name = "public"

urlpatterns = [
    path("kanavat/", public_views.directory, name="directory"),
    path("tarkista/", public_views.verify, name="verify"),
    path("api/", public_views.api_docs, name="api_docs"),
    path("api/v1/channels/", api.channel_list, name="api_channels"),
    path("api/v1/channels.csv", api.channel_csv, name="api_channels_csv"),
    path("api/v1/verify/", api.verify, name="api_verify"),
    path("api/v1/schema/", api.schema, name="api_schema"),
]
