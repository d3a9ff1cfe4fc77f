"""Acknowledging the guideline: once per person and version in force, asked again after a new version; the report."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from guideline import services
from guideline.models import GuidelineAcknowledgement
from tests.factories import make_person, make_unit, make_user
from tests.guideline_factories import current_version, make_draft, publish_new_version

pytestmark = pytest.mark.django_db


def test_it_asks_staff_to_read_the_version_in_force(org):
    assert services.pending_acknowledgement(org.users["staff"]) == current_version()


def test_it_records_an_acknowledgement_once(org):
    user, version = org.users["staff"], current_version()
    first = services.acknowledge(user, version)
    second = services.acknowledge(user, version)
    assert first.pk == second.pk
    assert GuidelineAcknowledgement.objects.filter(user=user, version=version).count() == 1
    assert services.pending_acknowledgement(user) is None


def test_reading_the_english_aid_acknowledges_the_finnish_original(org):
    english = current_version().translations.get()
    acknowledgement = services.acknowledge(org.users["staff"], english)
    assert acknowledgement.version == current_version()


def test_it_refuses_to_acknowledge_a_draft(org, ict):
    draft = make_draft(ict)
    with pytest.raises(ValidationError):
        services.acknowledge(org.users["staff"], draft)


def test_anonymous_users_cannot_acknowledge():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.acknowledge(AnonymousUser(), current_version())


def test_the_database_holds_one_acknowledgement_per_user_and_version(org):
    GuidelineAcknowledgement.objects.create(user=org.users["staff"], version=current_version())
    with pytest.raises(IntegrityError), transaction.atomic():
        GuidelineAcknowledgement.objects.create(user=org.users["staff"], version=current_version())


def test_an_acknowledgement_of_a_translation_is_refused_by_clean(org):
    english = current_version().translations.get()
    with pytest.raises(ValidationError):
        GuidelineAcknowledgement(user=org.users["staff"], version=english).clean()


def test_a_new_version_asks_everyone_again(org, ict):
    staff = org.users["staff"]
    services.acknowledge(staff, current_version())
    assert services.pending_acknowledgement(staff) is None
    new = publish_new_version(ict)
    assert current_version() == new
    assert services.pending_acknowledgement(staff) == new
    services.acknowledge(staff, new)
    assert services.pending_acknowledgement(staff) is None
    assert GuidelineAcknowledgement.objects.filter(user=staff).count() == 2


def test_home_and_guideline_prompt_until_acknowledged(client_for):
    client = client_for("staff")
    assert "odottaa, että luet" in client.get(reverse("home")).text
    page = client.get(reverse("guideline")).text
    assert "Lue tämä ohjeen versio." in page
    assert "Olen lukenut tämän version" in page
    response = client.post(reverse("guideline_acknowledge", args=[current_version().pk]), follow=True)
    assert "Kiitos" in response.text
    assert "Olen lukenut tämän version" not in response.text
    assert "Kuitattu" in response.text
    assert "odottaa, että luet" not in client.get(reverse("home")).text


def test_home_prompts_again_after_a_new_version(client_for, org, ict):
    client = client_for("staff")
    services.acknowledge(org.users["staff"], current_version())
    assert "odottaa, että luet" not in client.get(reverse("home")).text
    publish_new_version(ict)
    assert "odottaa, että luet" in client.get(reverse("home")).text


def test_anonymous_readers_are_told_to_log_in_to_acknowledge(client):
    page = client.get(reverse("guideline")).text
    assert "Olen lukenut tämän version" not in page
    assert f"{reverse('login')}?next=/ohje/" in page


def test_an_earlier_version_cannot_be_acknowledged_from_its_page(client_for, ict):
    old = current_version()
    publish_new_version(ict)
    page = client_for("staff").get(reverse("guideline_version", args=[old.pk])).text
    assert "ohjeen aiempi versio" in page
    assert "Olen lukenut tämän version" not in page


# --- The acknowledgement report --------------------------------------------------------------------------


def test_the_report_counts_acknowledgements_per_unit(client_for, org):
    services.acknowledge(org.users["staff"], current_version())
    response = client_for("ict_secretary").get(reverse("guideline_acknowledgements"))
    units = {unit["unit__name"]: unit for unit in response.context["units"]}
    library = units["Kirjastopalvelut"]  # staff (acknowledged) and supervisor (not yet)
    assert (library["acknowledged"], library["missing"], library["total"]) == (1, 1, 2)
    assert response.context["totals"] == {"total": 6, "acknowledged": 1, "missing": 5}
    text = response.text
    assert "Teemu Tervo" in text and "Sanna Saarinen" in text
    assert "Ei vielä" in text  # status in words, not colour alone


def test_the_report_counts_only_the_version_in_force(client_for, org, ict):
    services.acknowledge(org.users["staff"], current_version())
    publish_new_version(ict)
    response = client_for("ict_secretary").get(reverse("guideline_acknowledgements"))
    assert response.context["totals"]["acknowledged"] == 0


def test_the_report_leaves_out_people_who_left_or_have_no_login(client_for, org):
    make_person(unit=org.unit)  # no login
    make_person(unit=org.unit, user=make_user(), left_on=datetime.date(2020, 1, 1))
    response = client_for("ict_secretary").get(reverse("guideline_acknowledgements"))
    assert response.context["totals"]["total"] == 6


def test_the_report_filters_people_not_yet_acknowledged(client_for, org):
    services.acknowledge(org.users["staff"], current_version())
    response = client_for("ict_secretary").get(
        reverse("guideline_acknowledgements"), {"show": "missing", "unit": org.unit.pk}
    )
    names = [person.full_name for person in response.context["page"]]
    assert names == ["Sanna Saarinen"]


@pytest.mark.parametrize("extra_people", [3, 30])
def test_the_report_takes_the_same_queries_whatever_the_staff(client_for, org, django_assert_num_queries, extra_people):
    units = [make_unit(f"Yksikkö {n}", parent=org.area) for n in range(3)]
    for n in range(extra_people):
        user = make_user()
        make_person(unit=units[n % 3], user=user)
        if n % 2:
            services.acknowledge(user, current_version())
    client = client_for("ict_secretary")
    client.get(reverse("guideline_acknowledgements"))  # warm the session
    # session, user, groups, own person (navigation), current version, per-unit counts, page count,
    # page rows (no session save: SlidingSessionMiddleware): the same for 3 or 30 people
    with django_assert_num_queries(8):
        client.get(reverse("guideline_acknowledgements"))
