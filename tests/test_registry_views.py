"""The registry's pages: search, filters, sorting, forms and their bad input, and constant query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from channels import extensions, services
from channels.models import Channel, ChannelStatus, UpdateRight
from tests.authorisation_factories import give_publishing_basis
from tests.factories import make_person
from tests.registry_helpers import healthy, make_channel, make_right, platform


def names(response):
    return [channel.name for channel in response.context["page"]]


def test_it_lists_every_channel_with_counts(org, client_for):
    make_channel(org.unit, name="Aakkoset")
    healthy(make_channel(org.unit, name="Kunnossa"), org)
    response = client_for("staff").get(reverse("channels:registry"))
    assert names(response) == ["Aakkoset", "Kunnossa"]
    assert response.context["counts"]["total"] == 2
    assert response.context["counts"]["with_problems"] == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=kirjasto", ["Kirjaston Facebook"]),
        ("q=https://m.facebook.com/Kirjasto.Demo/?ref=x", ["Kirjaston Facebook"]),
        ("q=teemu+tervo", ["Kirjaston Facebook"]),
        ("q=Saarinen", ["Kirjaston Facebook"]),
        ("platform=instagram", ["Ympäristön Instagram"]),
        ("status=paused", ["Ympäristön Instagram"]),
        ("problems=any", ["Ympäristön Instagram"]),
        ("problems=none", ["Kirjaston Facebook"]),
        ("problems=no_maintainer", ["Ympäristön Instagram"]),
        ("sort=-name", ["Ympäristön Instagram", "Kirjaston Facebook"]),
        ("sort=platform", ["Kirjaston Facebook", "Ympäristön Instagram"]),
    ],
)
def test_it_searches_filters_and_sorts_by_url(org, client_for, query, expected):
    library = make_channel(org.unit, name="Kirjaston Facebook", address="facebook.com/kirjasto.demo")
    healthy(library, org)  # responsible: Teemu Tervo; rights: Tervo and Saarinen
    instagram = make_channel(org.other_unit, name="Ympäristön Instagram", slug="instagram")
    services.change_status(instagram, ChannelStatus.PAUSED, actor=None, reason="Tauko")
    assert names(client_for("staff").get(reverse("channels:registry") + "?" + query)) == expected


def test_the_unit_filter_includes_the_units_below(org, client_for):
    make_channel(org.unit, name="Kirjasto")
    make_channel(org.other_unit, name="Ympäristö")
    response = client_for("staff").get(reverse("channels:registry"), {"unit": org.area.pk})
    assert names(response) == ["Kirjasto"]


def test_the_responsible_filter(org, client_for):
    make_channel(org.unit, name="Tervon", responsible_person=org.people["staff"])
    make_channel(org.unit, name="Muu")
    response = client_for("staff").get(reverse("channels:registry"), {"responsible": org.people["staff"].pk})
    assert names(response) == ["Tervon"]


def test_it_paginates_and_keeps_the_filters_in_the_page_links(org, client_for):
    for n in range(30):
        make_channel(org.unit, name=f"Kanava {n:02}")
    response = client_for("staff").get(reverse("channels:registry"), {"status": "active", "page": 2})
    assert names(response) == [f"Kanava {n:02}" for n in range(25, 30)]
    assert "status=active&amp;page=1" in response.content.decode()


def test_bad_filter_values_show_the_whole_list(org, client_for):
    make_channel(org.unit)
    response = client_for("staff").get(reverse("channels:registry"), {"platform": "myspace", "sort": "evil"})
    assert response.status_code == 200


def test_readers_see_no_change_buttons(org, client_for):
    channel = make_channel(org.unit)
    page = client_for("staff").get(reverse("channels:channel_detail", args=[channel.pk])).content.decode()
    assert reverse("channels:channel_edit", args=[channel.pk]) not in page
    page = client_for("ict_secretary").get(reverse("channels:channel_detail", args=[channel.pk])).content.decode()
    assert reverse("channels:channel_edit", args=[channel.pk]) in page


# --- Creating and editing ------------------------------------------------------------------------------------


def form_data(org, **extra):
    return {
        "platform": platform("facebook").pk,
        "name": "Kirjaston sivu",
        "address": "https://www.facebook.com/kirjasto.demo",
        "owner_unit": org.unit.pk,
        "status": "active",
        "purposes": ["information", "feedback"],
        "two_factor_method": "app",
        "crisis_role": "undecided",
        **extra,
    }


def test_the_secretary_adds_a_channel(org, client_for):
    response = client_for("ict_secretary").post(reverse("channels:channel_create"), form_data(org))
    channel = Channel.objects.get()
    assert response.url == reverse("channels:channel_detail", args=[channel.pk])
    assert channel.normalised_address == "facebook.com/kirjasto.demo"
    assert channel.purposes == ["information", "feedback"]
    assert channel.status == ChannelStatus.ACTIVE
    assert channel.history.first().history_user == org.users["ict_secretary"]


def test_a_duplicate_address_is_refused_naming_the_existing_channel(org, client_for):
    make_channel(org.unit, name="Suomussalmen kunta", address="facebook.com/suomussalmi")
    response = client_for("ict_secretary").post(
        reverse("channels:channel_create"), form_data(org, address="https://m.facebook.com/Suomussalmi/?ref=x")
    )
    assert response.status_code == 200
    assert "Suomussalmen kunta" in str(response.context["form"].errors["address"])
    assert Channel.objects.count() == 1


@pytest.mark.parametrize(
    ("slug", "address"),
    [("website", "suomussalmi"), ("linkedin", "suomussalmi"), ("facebook", "https://www.youtube.com/@x")],
)
def test_invalid_addresses_are_refused(org, client_for, slug, address):
    response = client_for("ict_secretary").post(
        reverse("channels:channel_create"), form_data(org, platform=platform(slug).pk, address=address)
    )
    assert response.context["form"].errors["address"]
    assert not Channel.objects.exists()


def test_an_active_channel_needs_its_address(org, client_for):
    response = client_for("ict_secretary").post(reverse("channels:channel_create"), form_data(org, address=""))
    assert response.context["form"].errors["address"]


def test_editing_never_changes_the_status(org, client_for):
    channel = make_channel(org.unit, name="Vanha")
    data = form_data(org, name="Uusi", address=channel.address, status="retired")
    client_for("ict_secretary").post(reverse("channels:channel_edit", args=[channel.pk]), data)
    channel.refresh_from_db()
    assert (channel.name, channel.status) == ("Uusi", ChannelStatus.ACTIVE)


def test_the_history_shows_the_changed_fields_with_labels(org, client_for):
    channel = make_channel(org.unit, name="Vanha")
    data = form_data(org, name="Uusi", address=channel.address, responsible_person=org.people["staff"].pk)
    client = client_for("ict_secretary")
    client.post(reverse("channels:channel_edit", args=[channel.pk]), data)
    response = client.get(reverse("channels:channel_detail", args=[channel.pk]))
    latest = response.context["changes"][0]
    changed = {change.label: (change.old, change.new) for change in latest.fields}
    assert changed["Nimi"] == ("Vanha", "Uusi")
    assert changed["Vastuuhenkilö"] == ("–", "Teemu Tervo")
    assert latest.who == org.users["ict_secretary"]


# --- Status, rights --------------------------------------------------------------------------------------------


def test_a_status_change_needs_a_reason(org, client_for):
    channel = make_channel(org.unit)
    url = reverse("channels:channel_status", args=[channel.pk, "pause"])
    response = client_for("ict_secretary").post(url, {"reason": "  "})
    assert response.context["form"].errors["reason"]
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ACTIVE


def test_an_action_that_does_not_fit_the_status_is_refused(org, client_for):
    channel = make_channel(org.unit)
    url = reverse("channels:channel_status", args=[channel.pk, "activate"])
    client = client_for("ict_secretary")
    assert client.get(url).context["allowed"] is False
    response = client.post(url, {"reason": "Yritys"})
    assert response.context["form"].non_field_errors()
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ACTIVE


def test_retire_then_reactivate(org, client_for):
    channel = make_channel(org.unit)
    client = client_for("ict_secretary")
    client.post(reverse("channels:channel_status", args=[channel.pk, "retire"]), {"reason": "Lopetetaan"})
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.RETIRED
    client.post(reverse("channels:channel_status", args=[channel.pk, "reactivate"]), {"reason": "Taas käyttöön"})
    channel.refresh_from_db()
    assert (channel.status, channel.retired_on) == (ChannelStatus.ACTIVE, None)


def test_a_right_for_a_person_who_has_left_is_refused(org, client_for):
    leaver = make_person("Liisa", "Lähtinen", org.unit, left_on=timezone.localdate() - datetime.timedelta(days=3))
    channel = make_channel(org.unit)
    response = client_for("ict_secretary").post(
        reverse("channels:right_grant", args=[channel.pk]), {"person": leaver.pk, "role": "editor", "weekly_hours": "1"}
    )
    # The form does not offer a leaver (grant_right would refuse one too, naming them: test_registry_services).
    assert "person" in response.context["form"].errors
    assert "Liisa Lähtinen" not in response.text
    assert not UpdateRight.objects.exists()


def test_revoking_a_revoked_right_says_so(org, client_for):
    right = make_right(make_channel(org.unit), org.people["staff"], revoked=True)
    client = client_for("ict_secretary")
    confirmation = client.get(reverse("channels:right_revoke", args=[right.pk]))
    assert 'class="alert alert-warning"' in confirmation.content.decode()
    assert 'name="reason"' not in confirmation.content.decode()
    response = client.post(reverse("channels:right_revoke", args=[right.pk]), {"reason": "Uudestaan"})
    assert response.context["form"].non_field_errors()
    right.refresh_from_db()
    assert right.revoke_reason == "Testi"


def test_the_person_page_shows_channels_rights_and_registered_sections(org, client_for):
    person = org.people["staff"]
    responsible = make_channel(org.unit, name="Vastuulla", responsible_person=person)
    make_channel(org.unit, name="Lomalla", holiday_cover_person=person)
    make_right(responsible, person)
    make_right(make_channel(org.unit, name="Entinen"), person, revoked=True)

    def authorisations(request, shown):
        return extensions.Section(title="Valtuutukset", html=f"<p>Valtuutukset: {shown.full_name}</p>")

    extensions.register_person_section(authorisations)
    try:
        response = client_for("staff").get(reverse("channels:person_detail", args=[person.pk]))
    finally:
        extensions.PERSON_SECTIONS.remove(authorisations)
    page = response.content.decode()
    assert [c.name for c in response.context["responsible_for"]] == ["Vastuulla"]
    assert [c.name for c in response.context["holiday_cover_for"]] == ["Lomalla"]
    assert [r.channel.name for r in response.context["current_rights"]] == ["Vastuulla"]
    assert [r.channel.name for r in response.context["revoked_rights"]] == ["Entinen"]
    assert "Valtuutukset: Teemu Tervo" in page


# --- Constant query counts -----------------------------------------------------------------------------------


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _fill_registry(org, n):
    for i in range(n):
        channel = make_channel(org.unit, name=f"Kanava {i}", responsible_person=org.people["staff"])
        make_right(channel, org.people["supervisor"])


@pytest.mark.parametrize("role", ["ict_secretary", "staff"])
def test_the_registry_list_costs_the_same_queries_for_5_and_50_channels(
    org, client_for, django_assert_num_queries, role
):
    client = client_for(role)
    url = reverse("channels:registry") + "?problems=any&sort=responsible"
    _fill_registry(org, 5)
    expected = _count_queries(client, url)
    _fill_registry(org, 45)
    with django_assert_num_queries(expected):  # 50 channels, two pages: the same queries as for 5
        client.get(url)


def _fill_channel(org, channel, n):
    for i in range(n):
        person = make_person(unit=org.unit)
        right = make_right(channel, person)
        if i % 2:
            services.revoke_right(right, actor=org.users["ict_secretary"], reason="Pois")
        channel.name = f"Nimi {i} {person.pk}"
        channel.responsible_person = person
        services.update_channel(channel, actor=org.users["ict_secretary"])


def test_the_channel_page_costs_the_same_queries_for_5_and_50_rights_and_changes(
    org, client_for, django_assert_num_queries
):
    channel = make_channel(org.unit)
    client = client_for("ict_secretary")
    url = reverse("channels:channel_detail", args=[channel.pk])
    _fill_channel(org, channel, 5)
    expected = _count_queries(client, url)
    _fill_channel(org, channel, 45)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["changes"]) > 50


def test_the_person_page_costs_the_same_queries_for_5_and_50_channels(org, client_for, django_assert_num_queries):
    person = org.people["staff"]
    client = client_for("staff")
    url = reverse("channels:person_detail", args=[person.pk])

    def fill(n):
        for _ in range(n):
            channel = make_channel(org.unit, responsible_person=person, holiday_cover_person=person)
            make_right(channel, person, revoked=bool(channel.pk % 2))

    fill(5)
    expected = _count_queries(client, url)
    fill(45)
    with django_assert_num_queries(expected):
        client.get(url)


def test_the_history_tells_grants_and_revocations_of_rights(org, client_for):
    channel = make_channel(org.unit)
    secretary = org.users["ict_secretary"]
    give_publishing_basis(org.people["staff"])
    right = services.grant_right(channel, org.people["staff"], role="editor", weekly_hours="2", actor=secretary)
    services.change_right(right, role="administrator", weekly_hours="3", actor=secretary)
    services.revoke_right(right, actor=secretary, reason="Siirtyi muualle")
    response = client_for("staff").get(reverse("channels:channel_detail", args=[channel.pk]))
    revoked, changed, granted = response.context["changes"][:3]
    assert revoked.kind_label == "Päivitysoikeus peruttu: Teemu Tervo"
    assert revoked.reason == "Siirtyi muualle"
    assert [(f.label, f.old, f.new) for f in changed.fields] == [
        ("Rooli palvelussa", "julkaisija", "ylläpitäjä"),
        ("Työaika (tuntia viikossa)", "2,0", "3,0"),
    ]
    assert granted.kind_label == "Päivitysoikeus myönnetty: Teemu Tervo, julkaisija, 2,0 h viikossa"
    assert granted.who == secretary


def test_a_bad_filter_value_is_left_out_and_the_others_still_apply(org, client_for):
    make_channel(org.unit, name="Aktiivinen")
    make_channel(org.unit, name="Ehdotettu", status=ChannelStatus.PROPOSED)
    response = client_for("staff").get(reverse("channels:registry"), {"status": "proposed", "responsible": 999999})
    assert names(response) == ["Ehdotettu"]
    assert response.context["form"].errors["responsible"]


def test_account_security_is_shown_only_to_the_secretary(org, client_for):
    channel = make_channel(org.unit, credentials_location="Holvi: Some / Kirjasto", two_factor_method="app")
    channel.credentials_location = "Holvi: Some / Kirjasto, uusi"
    services.update_channel(channel, actor=org.users["ict_secretary"])
    url = reverse("channels:channel_detail", args=[channel.pk])
    reader = client_for("staff").get(url)
    assert "Holvi" not in reader.content.decode()
    assert len(reader.context["changes"]) == 1  # the change of the credentials' place is not shown at all
    secretary = client_for("ict_secretary").get(url)
    assert "Holvi: Some / Kirjasto, uusi" in secretary.content.decode()
    assert len(secretary.context["changes"]) == 2


def test_the_channel_page_reads_the_problems_from_its_own_query(org, client_for):
    channel = make_channel(org.unit)
    response = client_for("staff").get(reverse("channels:channel_detail", args=[channel.pk]))
    assert response.context["channel"].has_problems is True
    assert {p.code for p in response.context["problems"]} >= {"no_maintainer"}
