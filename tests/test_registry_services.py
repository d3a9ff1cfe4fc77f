"""The registry's rules: database constraints, status transitions, granting and revoking update rights."""

import datetime
import itertools

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from channels import services
from channels.models import Channel, ChannelStatus, UpdateRight, UpdateRole
from channels.services import TRANSITIONS, RegistryError
from tests.authorisation_factories import give_publishing_basis
from tests.factories import make_person
from tests.registry_helpers import make_channel, make_right, platform

ALL_PAIRS = list(itertools.product(ChannelStatus, ChannelStatus))


# --- Constraints held by the database itself --------------------------------------------------------------


def test_it_refuses_the_same_normalised_address_twice_on_a_platform_in_the_database(org):
    make_channel(org.unit, address="https://www.facebook.com/suomussalmi")
    with pytest.raises(IntegrityError), transaction.atomic():
        Channel.objects.create(
            platform=platform("facebook"),
            name="Kaksoiskappale",
            address="facebook.com/Suomussalmi",
            normalised_address="facebook.com/suomussalmi",
            owner_unit=org.unit,
            status=ChannelStatus.PROPOSED,
        )


def test_it_allows_the_same_address_on_another_platform(org):
    make_channel(org.unit, slug="website", address="https://suomussalmi.invalid/")
    make_channel(org.unit, slug="blog", address="https://suomussalmi.invalid/")
    assert Channel.objects.count() == 2


def test_it_allows_many_channels_without_an_address(org):
    for _ in range(2):
        Channel.objects.create(platform=platform(), name="Ei osoitetta", owner_unit=org.unit)
    assert Channel.objects.filter(normalised_address__isnull=True).count() == 2


