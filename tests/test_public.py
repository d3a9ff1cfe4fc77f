"""The public directory and the "is this account official?" page: data, statuses, caching, limits, queries."""

import datetime

import pytest
from django.conf import settings
from django.middleware.csrf import _does_token_match
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from channels import public
from channels.addresses import InvalidAddress
from channels.models import ChannelStatus, Unit, UnitKind
from core.ratelimit import client_address
from tests.factories import make_person, make_unit
from tests.public_data import make_channel

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("public:directory")
VERIFY = reverse("public:verify")


@pytest.fixture
def registry(org):
    """The municipality's Facebook page, the library's Instagram, a paused TikTok, a retired X, a proposal."""
    responsible = make_person("Riikka", "Vastuullinen", org.unit, work_phone="+358 40 123 4567")
    return {
        "facebook": make_channel(
            org.municipality,
            "facebook",
            "https://www.facebook.com/suomussalmi",
            name="Suomussalmen kunta",
            purposes=["information", "feedback"],
            official_since=datetime.date(2016, 2, 1),
            last_reviewed_on=datetime.date(2025, 9, 1),
            responsible_person=responsible,
        ),
        "instagram": make_channel(
            org.unit, "instagram", "@suomussalmi", name="Kirjaston Instagram", goals="Kerromme kirjaston uutuuksista."
        ),
        "paused": make_channel(org.other_unit, "tiktok", "@suomussalmi", name="Ympäristön TikTok", status="paused"),
        "retired": make_channel(
            org.unit,
            "x",
            "https://twitter.com/suomussalmi",
            name="Vanha X-tili",
            status=ChannelStatus.RETIRED,
            retired_on=datetime.date(2023, 8, 31),
        ),
        "proposed": make_channel(org.unit, "youtube", "@suomussalmi", name="Ehdotettu kanava", status="proposed"),
    }


def fi(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    return client


def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- The directory -----------------------------------------------------------------------------------------


def test_it_lists_only_the_active_channels_with_their_public_fields(client, registry):
    response = en(client).get(DIRECTORY)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Suomussalmen kunta" in text and "Kirjaston Instagram" in text
    for name in ("Ympäristön TikTok", "Vanha X-tili", "Ehdotettu kanava"):
        assert name not in text
    assert "https://www.facebook.com/suomussalmi" in text
    assert "Used for sharing information and receiving feedback." in text
    assert "Kerromme kirjaston uutuuksista." in text
    assert "1.2.2016" in text and "1.9.2025" in text


def test_it_shows_no_personal_data(client, registry):
    text = (
        client.get(DIRECTORY).content.decode()
        + client.get(VERIFY, {"address": "facebook.com/suomussalmi"}).content.decode()
    )
    for personal in ("Riikka", "Vastuullinen", "123 4567", '@suomussalmi.invalid"'):
        assert personal not in text


def test_it_filters_by_platform(client, registry):
    text = client.get(DIRECTORY, {"platform": "instagram"}).content.decode()
    assert "Kirjaston Instagram" in text and "Suomussalmen kunta</a>" not in text


def test_a_units_filter_includes_the_units_under_it_but_the_municipality_only_its_own(client, org, registry):
    area_text = client.get(DIRECTORY, {"unit": org.area.pk}).content.decode()
    assert "Kirjaston Instagram" in area_text and "Suomussalmen kunta</a>" not in area_text
    root_text = client.get(DIRECTORY, {"unit": org.municipality.pk}).content.decode()
    assert "Suomussalmen kunta</a>" in root_text and "Kirjaston Instagram" not in root_text


def test_it_offers_only_platforms_and_units_that_have_active_channels(client, org, registry):
    form = client.get(DIRECTORY).context["form"]
    assert [slug for slug, _name in form.fields["platform"].choices] == ["", "facebook", "instagram"]
    unit_ids = {unit_id for unit_id, _name in form.fields["unit"].choices}
    assert unit_ids == {"", org.municipality.pk, org.area.pk, org.unit.pk}


def test_an_unknown_filter_value_is_reported_and_the_whole_list_shown(client, registry):
    response = en(client).get(DIRECTORY, {"platform": "myspace", "unit": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"platform", "unit"}
    assert len(response.context["page_obj"].object_list) == 2


def test_it_paginates_and_keeps_the_filter_in_the_page_links(client, org):
    for n in range(30):
        make_channel(org.unit, name=f"Kanava {n:02}")
    response = client.get(DIRECTORY, {"platform": "instagram", "page": 2})
    assert response.context["page_obj"].number == 2
    assert len(response.context["page_obj"].object_list) == 5
    assert "?platform=instagram&amp;page=1" in response.content.decode()
    assert client.get(DIRECTORY, {"page": "999"}).context["page_obj"].number == 2  # the last page


def test_the_csv_link_carries_a_valid_filter_only(client, registry):
    assert (
        client.get(DIRECTORY, {"platform": "instagram"}).context["csv_url"].endswith("channels.csv?platform=instagram")
    )
    assert client.get(DIRECTORY, {"platform": "nope"}).context["csv_url"].endswith("channels.csv")


# --- The check ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "https://m.facebook.com/Suomussalmi/?fbclid=IwAR0abc",
        "facebook.com/suomussalmi",
        "  https://www.facebook.com/suomussalmi/  ",
        "HTTP://WWW.FACEBOOK.COM/SUOMUSSALMI",
        "www.facebook.com/suomussalmi#about",
        "https://fi-fi.facebook.com/suomussalmi/about",
    ],
)
def test_any_form_of_an_official_address_is_recognised(client, registry, typed):
    response = en(client).get(VERIFY, {"address": typed})
    result = response.context["result"]
    assert result.kind == "official"
    assert result.channel["id"] == registry["facebook"].pk
    assert "Official account" in response.content.decode()


