"""The open data API: real answers validated against the OpenAPI description, errors, CSV, limits, caching."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from channels.models import ChannelStatus
from channels.openapi import SCHEMA, schema_for
from tests.public_data import make_channel, platform

pytestmark = pytest.mark.django_db

LIST = reverse("public:api_channels")
CSV = reverse("public:api_channels_csv")
VERIFY = reverse("public:api_verify")
SPEC = OpenAPI.from_dict(SCHEMA)  # also validates the description itself


def assert_matches_schema(response):
    """The response is one the OpenAPI description allows for its request (status, headers, body)."""
    SPEC.validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))
    return response


def get(client, url, data=None, language="en", **headers):
    return assert_matches_schema(client.get(url, data, HTTP_ACCEPT_LANGUAGE=language, **headers))


@pytest.fixture
def registry(org):
    return {
        "facebook": make_channel(
            org.municipality,
            "facebook",
            "https://www.facebook.com/suomussalmi",
            name="Suomussalmen kunta",
            purposes=["information", "feedback"],
            last_reviewed_on=datetime.date(2025, 9, 1),
        ),
        "instagram": make_channel(org.unit, "instagram", "@suomussalmi", name="Kirjaston Instagram"),
        "paused": make_channel(org.other_unit, "tiktok", "@suomussalmi", name="Ympäristön TikTok", status="paused"),
        "retired": make_channel(org.unit, "x", "twitter.com/suomussalmi", name="Vanha X-tili", status="retired"),
    }


# --- The list ------------------------------------------------------------------------------------------------


def test_the_list_has_the_active_channels_with_their_public_fields(client, org, registry):
    body = get(client, LIST).json()
    assert body["count"] == 2 and body["page"] == 1 and body["pages"] == 1
    assert body["next"] is None and body["previous"] is None
    facebook = next(item for item in body["results"] if item["platform"]["slug"] == "facebook")
    assert facebook == {
        "id": registry["facebook"].pk,
        "name": "Suomussalmen kunta",
        "status": "active",
        "platform": {"slug": "facebook", "name": "Facebook"},
        "url": "https://www.facebook.com/suomussalmi",
        "address": "facebook.com/suomussalmi",
        "unit": {"id": org.municipality.pk, "name": "Testikunta"},
        "purposes": [
            {"code": "information", "label": "sharing information"},
            {"code": "feedback", "label": "receiving feedback"},
        ],
        "goals": "",
        "summary": "Used for sharing information and receiving feedback.",
        "official_since": "2020-01-01",
        "retired_on": None,
        "last_reviewed_on": "2025-09-01",
    }


def test_the_labels_follow_the_requests_language(client, registry):
    body = get(client, LIST, {"platform": "facebook"}, language="fi").json()
    assert body["results"][0]["purposes"][0]["label"] != "sharing information"


def test_the_list_pages_with_links_and_a_capped_page_size(client, org):
    for n in range(130):
        make_channel(org.unit, name=f"Kanava {n:03}")
    body = get(client, LIST, {"page_size": 1000}).json()
    assert body["page_size"] == 100 and body["pages"] == 2 and len(body["results"]) == 100
    assert body["next"] == "http://testserver/api/v1/channels/?page=2&page_size=100"
    second = get(client, LIST, {"page": 2, "page_size": 100}).json()
    assert len(second["results"]) == 30 and second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/channels/?page=1&page_size=100"
    names = [item["name"] for item in body["results"] + second["results"]]
    assert names == sorted(names)


def test_the_list_filters_by_platform_and_unit_and_keeps_the_filter_in_links(client, org, registry):
    for _n in range(3):
        make_channel(org.unit)
    body = get(client, LIST, {"platform": "instagram", "unit": org.area.pk, "page_size": 2}).json()
    assert body["count"] == 4 and {item["platform"]["slug"] for item in body["results"]} == {"instagram"}
    assert f"unit={org.area.pk}" in body["next"] and "platform=instagram" in body["next"]
    platform("linkedin")
    assert get(client, LIST, {"platform": "linkedin"}).json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"page": "0"}, 400, "invalid_parameter"),
        ({"page": "abc"}, 400, "invalid_parameter"),
        ({"page_size": "-5"}, 400, "invalid_parameter"),
        ({"unit": "1.5"}, 400, "invalid_parameter"),
        ({"unit": "999999"}, 400, "invalid_parameter"),
        ({"platform": "myspace"}, 400, "invalid_parameter"),
        ({"page": "3"}, 404, "page_not_found"),
    ],
)
def test_bad_list_parameters_get_a_json_error(client, registry, query, status, code):
    response = get(client, LIST, query)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_error_messages_are_in_the_requests_language(client, registry):
    english = get(client, LIST, {"page": "0"}, language="en").json()["error"]["message"]
    finnish = get(client, LIST, {"page": "0"}, language="fi").json()["error"]["message"]
    assert "page" in english and english != finnish


# --- The CSV file ----------------------------------------------------------------------------------------------


def test_the_csv_opens_in_finnish_excel(client, org, registry):
    make_channel(org.unit, name='=HYPERLINK("http://evil.example")', address="@kaava")
    response = get(client, CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="suomussalmi-somekanavat.csv"'
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["id", "name", "platform", "platform_name"]
    assert len(rows) == 4
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["Suomussalmen kunta"][8] == "information,feedback"
    assert '\'=HYPERLINK("http://evil.example")' in by_name, "formulas are defused"
    assert b"\r\n" in raw


def test_the_csv_takes_the_same_filters(client, registry):
    rows = get(client, CSV, {"platform": "instagram"}).content.decode("utf-8-sig").splitlines()
    assert len(rows) == 2 and "Kirjaston Instagram" in rows[1]
    assert get(client, CSV, {"platform": "nope"}).status_code == 400


# --- The check -------------------------------------------------------------------------------------------------


def test_an_official_address(client, registry):
    body = get(client, VERIFY, {"address": "https://m.facebook.com/Suomussalmi/?fbclid=abc"}).json()
    assert body["status"] == "official"
    assert body["channel"]["id"] == registry["facebook"].pk and body["channel"]["status"] == "active"
    assert body["matches"] == [
        {"platform": "facebook", "key": "facebook.com/suomussalmi", "status": "official", "channel": body["channel"]}
    ]


def test_a_paused_channel_is_official_with_its_own_status_paused(client, registry):
    body = get(client, VERIFY, {"address": "tiktok.com/@suomussalmi"}).json()
    assert body["status"] == "official" and body["channel"]["status"] == "paused"


def test_a_retired_address(client, registry):
    body = get(client, VERIFY, {"address": "https://twitter.com/suomussalmi"}).json()
    assert body["status"] == "retired" and body["channel"]["retired_on"] == "2024-05-31"


def test_an_unknown_address(client, registry):
    body = get(client, VERIFY, {"address": "instagram.com/suomussalmi.official"}).json()
    assert body == {
        "address": "instagram.com/suomussalmi.official",
        "status": "unknown",
        "channel": None,
        "matches": [
            {"platform": "instagram", "key": "instagram.com/suomussalmi.official", "status": "unknown", "channel": None}
        ],
    }


def test_a_handle_on_several_platforms_lists_each(client, registry):
    body = get(client, VERIFY, {"address": " @Suomussalmi "}).json()
    assert body["status"] == "official" and body["channel"] is None
    statuses = {match["platform"]: match["status"] for match in body["matches"]}
    assert statuses == {
        "instagram": "official",
        "x": "retired",
        "tiktok": "official",
        "threads": "unknown",
        "youtube": "unknown",
        "bluesky": "unknown",
        "facebook": "official",
    }


def test_a_handle_registered_once_gives_that_channel(client, org):
    channel = make_channel(org.unit, "youtube", "@suomussalmen-kirjasto", name="Kirjaston YouTube")
    body = get(client, VERIFY, {"address": "@suomussalmen-kirjasto"}).json()
    assert body["status"] == "official" and body["channel"]["id"] == channel.pk


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({}, "missing_parameter"),
        ({"address": ""}, "empty"),
        ({"address": "   "}, "empty"),
        ({"address": "a" * 5000}, "too_long"),
        ({"address": "instagram.com/" + "a" * 600}, "too_long"),
        ({"address": "suomus\x00salmi"}, "control"),
        ({"address": "!!!"}, "no_platform"),
        ({"address": "https://www.facebook.com/suomussalmi/posts/1"}, "content"),
        ({"address": "https://suomussalmi.fi:8443/"}, "port"),
    ],
)
def test_a_missing_or_absurd_address_gets_400(client, registry, query, code):
    response = get(client, VERIFY, query)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_the_check_error_is_in_finnish_for_a_finnish_request(client, registry):
    body = get(client, VERIFY, {"address": ""}, language="fi").json()
    assert body["error"]["message"] == "Anna osoite."


# --- Validators, limits, headers --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, CSV, VERIFY])
def test_an_unchanged_answer_is_304_and_a_change_shows_at_once(client, registry, url):
    query = {"address": "@suomussalmi"} if url == VERIFY else {}
    first = get(client, url, query)
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, no-cache"
    assert get(client, url, query, HTTP_IF_NONE_MATCH=etag).status_code == 304
    channel = registry["instagram"]
    channel.name = "Kirjaston uusi Instagram"
    channel.save(update_fields=["name"])
    changed = get(client, url, query, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Kirjaston uusi Instagram" in changed.content.decode()


def test_the_etag_differs_by_language(client, registry):
    assert get(client, LIST, language="fi")["ETag"] != get(client, LIST, language="en")["ETag"]


def test_too_many_requests_get_429_with_retry_after(client, settings, registry):
    settings.PUBLIC_RATE_LIMIT, settings.PUBLIC_RATE_LIMIT_WINDOW = 4, 60
    for url in (LIST, CSV, LIST, VERIFY):
        assert client.get(url, {"address": "@suomussalmi"}).status_code == 200
    response = get(client, VERIFY, {"address": "@suomussalmi"})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert get(client, LIST).status_code == 429, "one limit for the whole API"
    assert client.get(LIST, REMOTE_ADDR="198.51.100.20").status_code == 200, "other clients are not affected"


def test_a_conditional_request_counts_against_the_limit_too(client, settings, registry):
    settings.PUBLIC_RATE_LIMIT = 2
    etag = client.get(LIST)["ETag"]
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 429


def test_the_api_is_open_to_other_sites_without_cookies(client, registry):
    response = client.get(LIST)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies


def test_signed_in_users_get_the_same_answer(client_for, registry):
    anonymous = client_for("anonymous").get(LIST).json()
    assert client_for("ict_secretary").get(LIST).json() == anonymous


@pytest.mark.parametrize("size", [5, 50])
def test_the_list_costs_a_constant_number_of_queries(client, org, size, django_assert_num_queries):
    for _n in range(size):
        make_channel(org.unit)
    with django_assert_num_queries(4):
        assert client.get(LIST, {"page_size": 100}).json()["count"] == size
    with django_assert_num_queries(1):
        client.get(CSV)


def test_the_schema_is_served_as_json(client, db):
    response = client.get(reverse("public:api_schema"))
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == schema_for("Suomussalmi municipality")


def test_the_documentation_page_explains_the_api(client, db):
    text = client.get(reverse("public:api_docs"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "/api/v1/channels/" in text and "/api/v1/verify/" in text and "/api/v1/schema/" in text
    assert "429" in text and "If-None-Match" in text


def test_only_reading_is_allowed(client, db):
    assert client.post(LIST).status_code == 405
    assert client.post(VERIFY, {"address": "@x"}).status_code == 405


def test_a_head_request_works(client, registry):
    assert client.head(LIST).status_code == 200


def test_retired_dates_are_published_for_retired_channels_only(client, registry):
    body = get(client, VERIFY, {"address": "twitter.com/suomussalmi"}).json()
    assert body["channel"]["status"] == ChannelStatus.RETIRED
    assert get(client, LIST).json()["results"][0]["retired_on"] is None
