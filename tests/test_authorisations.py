"""Supervisor authorisations: the model's rules, the services, and the rule that ties update rights to them.

The rule is tested through ``channels.services.grant_right``: every caller (views, admin, imports,
decisions on other branches) goes through it, so these tests cover them all.
"""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation

from approvals import authorisation_services as services
from approvals.models import Authorisation, AuthorisationScope, AuthorisationState
from channels.models import ChannelStatus, UpdateRight
from channels.services import GRANT_CHECKS, RegistryError, grant_right
from core.roles import Role
from tests.authorisation_factories import authorise, make_channel, make_right
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _finnish():
    with translation.override("fi"):
        yield


# --- The model -------------------------------------------------------------------------------------


def test_it_registers_the_rule_with_channels():
    assert services.authorisation_grant_check in GRANT_CHECKS


def test_it_refuses_an_end_before_the_start_in_the_database(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        authorise(org.person("staff"), valid_from=datetime.date(2026, 5, 2), valid_until=datetime.date(2026, 5, 1))


def test_it_refuses_an_end_before_the_start_in_clean(org):
    authorisation = Authorisation(
        person=org.person("staff"),
        granted_by=org.person("supervisor"),
        valid_from=datetime.date(2026, 5, 2),
        valid_until=datetime.date(2026, 5, 1),
    )
    with pytest.raises(ValidationError) as error:
        authorisation.full_clean()
    assert "valid_until" in error.value.error_dict


def test_it_refuses_a_revocation_without_reason_in_the_database(org):
    authorisation = authorise(org.person("staff"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Authorisation.objects.filter(pk=authorisation.pk).update(revoked_at=timezone.now())


def test_it_refuses_self_authorisation_in_the_database(org):
    staff = org.person("staff")
    with pytest.raises(IntegrityError), transaction.atomic():
        authorise(staff, granted_by=staff)


def test_clean_refuses_a_supervisor_outside_the_line(org):
    authorisation = Authorisation(
        person=org.person("staff"), granted_by=org.person("outsider"), valid_from=timezone.localdate()
    )
    with pytest.raises(ValidationError, match="esihenkilölinjassa"):
        authorisation.full_clean()


def test_clean_accepts_someone_higher_in_the_line(org):
    Authorisation(
        person=org.person("staff"), granted_by=org.person("municipal_manager"), valid_from=timezone.localdate()
    ).full_clean()


@pytest.mark.parametrize(
    ("offset", "valid"),
    [(-1, False), (0, True), (5, True), (10, True), (11, False)],
    ids=["day-before-start", "first-day", "middle", "last-day", "day-after-end"],
)
def test_validity_includes_both_ends(org, offset, valid):
    start = datetime.date(2026, 3, 1)
    authorisation = authorise(org.person("staff"), valid_from=start, valid_until=start + 10 * DAY)
    on = start + offset * DAY
    assert (authorisation in Authorisation.objects.valid(on)) is valid
    assert authorisation.is_valid(on) is valid


def test_an_open_ended_authorisation_stays_valid(org):
    authorisation = authorise(org.person("staff"), valid_from=datetime.date(2020, 1, 1))
    assert authorisation in Authorisation.objects.valid(datetime.date(2040, 1, 1))


def test_an_authorisation_ending_today_is_valid_today_and_not_tomorrow(org):
    today = timezone.localdate()
    authorisation = authorise(org.person("staff"), valid_until=today)
    assert list(Authorisation.objects.valid()) == [authorisation]
    assert not Authorisation.objects.valid(today + DAY).exists()
    assert authorisation.state(today + DAY) == AuthorisationState.EXPIRED


@pytest.mark.parametrize(
    ("last_day", "utc_now", "helsinki_day"),
    [
        # 22.30 UTC on 31 January is 00.30 on 1 February in Helsinki (winter time, UTC+2).
        (datetime.date(2026, 1, 31), datetime.datetime(2026, 1, 31, 22, 30, tzinfo=datetime.UTC), (2026, 2, 1)),
        # 22.30 UTC on 31 March is 01.30 on 1 April in Helsinki (summer time, UTC+3).
        (datetime.date(2026, 3, 31), datetime.datetime(2026, 3, 31, 22, 30, tzinfo=datetime.UTC), (2026, 4, 1)),
    ],
    ids=["winter", "summer"],
)
def test_today_is_helsinki_today_not_utc_today(org, settings, last_day, utc_now, helsinki_day):
    """Just after midnight in Helsinki the authorisation that ended yesterday is no longer valid, although
    in UTC it is still its last day; and the grant check refuses the right."""
    assert settings.TIME_ZONE == "Europe/Helsinki"
    staff = org.person("staff")
    staff.commitment_signed_on = datetime.date(2025, 1, 1)
    staff.save(update_fields=["commitment_signed_on"])
    channel = make_channel("Suomussalmen kunta", unit=org.municipality)
    authorisation = authorise(staff, valid_from=datetime.date(2026, 1, 1), valid_until=last_day)
    with mock.patch("django.utils.timezone.now", return_value=utc_now):
        assert timezone.localdate() == datetime.date(*helsinki_day)
        assert not Authorisation.objects.valid().exists()
        assert authorisation.state() == AuthorisationState.EXPIRED
        with pytest.raises(RegistryError):
            grant_right(channel, staff, role="editor", weekly_hours=1, actor=org.users["ict_secretary"])
    # Three hours earlier it is still the last day in Helsinki: valid, and the right is granted.
    with mock.patch("django.utils.timezone.now", return_value=utc_now - datetime.timedelta(hours=3)):
        assert timezone.localdate() == last_day
        assert list(Authorisation.objects.valid()) == [authorisation]
        assert grant_right(channel, staff, role="editor", weekly_hours=1, actor=org.users["ict_secretary"])


def test_a_revocation_counts_from_its_helsinki_day(org):
    """Revoked at 00.30 Helsinki time on 2 April (21.30 UTC on 1 April): valid on 1 April, not on 2 April."""
    authorisation = authorise(org.person("staff"), valid_from=datetime.date(2026, 3, 1))
    Authorisation.objects.filter(pk=authorisation.pk).update(
        revoked_at=datetime.datetime(2026, 4, 1, 21, 30, tzinfo=datetime.UTC), revoke_reason="Tehtävä päättyi"
    )
    authorisation.refresh_from_db()
    assert authorisation in Authorisation.objects.valid(datetime.date(2026, 4, 1))
    assert authorisation not in Authorisation.objects.valid(datetime.date(2026, 4, 2))
    assert authorisation.state(datetime.date(2026, 4, 1)) == AuthorisationState.VALID
    assert authorisation.state(datetime.date(2026, 4, 2)) == AuthorisationState.REVOKED


def test_covering_knows_the_scope(org, facebook):
    other = make_channel("Kirjasto", unit=org.unit)
    named = authorise(org.person("staff"), channels=[other])
    everything = authorise(org.person("supervisor"))
    assert set(Authorisation.objects.covering(other)) == {named, everything}
    assert set(Authorisation.objects.covering(facebook)) == {everything}
    assert named.covers(other) and not named.covers(facebook)
    assert everything.covers(facebook)


def test_covering_is_one_query_for_a_list_of_rights(org, facebook, django_assert_num_queries):
    other = make_channel("Kirjasto", unit=org.unit)
    authorise(org.person("staff"), channels=[other])
    authorise(org.person("supervisor"))
    rights = [
        make_right(org.person("staff"), other),  # named in the staff member's authorisation
        make_right(org.person("staff"), facebook),  # not named
        make_right(org.person("supervisor"), facebook),  # every channel
        make_right(org.person("outsider"), other),  # no authorisation
    ]
    covering = Authorisation.objects.covering(OuterRef("channel")).filter(person=OuterRef("person"))
    with django_assert_num_queries(1):  # the subquery form, so the rights pages stay at a constant count
        covered = dict(UpdateRight.objects.annotate(covered=Exists(covering)).values_list("pk", "covered"))
    assert covered == {rights[0].pk: True, rights[1].pk: False, rights[2].pk: True, rights[3].pk: False}


def test_the_history_is_kept(org):
    authorisation = services.grant_authorisation(
        org.person("staff"), actor=org.users["supervisor"], valid_until=timezone.localdate() + 30 * DAY
    )
    services.extend_authorisation(
        authorisation, actor=org.users["supervisor"], valid_until=None, reason="Vakituinen tehtävä"
    )
    services.revoke_authorisation(authorisation, actor=org.users["area_head"], reason="Siirtyi muihin tehtäviin")
    history = list(authorisation.history.order_by("history_date", "history_id"))
    assert [h.history_type for h in history][:1] == ["+"]
    assert history[-1].revoke_reason == "Siirtyi muihin tehtäviin"
    assert history[-1].history_user == org.users["area_head"]
    assert any(h.history_change_reason == "Vakituinen tehtävä" for h in history)
    assert Authorisation.objects.filter(pk=authorisation.pk).exists()


# --- Granting: who may authorise whom --------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "person", "allowed"),
    [
        ("supervisor", "staff", True),  # direct supervisor
        ("area_head", "staff", True),  # above in the line
        ("municipal_manager", "staff", True),  # the top of the line
        ("area_head", "supervisor", True),
        ("supervisor", "supervisor", False),  # themselves
        ("supervisor", "area_head", False),  # their own boss
        ("supervisor", "outsider", False),  # outside the line
        ("staff", "supervisor", False),  # no supervising role
        ("outsider", "staff", False),
        ("ict_secretary", "staff", False),  # only with a written decision (below)
    ],
)
def test_who_may_authorise_whom(org, actor, person, allowed):
    def grant():
        return services.grant_authorisation(org.person(person), actor=org.users[actor])

    if allowed:
        authorisation = grant()
        assert authorisation.granted_by == org.person(actor)
        assert authorisation.recorded_by == org.users[actor]
        assert authorisation.valid_from == timezone.localdate()
    else:
        with pytest.raises((PermissionDenied, ValidationError)):
            grant()
        assert not Authorisation.objects.exists()


def test_a_supervisor_cannot_give_an_authorisation_in_someone_elses_name(org):
    with pytest.raises(PermissionDenied):
        services.grant_authorisation(
            org.person("staff"), actor=org.users["area_head"], granted_by=org.person("supervisor")
        )


def test_the_ict_secretary_records_a_supervisors_written_decision(org):
    authorisation = services.grant_authorisation(
        org.person("staff"),
        actor=org.users["ict_secretary"],
        granted_by=org.person("supervisor"),
        decision_reference="Sähköposti 3.2.2026",
        valid_from=timezone.localdate() - 10 * DAY,  # the decision's date may be in the past
    )
    assert authorisation.granted_by == org.person("supervisor")
    assert authorisation.recorded_by == org.users["ict_secretary"]
    assert authorisation.is_valid()


@pytest.mark.parametrize(
    ("granted_by", "reference", "field"),
    [
        (None, "Sähköposti 3.2.2026", "granted_by"),
        ("supervisor", "", "decision_reference"),
        ("outsider", "Sähköposti 3.2.2026", "granted_by"),  # not in the line
        ("staff", "Sähköposti 3.2.2026", "granted_by"),  # the person themselves
    ],
)
def test_the_ict_secretary_needs_a_supervisor_in_the_line_and_a_decision(org, granted_by, reference, field):
    with pytest.raises(ValidationError) as error:
        services.grant_authorisation(
            org.person("staff"),
            actor=org.users["ict_secretary"],
            granted_by=org.person(granted_by) if granted_by else None,
            decision_reference=reference,
        )
    assert field in error.value.error_dict
    assert not Authorisation.objects.exists()


def test_the_ict_secretary_cannot_record_their_own_authorisation(org):
    ict = org.person("ict_secretary")
    ict.supervisor = org.person("municipal_manager")
    ict.save(update_fields=["supervisor"])
    with pytest.raises(PermissionDenied):
        services.grant_authorisation(
            ict, actor=org.users["ict_secretary"], granted_by=ict.supervisor, decision_reference="Päätös 1/2026"
        )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"valid_from": -1}, "valid_from"),  # supervisors cannot backdate
        ({"valid_from": 5, "valid_until": 4}, "valid_until"),
        ({"valid_from": -1, "valid_until": -1}, "valid_from"),
        ({"scope": AuthorisationScope.NAMED_CHANNELS}, "channels"),  # named, but none named
    ],
)
def test_it_refuses_bad_dates_and_scope(org, kwargs, field):
    today = timezone.localdate()
    arguments = {key: (today + value * DAY if key.startswith("valid") else value) for key, value in kwargs.items()}
    with pytest.raises(ValidationError) as error:
        services.grant_authorisation(org.person("staff"), actor=org.users["supervisor"], **arguments)
    assert field in error.value.error_dict
    assert not Authorisation.objects.exists()


