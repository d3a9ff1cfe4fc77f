"""Supervisor authorisations: the model's rules, the services, and the rule that ties update rights to them.

The rule is tested through ``channels.services.grant_right``: every caller (views, admin, imports,
decisions on other branches) goes through it, so these tests cover them all.
"""

import datetime
import io
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation

from approvals import authorisation_services as services
from approvals.models import Authorisation, AuthorisationScope, AuthorisationState
from channels.models import ChannelStatus, UpdateRight
from channels.services import GRANT_CHECKS, RegistryError, grant_right, revoke_right
from core.roles import Role
from tests.authorisation_factories import authorise, make_channel, make_right
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _finnish():
    with translation.override("fi"):
        yield


@pytest.fixture
def facebook(org):
    return make_channel("Suomussalmen kunta", unit=org.municipality)


@pytest.fixture
def teemu(org):
    """The staff member, with a recorded commitment: only the authorisation is missing."""
    person = org.person("staff")
    person.commitment_signed_on = timezone.localdate() - 100 * DAY
    person.save(update_fields=["commitment_signed_on"])
    return person


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


# --- The rule, through channels.services.grant_right ------------------------------------------------


def test_grant_right_refuses_without_an_authorisation_and_names_what_is_missing(org, teemu, facebook):
    with pytest.raises(RegistryError) as error:
        grant_right(facebook, teemu, role="editor", weekly_hours=2, actor=org.users["ict_secretary"])
    assert error.value.messages == [
        "Henkilöllä Teemu Tervo ei ole voimassa olevaa esihenkilön valtuutusta, joka kattaa kanavan "
        "Facebook: Suomussalmen kunta."
    ]
    assert not UpdateRight.objects.exists()


def test_grant_right_refuses_without_a_commitment(org, facebook):
    staff = org.person("staff")
    authorise(staff)
    with pytest.raises(RegistryError) as error:
        grant_right(facebook, staff, role="editor", weekly_hours=2, actor=org.users["ict_secretary"])
    assert error.value.messages == ["Henkilön Teemu Tervo salassapito- ja käyttäjäsitoumusta ei ole kirjattu."]


def test_grant_right_names_both_when_both_are_missing(org, facebook):
    with pytest.raises(RegistryError) as error:
        grant_right(facebook, org.person("staff"), role="editor", weekly_hours=2, actor=org.users["ict_secretary"])
    assert len(error.value.messages) == 2


def test_grant_right_in_english_names_the_channel(org, teemu, facebook):
    with translation.override("en"), pytest.raises(RegistryError) as error:
        grant_right(facebook, teemu, role="editor", weekly_hours=2, actor=org.users["ict_secretary"])
    assert error.value.messages == [
        "Teemu Tervo has no valid supervisor authorisation covering Facebook: Suomussalmen kunta."
    ]


def test_grant_right_accepts_a_valid_covering_authorisation(org, teemu, facebook):
    authorise(teemu, channels=[facebook])
    right = grant_right(facebook, teemu, role="editor", weekly_hours=2, actor=org.users["ict_secretary"])
    assert right.is_current


def test_an_authorisation_for_another_channel_does_not_cover(org, teemu, facebook):
    authorise(teemu, channels=[make_channel("Kirjasto", unit=org.unit)])
    with pytest.raises(RegistryError, match="Facebook: Suomussalmen kunta"):
        grant_right(facebook, teemu, role="editor", weekly_hours=2, actor=org.users["ict_secretary"])


@pytest.mark.parametrize(
    ("until_offset", "on_offset", "granted"),
    [(0, 0, True), (0, 1, False), (-1, 0, False)],
    ids=["ends-today", "ended-yesterday-seen-tomorrow", "ended-yesterday"],
)
def test_grant_right_at_the_date_boundary(org, teemu, facebook, until_offset, on_offset, granted):
    today = timezone.localdate()
    authorise(teemu, valid_until=today + until_offset * DAY)
    on = today + on_offset * DAY
    if granted:
        assert grant_right(facebook, teemu, role="editor", weekly_hours=2, actor=org.users["ict_secretary"], on=on)
    else:
        with pytest.raises(RegistryError):
            grant_right(facebook, teemu, role="editor", weekly_hours=2, actor=org.users["ict_secretary"], on=on)


def test_grant_right_refuses_an_authorisation_that_has_not_started(org, teemu, facebook):
    authorise(teemu, valid_from=timezone.localdate() + DAY)
    with pytest.raises(RegistryError):
        grant_right(facebook, teemu, role="editor", weekly_hours=2, actor=org.users["ict_secretary"])


def test_grant_right_refuses_a_revoked_authorisation(org, teemu, facebook):
    authorisation = authorise(teemu)
    services.revoke_authorisation(authorisation, actor=org.users["supervisor"], reason="Ei enää")
    with pytest.raises(RegistryError):
        grant_right(facebook, teemu, role="editor", weekly_hours=2, actor=org.users["ict_secretary"])


