"""The rule that ties update rights to supervisor authorisations, tested through ``channels.services.grant_right``
(every caller goes through it), the rights without basis, the supervisor line, the guideline (§6) and the demo."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from approvals import authorisation_services as services
from approvals.models import Authorisation
from channels.models import UpdateRight
from channels.services import RegistryError, grant_right, revoke_right
from tests.authorisation_factories import authorise, make_channel, make_right

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _finnish():
    with translation.override("fi"):
        yield


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