def test_it_refuses_retired_channels(org):
    retired = make_channel("Vanha", unit=org.unit, status=ChannelStatus.RETIRED, retired_on=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError, match="Vanha"):
        services.grant_authorisation(
            org.person("staff"),
            actor=org.users["supervisor"],
            scope=AuthorisationScope.NAMED_CHANNELS,
            channels=[retired],
        )


def test_it_refuses_to_authorise_someone_who_has_left(org):
    staff = org.person("staff")
    staff.left_on = timezone.localdate()
    staff.save(update_fields=["left_on"])
    with pytest.raises(ValidationError, match="lähtenyt"):
        services.grant_authorisation(staff, actor=org.users["supervisor"])


def test_named_channels_are_stored(org, facebook):
    authorisation = services.grant_authorisation(
        org.person("staff"),
        actor=org.users["supervisor"],
        scope=AuthorisationScope.NAMED_CHANNELS,
        channels=[facebook],
        conditions="  Vain tapahtumatiedotteet  ",
    )
    assert list(authorisation.channels.all()) == [facebook]
    assert authorisation.conditions == "Vain tapahtumatiedotteet"
    assert authorisation.scope_display() == "Facebook: Suomussalmen kunta"


# --- Extending and revoking -------------------------------------------------------------------------


@pytest.fixture
def ending(org):
    """Teemu's authorisation, ending in ten days."""
    return authorise(org.person("staff"), valid_until=timezone.localdate() + 10 * DAY)


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        ("supervisor", True),
        ("area_head", True),
        ("ict_secretary", True),
        ("staff", False),
        ("outsider", False),
    ],
)
def test_who_may_extend(org, ending, actor, allowed):
    new_end = timezone.localdate() + 100 * DAY
    if allowed:
        services.extend_authorisation(ending, actor=org.users[actor], valid_until=new_end, reason="Jatkuu")
        ending.refresh_from_db()
        assert ending.valid_until == new_end
    else:
        with pytest.raises(PermissionDenied):
            services.extend_authorisation(ending, actor=org.users[actor], valid_until=new_end, reason="Jatkuu")
        ending.refresh_from_db()
        assert ending.valid_until == timezone.localdate() + 10 * DAY