def test_a_commitment_signed_tomorrow_does_not_count_today(org, facebook):
    staff = org.person("staff")
    staff.commitment_signed_on = timezone.localdate() + DAY
    staff.save(update_fields=["commitment_signed_on"])
    authorise(staff)
    with pytest.raises(RegistryError, match="sitoumusta"):
        grant_right(facebook, staff, role="editor", weekly_hours=2, actor=org.users["ict_secretary"])


def test_the_checklist_uses_the_same_rule(org, teemu, facebook):
    checklist = {item.code: item for item in services.my_checklist(teemu)}
    assert checklist["authorisation"].met is False
    assert checklist["commitment"].met is True
    assert checklist["guideline"].met is False  # nothing acknowledged yet
    authorise(teemu, channels=[facebook])
    assert services.missing_for_publishing(teemu) == []
    assert services.missing_for_publishing(teemu, facebook) == []
    assert services.missing_for_publishing(teemu, make_channel("Toinen", unit=org.unit))


# --- Rights without basis ----------------------------------------------------------------------------


def _problem_rights(on=None):
    return {
        (r.person.last_name, r.channel.name): services.basis_problems(r, on) for r in services.rights_without_basis(on)
    }


def test_rights_with_their_basis_are_not_problems(org, teemu, facebook):
    authorise(teemu)
    make_right(teemu, facebook)
    assert _problem_rights() == {}


def test_an_expired_authorisation_leaves_the_right_without_basis_the_next_day(org, teemu, facebook):
    today = timezone.localdate()
    authorise(teemu, valid_until=today)
    make_right(teemu, facebook)
    assert _problem_rights(today) == {}
    problems = _problem_rights(today + DAY)
    assert list(problems) == [("Tervo", "Suomussalmen kunta")]
    assert "ei ole voimassa olevaa esihenkilön valtuutusta" in problems["Tervo", "Suomussalmen kunta"][0]


def test_a_revoked_authorisation_leaves_the_right_without_basis_but_the_right_stays(org, teemu, facebook):
    authorisation = authorise(teemu)
    right = make_right(teemu, facebook)
    services.revoke_authorisation(authorisation, actor=org.users["supervisor"], reason="Tehtävä päättyi")
    right.refresh_from_db()
    assert right.is_current  # not silently removed...
    assert list(services.rights_without_basis()) == [right]  # ...but shown as a problem


def test_a_leaver_keeps_showing_until_the_right_is_revoked(org, teemu, facebook):
    authorise(teemu)
    right = make_right(teemu, facebook)
    teemu.left_on = timezone.localdate()
    teemu.save(update_fields=["left_on"])
    problems = _problem_rights()
    assert any("lähti kunnan palveluksesta" in p for p in problems["Tervo", "Suomussalmen kunta"])
    revoke_right(right, actor=org.users["ict_secretary"], reason="Lähti")
    assert _problem_rights() == {}


def test_a_missing_commitment_is_a_problem(org, facebook):
    staff = org.person("staff")
    authorise(staff)
    make_right(staff, facebook)
    (problems,) = _problem_rights().values()
    assert problems == ["Henkilön Teemu Tervo salassapito- ja käyttäjäsitoumusta ei ole kirjattu."]


def test_a_named_authorisation_covers_only_its_channels(org, teemu, facebook):
    library = make_channel("Kirjasto", unit=org.unit)
    authorise(teemu, channels=[library])
    make_right(teemu, library)
    make_right(teemu, facebook)
    assert list(_problem_rights()) == [("Tervo", "Suomussalmen kunta")]


def test_problems_for_a_channel_and_a_person(org, teemu, facebook):
    right = make_right(teemu, facebook)
    authorise(org.person("supervisor"))
    assert list(services.problems_for_channel(facebook)) == [right]
    assert list(services.problems_for_person(teemu)) == [right]
    assert not services.problems_for_person(org.person("supervisor")).exists()