def test_an_official_account_is_announced_with_its_unit_and_date(client, org, registry):
    text = en(client).get(VERIFY, {"address": "instagram.com/suomussalmi/"}).content.decode()
    assert 'role="status"' in text
    assert "Official account" in text and "Kirjastopalvelut" in text and "1.1.2020" in text
    assert "Instagram: official" in text
    assert "If you think an account is fake" not in text


def test_a_paused_channel_is_official_but_said_to_be_paused(client, registry):
    response = en(client).get(VERIFY, {"address": "https://www.tiktok.com/@suomussalmi?lang=fi"})
    assert response.context["result"].kind == "paused"
    assert response.context["result"].verdict == public.Verdict.OFFICIAL
    assert "Official account, paused" in response.content.decode()


def test_a_retired_channel_is_formerly_official_with_its_date(client, registry):
    response = en(client).get(VERIFY, {"address": "https://mobile.twitter.com/suomussalmi?s=20"})
    text = response.content.decode()
    assert response.context["result"].kind == "retired"
    assert "Formerly official account" in text and "31.8.2023" in text and "Do not trust new posts" in text
    assert "If you think an account is fake" in text


def test_an_unknown_address_gets_advice_and_the_contact(client, settings, registry):
    settings.PUBLIC_CONTACT_EMAIL = "kirjaamo@suomussalmi.invalid"
    response = en(client).get(VERIFY, {"address": "https://www.instagram.com/suomussalmi_official/"})
    text = response.content.decode()
    assert response.context["result"].kind == "unknown"
    assert "Not in the registry" in text and "Report" in text
    assert "mailto:kirjaamo@suomussalmi.invalid" in text and "Demo address" in text


def test_a_proposed_channel_is_not_official_yet(client, registry):
    result = client.get(VERIFY, {"address": "youtube.com/@suomussalmi"}).context["result"]
    assert result.kind == "unknown"


def test_a_bare_handle_lists_every_platform_where_it_is_registered(client, registry):
    response = en(client).get(VERIFY, {"address": "@suomussalmi"})
    result = response.context["result"]
    assert result.kind == "several"
    assert result.verdict == public.Verdict.OFFICIAL
    assert result.channel is None
    assert {(m.platform, m.verdict) for m in result.registered} == {
        ("instagram", "official"),
        ("tiktok", "official"),
        ("x", "retired"),
        ("facebook", "official"),
    }
    text = response.content.decode()
    assert (
        "Instagram: official" in text
        and "TikTok: official, paused" in text
        and "X (Twitter): formerly official" in text
    )
    assert "This username is not in the registry on: Threads, YouTube and Bluesky." in text


def test_a_handle_registered_nowhere_says_where_it_was_checked(client, registry):
    text = en(client).get(VERIFY, {"address": "@ei_meidan_tili"}).content.decode()
    assert "Not in the registry" in text and "We checked the username on: Instagram, X, TikTok, Threads" in text


