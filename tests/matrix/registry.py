"""Who gets what from the channel registry's pages (issue #3).

The ICT secretary manages; every other staff role reads (the registry is a public document, and staff need it)
but changes nothing; a login without a role gets 403; anonymous users go to log in.
"""

import io

from tests.authorisation_factories import give_publishing_basis
from tests.matrix import LOGIN, STAFF_ROLES, Row, logged_in, only
from tests.registry_helpers import make_channel, make_right, platform

READERS = only(*STAFF_ROLES)
SECRETARY = only("ict_secretary")
# A change that succeeds redirects (302) for the secretary and is refused for everyone else.
SECRETARY_CHANGES = only("ict_secretary", code=302)


def _channel(org):
    return [make_channel(org.unit, name="Matriisikanava").pk]


def _right(org):
    channel = make_channel(org.unit)
    return [make_right(channel, org.people["staff"]).pk]


def _person(org):
    return [org.people["staff"].pk]


def _channel_data(org):
    return {
        "platform": platform("instagram").pk,
        "name": "Uusi kanava",
        "address": "@uusi.matriisi",
        "owner_unit": org.unit.pk,
        "status": "active",
        "two_factor_method": "",
        "crisis_role": "undecided",
    }


def _edit_data(org):
    data = _channel_data(org)
    data.pop("status")
    data["address"] = "@muokattu.matriisi"
    return data


def _csv_file(org):
    content = "Palvelu;Nimi;Osoite;Yksikkö\nInstagram;Tuotu;@tuotu.matriisi;Kirjastopalvelut\n"
    upload = io.BytesIO(content.encode("utf-8"))
    upload.name = "kanavat.csv"
    return {"file": upload}


def _grant_data(org):
    give_publishing_basis(org.people["supervisor"])
    return {"person": org.people["supervisor"].pk, "role": "editor", "weekly_hours": "2"}


ROWS = [
    Row("channels:registry", READERS),
    Row("channels:registry", READERS, query="?q=kanava&status=active&problems=any&sort=-name", note="filtered"),
    Row("channels:export", READERS, query="?format=csv", note="csv"),
    Row("channels:export", READERS, query="?format=xlsx", note="xlsx"),
    Row(
        "channels:export",
        {**READERS, "outsider": 403, **dict.fromkeys(STAFF_ROLES, 404)},
        query="?format=pdf",
        note="unknown format",
    ),
    Row("channels:import_upload", SECRETARY),
    Row("channels:import_upload", SECRETARY, method="POST", data=_csv_file, note="preview changes nothing"),
    Row("channels:import_confirm", logged_in(405), note="GET is refused: confirming is a POST"),
    Row("channels:import_confirm", SECRETARY_CHANGES, method="POST", data=lambda org: {"token": "x"}),
    Row("channels:channel_create", SECRETARY),
    Row("channels:channel_create", SECRETARY_CHANGES, method="POST", data=_channel_data),
    Row("channels:channel_detail", READERS, args=_channel),
    Row("channels:channel_edit", SECRETARY, args=_channel),
    Row("channels:channel_edit", SECRETARY_CHANGES, method="POST", args=_channel, data=_edit_data),
    Row("channels:channel_status", SECRETARY, args=lambda org: [*_channel(org), "pause"]),
    Row(
        "channels:channel_status",
        SECRETARY_CHANGES,
        method="POST",
        args=lambda org: [*_channel(org), "retire"],
        data=lambda org: {"reason": "Ei enää käytössä"},
    ),
    Row(
        "channels:channel_status",
        {**only("ict_secretary", code=404), "anonymous": LOGIN},
        args=lambda org: [*_channel(org), "explode"],
        note="unknown action",
    ),
    Row("channels:right_grant", SECRETARY, args=_channel),
    Row(
        "channels:right_grant",
        SECRETARY_CHANGES,
        method="POST",
        args=_channel,
        data=_grant_data,
        note="the person holds an authorisation and the commitment, so the grant succeeds",
    ),
    Row("channels:right_revoke", SECRETARY, args=_right),
    Row(
        "channels:right_revoke",
        SECRETARY_CHANGES,
        method="POST",
        args=_right,
        data=lambda org: {"reason": "Siirtyi muihin tehtäviin"},
    ),
    Row("channels:person_detail", READERS, args=_person),
]