def test_check_rights_lists_each_violation_and_a_summary(org, teemu, facebook):
    make_right(teemu, facebook)
    out = io.StringIO()
    call_command("check_rights", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 2
    assert "Teemu Tervo" in lines[0] and "Facebook: Suomussalmen kunta" in lines[0]
    assert lines[-1].startswith("1 ")


def test_check_rights_on_a_date(org, teemu, facebook):
    today = timezone.localdate()
    authorise(teemu, valid_until=today)
    make_right(teemu, facebook)
    out = io.StringIO()
    call_command("check_rights", "--date", today.isoformat(), stdout=out)
    assert out.getvalue().strip().splitlines() == [f"0 päivitysoikeutta ilman perustetta {today.isoformat()}."]
    out = io.StringIO()
    call_command("check_rights", "--date", (today + DAY).isoformat(), stdout=out)
    assert len(out.getvalue().strip().splitlines()) == 2


def test_check_rights_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("check_rights", "--date", "31.12.2026")


# --- The supervisor line -----------------------------------------------------------------------------


def test_line_of_finds_direct_and_indirect_reports(org):
    assert services.line_of(org.person("supervisor")) == {org.person("staff").pk}
    assert services.line_of(org.person("area_head")) == {org.person("supervisor").pk, org.person("staff").pk}
    assert org.person("outsider").pk not in services.line_of(org.person("municipal_manager"))
    assert services.line_of(org.person("staff")) == set()


def test_line_of_survives_a_loop_in_bad_data(org):
    from channels.models import Person

    # A loop the model refuses in clean(); written straight to the database to be sure the walk stops.
    Person.objects.filter(pk=org.person("municipal_manager").pk).update(supervisor=org.person("staff"))
    assert org.person("municipal_manager").pk in services.line_of(org.person("supervisor"))


# --- The guideline (§6) ---------------------------------------------------------------------------------


def test_the_checklist_asks_for_the_guideline_in_force_to_be_acknowledged(org, teemu):
    from guideline import services as guideline_services
    from guideline.models import GuidelineVersion
    from tests.guideline_factories import ensure_guideline_loaded

    ensure_guideline_loaded()
    assert services.guideline_requirement(teemu).met is False
    guideline_services.acknowledge(teemu.user, GuidelineVersion.objects.current())
    assert services.guideline_requirement(teemu).met is True


# --- The demo ------------------------------------------------------------------------------------------


def test_the_demo_tells_the_authorisation_story_and_runs_twice():
    from channels.models import Person
    from somegov import demo

    demo.load_all()
    counts = (Authorisation.objects.count(), UpdateRight.objects.count())
    demo.load_all()
    assert (Authorisation.objects.count(), UpdateRight.objects.count()) == counts
    holders = Person.objects.filter(rights__isnull=False, rights__revoked_at__isnull=True).distinct()
    authorised = [p for p in holders if Authorisation.objects.valid().filter(person=p).exists()]
    assert len(authorised) > len(holders) / 2  # most maintainers are authorised
    problems = {r.person.last_name: services.basis_problems(r) for r in services.rights_without_basis()}
    assert set(problems) == {"Lähtinen", "Nieminen"}  # the leaver still with a right; the ended one
    assert any("lähti" in p for p in problems["Lähtinen"])
    assert Authorisation.objects.filter(person__last_name="Nieminen", valid_until__lt=timezone.localdate()).exists()


@pytest.mark.parametrize(
    "state",
    ["valid-all", "valid-named", "named-other", "ended", "upcoming", "revoked-today", "revoked-earlier", "none"],
)
@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_the_rule_reads_the_same_from_the_database_and_from_loaded_rows(org, teemu, facebook, state, offset):
    """The three readings of the rule (queryset, loaded rows, the rights annotation) never disagree."""
    today = timezone.localdate()
    other = make_channel("Toinen", unit=org.unit)
    if state != "none":
        authorisation = authorise(
            teemu,
            channels={"valid-named": [facebook], "named-other": [other]}.get(state, ()),
            valid_from=today + DAY if state == "upcoming" else today - 10 * DAY,
            valid_until=today - DAY if state == "ended" else today + DAY,
        )
        if state.startswith("revoked"):
            revoked_at = timezone.now() - (10 * DAY if state == "revoked-earlier" else datetime.timedelta())
            Authorisation.objects.filter(pk=authorisation.pk).update(revoked_at=revoked_at, revoke_reason="Pois")
    make_right(teemu, facebook)
    on = today + offset * DAY
    loaded = list(Authorisation.objects.filter(person=teemu).prefetch_related("channels"))
    for channel in (facebook, None):
        from_db = services.publishing_requirements(teemu, channel, on)[0].met
        from_rows = services.publishing_requirements(teemu, channel, on, loaded)[0].met
        assert from_db == from_rows, (state, offset, channel)
    (right,) = services.rights_with_basis(on)
    assert right.has_authorisation == services.publishing_requirements(teemu, facebook, on)[0].met


def test_my_page_makes_no_query_per_right(org, client_for, django_assert_max_num_queries):
    staff = org.person("staff")
    channels = [make_channel(unit=org.unit) for _ in range(6)]
    authorise(staff, channels=channels[:3])
    for channel in channels:
        make_right(staff, channel)
    client = client_for("staff")
    # Session, user, person, roles; the person with authorisations, channels, rights; the guideline
    # acknowledgement (one query) and the person's proposals (one); no session save.
    with django_assert_max_num_queries(11):
        response = client.get("/omat-tietoni/")
    # Three uncovered channels, no commitment, the guideline not acknowledged.
    assert response.content.decode().count("Puuttuu") == 3 + 1 + 1


def test_a_supervisor_who_has_left_cannot_be_named_as_the_authoriser(org):
    boss = org.person("supervisor")
    boss.left_on = timezone.localdate() - DAY
    boss.save(update_fields=["left_on"])
    with pytest.raises(ValidationError) as error:
        services.grant_authorisation(
            org.person("staff"), actor=org.users["ict_secretary"], granted_by=boss, decision_reference="Kirje 1/2026"
        )
    assert "granted_by" in error.value.error_dict