def test_a_website_address_is_checked_as_a_website(client, org):
    make_channel(org.municipality, "website", "https://www.suomussalmi.fi/", name="Kunnan verkkosivut")
    assert client.get(VERIFY, {"address": "suomussalmi.fi/?utm_source=x"}).context["result"].kind == "official"
    assert client.get(VERIFY, {"address": "suomussalmi.fi.example.com"}).context["result"].kind == "unknown"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "required"),
        ("   ", "empty"),
        ("face\x00book.com/suomussalmi", "null_characters_not_allowed"),
        ("face\u200bbook.com/suomussalmi", "control"),
        ("facebook.com/suomussalmi\u200b", "control"),  # at the end as in the middle (issue 16)
        ("\ufeffhttps://www.facebook.com/suomussalmi", "control"),
        ("x" * 1001, "max_length"),
        ("instagram.com/" + "a" * 600, "too_long"),
        ("https://www.facebook.com/suomussalmi/posts/12345", "content"),
        ("javascript:alert(1)", "invalid_url"),
        ("ftp://facebook.com/suomussalmi", "scheme"),
        ("!!!", "no_platform"),
    ],
)
def test_a_bad_address_gets_a_clear_message(client, registry, typed, code):
    response = en(client).get(VERIFY, {"address": typed})
    assert response.status_code == 200
    form = response.context["form"]
    assert [error.code for error in form.errors.as_data()["address"]] == [code]
    assert response.context["result"] is None
    assert "<title>Error:" in response.content.decode()


def test_the_empty_form_shows_no_result(client, registry):
    response = client.get(VERIFY)
    assert not response.context["form"].is_bound and response.context["result"] is None


@hypothesis_settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_any_text_is_either_checked_or_refused_with_a_message(text):
    try:
        found = public.candidates(text)
    except InvalidAddress as exc:
        assert str(exc.message)
    else:
        assert found and all(key for _platform, key in found)


# --- Caching and validators ----------------------------------------------------------------------------------