@pytest.mark.parametrize(
    ("state", "new_end", "message"),
    [
        ("current", 5, "jälkeinen"),  # earlier than the current end
        ("current", 10, "jälkeinen"),  # the same day
        ("ended", 100, "päättyi"),
        ("revoked", 100, "Peruttua"),
        ("open", 100, "toistaiseksi"),
    ],
)
def test_it_refuses_bad_extensions(org, state, new_end, message):
    today = timezone.localdate()
    authorisation = authorise(
        org.person("staff"),
        valid_from=today - 30 * DAY,
        valid_until=None if state == "open" else (today - DAY if state == "ended" else today + 10 * DAY),
    )
    if state == "revoked":
        Authorisation.objects.filter(pk=authorisation.pk).update(revoked_at=timezone.now(), revoke_reason="Ei enää")
        authorisation.refresh_from_db()
    before = authorisation.valid_until
    with pytest.raises(ValidationError, match=message):
        services.extend_authorisation(
            authorisation, actor=org.users["supervisor"], valid_until=today + new_end * DAY, reason="Jatkuu"
        )
    authorisation.refresh_from_db()
    assert authorisation.valid_until == before


def test_extending_needs_a_reason(org, ending):
    with pytest.raises(ValidationError, match="perustelu"):
        services.extend_authorisation(ending, actor=org.users["supervisor"], valid_until=None, reason="  ")