def test_it_refuses_an_active_channel_without_an_address_in_the_database(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Channel.objects.create(platform=platform(), name="X", owner_unit=org.unit, status=ChannelStatus.ACTIVE)


def test_it_refuses_a_retired_channel_without_a_date_in_the_database(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Channel.objects.create(platform=platform(), name="X", owner_unit=org.unit, status=ChannelStatus.RETIRED)


def test_it_refuses_two_current_rights_for_one_person_on_one_channel_in_the_database(org):
    channel = make_channel(org.unit)
    make_right(channel, org.people["staff"])
    with pytest.raises(IntegrityError), transaction.atomic():
        UpdateRight.objects.create(channel=channel, person=org.people["staff"], role="editor", weekly_hours=1)


def test_it_allows_a_new_right_after_the_old_one_was_revoked(org):
    channel = make_channel(org.unit)
    make_right(channel, org.people["staff"], revoked=True)
    make_right(channel, org.people["staff"])
    assert channel.rights.count() == 2


@pytest.mark.parametrize("hours", ["-1", "60.5"])
def test_it_refuses_working_time_outside_0_to_60_hours_in_the_database(org, hours):
    channel = make_channel(org.unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        UpdateRight.objects.create(channel=channel, person=org.people["staff"], role="editor", weekly_hours=hours)


def test_it_refuses_a_revoked_right_without_a_reason_in_the_database(org):
    channel = make_channel(org.unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        UpdateRight.objects.create(
            channel=channel, person=org.people["staff"], role="editor", weekly_hours=1, revoked_at=timezone.now()
        )


def test_clean_names_the_existing_channel_for_a_duplicate_address(org):
    make_channel(org.unit, name="Suomussalmen kunta", address="facebook.com/suomussalmi")
    duplicate = Channel(
        platform=platform(), name="Toinen", address="https://m.facebook.com/Suomussalmi/?ref=x", owner_unit=org.unit
    )
    with pytest.raises(services.ValidationError) as exc:
        duplicate.full_clean()
    assert "Suomussalmen kunta" in str(exc.value.message_dict["address"])


# --- Status transitions -------------------------------------------------------------------------------------


def _channel_in(org, status):
    retired = {"retired_on": datetime.date(2025, 1, 1)} if status == ChannelStatus.RETIRED else {}
    return make_channel(org.unit, status=status, **retired)


@pytest.mark.parametrize(
    ("current", "new"), [p for p in ALL_PAIRS if p[1] in TRANSITIONS[p[0]]], ids=lambda s: str(s.value)
)
def test_it_allows_the_transition(org, current, new):
    channel = _channel_in(org, current)
    changed = services.change_status(channel, new, actor=org.users["ict_secretary"], reason="Syy")
    changed.refresh_from_db()
    assert changed.status == new
    record = changed.history.first()
    assert record.history_change_reason == "Syy"
    assert record.history_user == org.users["ict_secretary"]
    if new == ChannelStatus.RETIRED:
        assert changed.retired_on == timezone.localdate()
    if new == ChannelStatus.ACTIVE:
        assert changed.retired_on is None
        assert changed.official_since is not None
        assert changed.next_review_on is not None


@pytest.mark.parametrize(
    ("current", "new"), [p for p in ALL_PAIRS if p[1] not in TRANSITIONS[p[0]]], ids=lambda s: str(s.value)
)
def test_it_refuses_the_transition(org, current, new):
    channel = _channel_in(org, current)
    with pytest.raises(RegistryError) as exc:
        services.change_status(channel, new, actor=org.users["ict_secretary"], reason="Syy")
    assert "cannot become" in str(exc.value.messages) or "ei voi" in str(exc.value.messages)
    channel.refresh_from_db()
    assert channel.status == current


def test_it_refuses_a_status_change_without_a_reason(org):
    channel = make_channel(org.unit)
    with pytest.raises(RegistryError):
        services.change_status(channel, ChannelStatus.PAUSED, actor=None, reason="  ")
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ACTIVE


def test_it_refuses_to_activate_a_channel_without_an_address(org):
    channel = Channel.objects.create(platform=platform(), name="X", owner_unit=org.unit, status=ChannelStatus.APPROVED)
    with pytest.raises(RegistryError):
        services.change_status(channel, ChannelStatus.ACTIVE, actor=None, reason="Käyttöön")


def test_update_keeps_the_status_whatever_the_instance_says(org):
    channel = make_channel(org.unit)
    channel.status = ChannelStatus.RETIRED
    channel.name = "Uusi nimi"
    services.update_channel(channel, actor=org.users["ict_secretary"])
    channel.refresh_from_db()
    assert (channel.name, channel.status) == ("Uusi nimi", ChannelStatus.ACTIVE)


def test_create_schedules_the_first_review_of_an_active_channel(org):
    channel = make_channel(org.unit)
    assert channel.official_since == timezone.localdate()
    assert channel.next_review_on == services.add_months(timezone.localdate(), 12)


# --- Update rights ------------------------------------------------------------------------------------------


def test_it_grants_a_right_and_records_who(org):
    channel = make_channel(org.unit)
    give_publishing_basis(org.people["staff"])
    right = services.grant_right(
        channel, org.people["staff"], role=UpdateRole.EDITOR, weekly_hours="2.5", actor=org.users["ict_secretary"]
    )
    assert right.is_current
    assert right.granted_by == org.users["ict_secretary"]
    assert str(right.weekly_hours) == "2.5"


def test_it_refuses_a_right_for_a_person_who_has_left(org):
    leaver = make_person("Liisa", "Lähtinen", org.unit, left_on=timezone.localdate() - datetime.timedelta(days=1))
    channel = make_channel(org.unit)
    with pytest.raises(RegistryError) as exc:
        services.grant_right(channel, leaver, role="editor", weekly_hours=1, actor=None)
    assert any("Liisa Lähtinen" in message for message in exc.value.messages)
    assert not channel.rights.exists()


def test_it_refuses_a_right_on_a_retired_channel_and_lists_everything_missing(org):
    leaver = make_person(
        "Liisa", "Lähtinen", org.unit, left_on=timezone.localdate(), supervisor=org.people["supervisor"]
    )
    give_publishing_basis(leaver)
    channel = make_channel(org.unit, status=ChannelStatus.RETIRED)
    with pytest.raises(RegistryError) as exc:
        services.grant_right(channel, leaver, role="editor", weekly_hours=1, actor=None)
    assert len(exc.value.messages) == 2


def test_it_refuses_a_right_without_authorisation_or_commitment_naming_both(org):
    """The rule approvals registers (§3, §5) applies to every caller of grant_right."""
    channel = make_channel(org.unit)
    with pytest.raises(RegistryError) as exc:
        services.grant_right(channel, org.people["staff"], role="editor", weekly_hours=1, actor=None)
    first, second = exc.value.messages
    assert "Teemu Tervo" in first and "valtuutus" in first and channel.name in first
    assert "Teemu Tervo" in second and "sitoumus" in second
    assert not channel.rights.exists()


def test_it_refuses_a_second_current_right(org):
    channel = make_channel(org.unit)
    make_right(channel, org.people["staff"])
    with pytest.raises(RegistryError):
        services.grant_right(channel, org.people["staff"], role="editor", weekly_hours=1, actor=None)


@pytest.mark.parametrize("hours", ["-0.5", "61"])
def test_it_refuses_working_time_out_of_range(org, hours):
    with pytest.raises(RegistryError):
        services.grant_right(make_channel(org.unit), org.people["staff"], role="editor", weekly_hours=hours, actor=None)


def test_a_registered_grant_check_is_asked_and_its_message_listed(org):
    def no_authorisation(person, channel, on):
        return [f"{person} has no authorisation."]

    give_publishing_basis(org.people["staff"])
    services.register_grant_check(no_authorisation)
    try:
        with pytest.raises(RegistryError) as exc:
            services.grant_right(make_channel(org.unit), org.people["staff"], role="editor", weekly_hours=1, actor=None)
    finally:
        services.GRANT_CHECKS.remove(no_authorisation)
    assert exc.value.messages == ["Teemu Tervo has no authorisation."]


def test_it_revokes_a_right_and_keeps_it_as_history(org):
    right = make_right(make_channel(org.unit), org.people["staff"])
    services.revoke_right(right, actor=org.users["ict_secretary"], reason="Siirtyi muualle")
    right.refresh_from_db()
    assert not right.is_current
    assert (right.revoked_by, right.revoke_reason) == (org.users["ict_secretary"], "Siirtyi muualle")
    assert UpdateRight.objects.filter(pk=right.pk).exists()


def test_it_refuses_to_revoke_a_revoked_right(org):
    right = make_right(make_channel(org.unit), org.people["staff"], revoked=True)
    before = right.revoked_at
    with pytest.raises(RegistryError) as exc:
        services.revoke_right(right, actor=None, reason="Uudestaan")
    assert "already revoked" in str(exc.value.messages) or "jo" in str(exc.value.messages)
    right.refresh_from_db()
    assert right.revoked_at == before


def test_it_refuses_to_revoke_without_a_reason(org):
    right = make_right(make_channel(org.unit), org.people["staff"])
    with pytest.raises(RegistryError):
        services.revoke_right(right, actor=None, reason="")
    right.refresh_from_db()
    assert right.is_current


def test_it_changes_the_role_and_hours_of_a_current_right(org):
    right = make_right(make_channel(org.unit), org.people["staff"], role="editor")
    services.change_right(right, role=UpdateRole.ADMINISTRATOR, weekly_hours="4.5", actor=org.users["ict_secretary"])
    right.refresh_from_db()
    assert (right.role, str(right.weekly_hours)) == ("administrator", "4.5")


def test_it_refuses_to_change_a_revoked_right(org):
    right = make_right(make_channel(org.unit), org.people["staff"], role="editor", revoked=True)
    with pytest.raises(RegistryError):
        services.change_right(right, role=UpdateRole.ADMINISTRATOR, weekly_hours=1, actor=None)
    right.refresh_from_db()
    assert right.role == "editor"