def test_an_unchanged_page_gets_304_and_a_change_shows_at_once(client, registry):
    client.get(DIRECTORY)  # the first visit sets the CSRF cookie, which is part of the page's ETag
    first = client.get(DIRECTORY)
    etag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    assert "Cookie" in first["Vary"] and "Accept-Language" in first["Vary"]
    again = client.get(DIRECTORY, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    channel = registry["instagram"]
    channel.name = "Kirjaston uusi nimi"
    channel.save(update_fields=["name"])
    changed = client.get(DIRECTORY, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Kirjaston uusi nimi" in changed.content.decode()


def test_the_check_sees_a_retirement_at_once(client, registry):
    assert client.get(VERIFY, {"address": "instagram.com/suomussalmi"}).context["result"].kind == "official"
    channel = registry["instagram"]
    channel.status, channel.retired_on = ChannelStatus.RETIRED, datetime.date(2026, 1, 2)
    channel.save(update_fields=["status", "retired_on"])
    assert client.get(VERIFY, {"address": "instagram.com/suomussalmi"}).context["result"].kind == "retired"


def test_renaming_a_unit_or_platform_changes_the_version(registry, org):
    version = public.registry_version()
    org.unit.name = "Kirjasto- ja kulttuuripalvelut"
    org.unit.save()
    assert public.registry_version() != version
    version = public.registry_version()
    registry["facebook"].platform.name = "Meta Facebook"
    registry["facebook"].platform.save()
    assert public.registry_version() != version


def test_the_cached_data_is_per_language_and_the_page_per_visitor(registry):
    finnish, english = fi(Client()), en(Client())
    fi_page, en_page = finnish.get(DIRECTORY), english.get(DIRECTORY)
    assert fi_page["Content-Language"] == "fi" and en_page["Content-Language"] == "en"
    assert fi_page["ETag"] != en_page["ETag"]
    assert "Official channels" in en_page.content.decode()
    # Each visitor's page carries a CSRF token for their own cookie, never the other's.
    for client, page in ((finnish, fi_page), (english, en_page)):
        token = page.context["csrf_token"]
        assert _does_token_match(str(token), client.cookies[settings.CSRF_COOKIE_NAME].value)
    other_secret = english.cookies[settings.CSRF_COOKIE_NAME].value
    assert not _does_token_match(str(fi_page.context["csrf_token"]), other_secret)


def test_a_new_csrf_cookie_means_a_new_etag_so_no_stale_token_is_kept(client, registry):
    first = client.get(DIRECTORY)  # sets the cookie
    with_cookie = client.get(DIRECTORY)
    assert with_cookie["ETag"] != first["ETag"]
    assert client.get(DIRECTORY, HTTP_IF_NONE_MATCH=with_cookie["ETag"]).status_code == 304
    client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    assert client.get(DIRECTORY, HTTP_IF_NONE_MATCH=with_cookie["ETag"]).status_code == 200


def test_signed_in_users_get_no_304_because_their_menu_differs(client_for, registry):
    client = client_for("staff")
    response = client.get(DIRECTORY)
    assert "ETag" not in response and response["Cache-Control"] == "private, no-cache"
    assert client.get(DIRECTORY, HTTP_IF_NONE_MATCH="*").status_code == 200


# --- Queries -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 50])
def test_the_directory_costs_a_constant_number_of_queries(client, org, size, django_assert_num_queries):
    for _n in range(size):
        make_channel(org.unit)
    # Cold: the registry version, then units, platforms and channels for the snapshot.
    with django_assert_num_queries(4):
        assert client.get(DIRECTORY).status_code == 200
    # Warm: only the registry version; the page is rendered from the cached snapshot.
    with django_assert_num_queries(1):
        assert client.get(DIRECTORY, {"page": 2}).status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_the_check_costs_a_constant_number_of_queries(client, org, size, django_assert_num_queries):
    for _n in range(size):
        make_channel(org.unit)
    with django_assert_num_queries(4):
        client.get(VERIFY, {"address": "@kanava_x"})
    with django_assert_num_queries(1):
        client.get(VERIFY, {"address": "@kanava_y"})


# --- Limits --------------------------------------------------------------------------------------------------


def test_too_many_checks_get_429_with_retry_after(client, settings, registry):
    settings.PUBLIC_RATE_LIMIT, settings.PUBLIC_RATE_LIMIT_WINDOW = 3, 60
    for _n in range(3):
        assert client.get(VERIFY, {"address": "@suomussalmi"}).status_code == 200
    response = en(client).get(VERIFY, {"address": "@suomussalmi"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Cache-Control"] == "no-store"
    assert "Too many requests from your address" in response.content.decode()
    assert client.get(VERIFY).status_code == 200, "the empty form is not a check and is not limited"
    assert client.get(DIRECTORY).status_code == 200, "the directory is cached and not limited"
    assert client.get(VERIFY, {"address": "@suomussalmi"}, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_limit_of_zero_turns_the_limit_off(client, settings, registry):
    settings.PUBLIC_RATE_LIMIT = 0
    for _n in range(5):
        assert client.get(VERIFY, {"address": "@suomussalmi"}).status_code == 200


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "198.51.100.9", "192.0.2.1"),  # no proxy: the header is the client's own claim
        (1, "127.0.0.1", "10.9.9.9, 198.51.100.9", "198.51.100.9"),  # the proxy appended the real address
        (2, "127.0.0.1", "203.0.113.5, 198.51.100.9", "203.0.113.5"),
        (1, "127.0.0.1", "", "127.0.0.1"),
        (0, "2001:db8:1:2:3:4:5:6", "", "2001:db8:1:2::/64"),  # one household gets a /64
        (0, "::ffff:192.0.2.1", "", "192.0.2.1"),
    ],
)
def test_the_client_address_honours_only_the_configured_proxies(rf, settings, proxies, remote, forwarded, expected):
    settings.PUBLIC_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


# --- Links ---------------------------------------------------------------------------------------------------


def test_the_home_page_links_residents_to_the_check_and_the_directory(client, db):
    text = client.get(reverse("home")).content.decode()
    assert text.count(f'href="{VERIFY}"') >= 2 and text.count(f'href="{DIRECTORY}"') >= 2


def test_everyone_sees_the_public_links_in_the_navigation(client_for):
    text = client_for("staff").get(reverse("home")).content.decode()
    assert f'href="{VERIFY}"' in text and f'href="{DIRECTORY}"' in text


def test_a_unit_tree_with_a_loop_does_not_hang_the_snapshot(org):
    # The model refuses loops, but the snapshot must not trust it blindly.
    unit = make_unit("Silmukka", UnitKind.SERVICE_UNIT, parent=org.area)
    make_channel(unit)
    Unit.objects.filter(pk=org.area.pk).update(parent=unit)
    assert public.snapshot().active