def test_extending_to_open_ended(org, ending):
    services.extend_authorisation(ending, actor=org.users["supervisor"], valid_until=None, reason="Vakinaistettu")
    ending.refresh_from_db()
    assert ending.valid_until is None


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        ("supervisor", True),
        ("area_head", True),
        ("municipal_manager", True),
        ("ict_secretary", True),
        ("staff", False),  # their own
        ("outsider", False),
    ],
)
def test_who_may_revoke(org, ending, actor, allowed):
    if allowed:
        services.revoke_authorisation(ending, actor=org.users[actor], reason="Tehtävät muuttuivat")
        ending.refresh_from_db()
        assert ending.revoked_by == org.users[actor]
        assert ending.revoke_reason == "Tehtävät muuttuivat"
        assert not ending.is_valid()
    else:
        with pytest.raises(PermissionDenied):
            services.revoke_authorisation(ending, actor=org.users[actor], reason="Tehtävät muuttuivat")
        ending.refresh_from_db()
        assert ending.revoked_at is None


def test_a_supervisor_outside_the_line_cannot_revoke(org):
    other_boss = make_person("Olavi", "Oksanen", org.other_unit, user=make_user("oksanen", Role.SUPERVISOR))
    authorisation = authorise(org.person("staff"))
    with pytest.raises(PermissionDenied, match="esihenkilölinjassasi"):
        services.revoke_authorisation(authorisation, actor=other_boss.user, reason="Ei kuulu minulle")


@pytest.mark.parametrize("reason", ["", "   "])
def test_revoking_needs_a_reason(org, ending, reason):
    with pytest.raises(ValidationError):
        services.revoke_authorisation(ending, actor=org.users["supervisor"], reason=reason)
    ending.refresh_from_db()
    assert ending.revoked_at is None


def test_it_refuses_to_revoke_twice_or_after_the_end(org, ending):
    services.revoke_authorisation(ending, actor=org.users["supervisor"], reason="Loppui")
    with pytest.raises(ValidationError, match="jo peruttu"):
        services.revoke_authorisation(ending, actor=org.users["supervisor"], reason="Uudestaan")
    ended = authorise(org.person("staff"), valid_until=timezone.localdate() - DAY)
    with pytest.raises(ValidationError, match="päättyi jo"):
        services.revoke_authorisation(ended, actor=org.users["supervisor"], reason="Turha")
