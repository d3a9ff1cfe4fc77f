"""The authorisation pages: my team, my page, grant/extend/revoke, the ICT secretary's work list and
the who-may-act list with its export. Which role gets what is in tests/matrix/authorisations.py."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import Authorisation, AuthorisationScope
from channels.models import UpdateRight
from tests.authorisation_factories import authorise, make_channel, make_right
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def committed(org):
    staff = org.person("staff")
    staff.commitment_signed_on = timezone.localdate() - 100 * DAY
    staff.save(update_fields=["commitment_signed_on"])
    return staff


def _text(response):
    return response.content.decode()


# --- My team --------------------------------------------------------------------------------------


def test_my_team_shows_the_whole_line_and_nobody_else(org, client_for):
    response = client_for("area_head").get(reverse("approvals:my_team"))
    html = _text(response)
    assert "Teemu Tervo" in html and "Sanna Saarinen" in html
    assert "Olli Ulkonen" not in html
    assert f'id="person-{org.person("area_head").pk}"' not in html  # not themselves
    assert f'id="person-{org.person("staff").pk}"' in html


def test_my_team_shows_authorisations_rights_and_problems(org, client_for, facebook):
    staff = org.person("staff")
    authorise(staff, valid_until=timezone.localdate() - DAY)
    make_right(staff, facebook)
    html = _text(client_for("supervisor").get(reverse("approvals:my_team")))
    assert "Päättynyt" in html  # the ended authorisation, in words
    assert "Ei perustetta" in html
    assert "ei ole voimassa olevaa esihenkilön valtuutusta" in html
    assert "Ei kirjattu" in html  # no commitment
    assert "Ei kuitattu" in html  # the guideline version in force is not acknowledged
    assert reverse("approvals:authorisation_grant", args=[staff.pk]) in html


def test_my_team_keeps_a_leaver_who_still_holds_a_right(org, client_for, facebook):
    leaver = make_person("Liisa", "Lähtinen", org.unit, supervisor=org.person("supervisor"))
    gone = make_person("Kalle", "Kadonnut", org.unit, supervisor=org.person("supervisor"))
    make_right(leaver, facebook)
    for person in (leaver, gone):
        person.left_on = timezone.localdate() - DAY
        person.save(update_fields=["left_on"])
    html = _text(client_for("supervisor").get(reverse("approvals:my_team")))
    assert "Liisa Lähtinen" in html and "Lähti" in html
    assert "Kalle Kadonnut" not in html


def _team_of(size, org):
    """``size`` people under the supervisor (two levels deep), each with an authorisation and a right."""
    supervisor = org.person("supervisor")
    channel = make_channel("Kirjasto", unit=org.unit)
    lead = make_person(unit=org.unit, supervisor=supervisor)
    for n in range(size):
        person = make_person(unit=org.unit, supervisor=lead if n % 2 else supervisor)
        authorise(person, granted_by=supervisor, channels=[channel])
        make_right(person, channel)


@pytest.mark.parametrize("size", [5, 50])
def test_my_team_query_count_does_not_grow_with_the_team(org, client_for, size, django_assert_num_queries):
    _team_of(size, org)
    client = client_for("supervisor")
    # Session, user, person, roles; the line (one query per level, here 3, never one per person);
    # count, people, their authorisations, those authorisations' channels, their rights with the basis;
    # the guideline acknowledgements (one query); the audit log entry of the view (one insert, 906/2019 §17);
    # no session save (SlidingSessionMiddleware). The same for 5 and 50 people.
    with django_assert_num_queries(14):
        response = client.get(reverse("approvals:my_team"))
    assert response.status_code == 200


# --- Grant, extend, revoke ------------------------------------------------------------------------


def test_a_supervisor_authorises_a_report(org, client_for, facebook):
    staff = org.person("staff")
    url = reverse("approvals:authorisation_grant", args=[staff.pk])
    page = client_for("supervisor").get(url)
    assert "granted_by" not in _text(page)  # a supervisor gives it in their own name
    response = client_for("supervisor").post(
        url,
        {
            "scope": "named",
            "channels": [facebook.pk],
            "valid_from": timezone.localdate().isoformat(),
            "valid_until": "",
            "conditions": "Tapahtumat",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("approvals:my_team")
    authorisation = Authorisation.objects.get(person=staff)
    assert authorisation.granted_by == org.person("supervisor")
    assert list(authorisation.channels.all()) == [facebook]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scope": "named"}, "Valitse kanavat"),
        ({"valid_from": ""}, "Tämä kenttä vaaditaan"),
        ({"valid_until": "2000-01-01"}, "ennen ensimmäistä"),
        ({"valid_from": "2000-01-01"}, "alkaa menneisyydessä"),
    ],
)
def test_bad_authorisation_input_is_explained_and_nothing_is_saved(org, client_for, facebook, data, message):
    url = reverse("approvals:authorisation_grant", args=[org.person("staff").pk])
    post = {"scope": "all", "valid_from": timezone.localdate().isoformat(), **data}
    response = client_for("supervisor").post(url, post)
    assert response.status_code == 200
    assert message in _text(response)
    assert not Authorisation.objects.exists()


def test_the_ict_secretary_records_a_written_decision(org, client_for):
    staff = org.person("staff")
    url = reverse("approvals:authorisation_grant", args=[staff.pk])
    page = _text(client_for("ict_secretary").get(url))
    assert 'name="granted_by"' in page and 'name="decision_reference"' in page
    response = client_for("ict_secretary").post(
        url,
        {
            "granted_by": org.person("supervisor").pk,
            "decision_reference": "Sähköposti 3.2.2026",
            "scope": "all",
            "valid_from": (timezone.localdate() - 3 * DAY).isoformat(),
        },
    )
    assert response.status_code == 302
    authorisation = Authorisation.objects.get(person=staff)
    assert authorisation.recorded_by == org.users["ict_secretary"]
    assert authorisation.decision_reference == "Sähköposti 3.2.2026"


def test_the_ict_secretary_can_name_only_supervisors_in_the_line(org, client_for):
    url = reverse("approvals:authorisation_grant", args=[org.person("staff").pk])
    response = client_for("ict_secretary").post(
        url,
        {
            "granted_by": org.person("outsider").pk,
            "decision_reference": "x",
            "scope": "all",
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert not Authorisation.objects.exists()


def test_extend_and_revoke_through_the_pages(org, client_for, facebook, committed):
    authorisation = authorise(committed, valid_until=timezone.localdate() + 5 * DAY)
    make_right(committed, facebook)
    client = client_for("supervisor")
    new_end = timezone.localdate() + 60 * DAY
    response = client.post(
        reverse("approvals:authorisation_extend", args=[authorisation.pk]),
        {"valid_until": new_end.isoformat(), "reason": "Projekti jatkuu"},
    )
    assert response.status_code == 302
    authorisation.refresh_from_db()
    assert authorisation.valid_until == new_end
    revoke_url = reverse("approvals:authorisation_revoke", args=[authorisation.pk])
    confirmation = _text(client.get(revoke_url))
    assert "Facebook: Suomussalmen kunta" in confirmation  # the right that loses its basis, shown first
    missing_reason = client.post(revoke_url, {"reason": ""})
    assert missing_reason.status_code == 200
    authorisation.refresh_from_db()
    assert authorisation.revoked_at is None
    response = client.post(revoke_url, {"reason": "Siirtyi muihin tehtäviin"}, follow=True)
    authorisation.refresh_from_db()
    assert authorisation.revoked_at is not None
    assert "ICT-sihteeri" in _text(response) or "ICT-sihteerin" in _text(response)


def test_extending_earlier_is_explained(org, client_for):
    authorisation = authorise(org.person("staff"), valid_until=timezone.localdate() + 5 * DAY)
    response = client_for("supervisor").post(
        reverse("approvals:authorisation_extend", args=[authorisation.pk]),
        {"valid_until": timezone.localdate().isoformat(), "reason": "Lyhennys"},
    )
    assert response.status_code == 200
    assert "Valitse nykyisen viimeisen päivän" in _text(response)


# --- The ICT secretary's work list --------------------------------------------------------------------


def test_the_work_list_shows_problems_and_revokes_in_one_action(org, client_for, facebook, committed):
    right = make_right(committed, facebook)
    client = client_for("ict_secretary")
    html = _text(client.get(reverse("approvals:rights_problems")))
    revoke_url = reverse("approvals:right_revoke", args=[right.pk])
    assert revoke_url in html
    assert "Teemu Tervo" in html and "ei ole voimassa olevaa esihenkilön valtuutusta" in html
    assert reverse("approvals:authorisation_grant", args=[committed.pk]) in html
    confirmation = _text(client.get(revoke_url))
    assert "Suomussalmen kunta" in confirmation
    response = client.post(revoke_url, {"reason": "Ei valtuutusta"})
    assert response.status_code == 302 and response["Location"] == reverse("approvals:rights_problems")
    right.refresh_from_db()
    assert not right.is_current and right.revoked_by == org.users["ict_secretary"]
    assert "Jokaisella voimassa olevalla päivitysoikeudella on perusteensa" in _text(
        client.get(reverse("approvals:rights_problems"))
    )


def test_revoking_a_right_needs_a_reason_and_ignores_foreign_next(org, client_for, facebook, committed):
    right = make_right(committed, facebook)
    url = reverse("approvals:right_revoke", args=[right.pk])
    client = client_for("ict_secretary")
    assert client.post(url, {"reason": " "}).status_code == 200
    right.refresh_from_db()
    assert right.is_current
    response = client.post(url, {"reason": "Lähti", "next": "https://evil.example/"})
    assert response["Location"] == reverse("approvals:rights_problems")


def test_a_revoked_right_cannot_be_revoked_again(org, client_for, facebook, committed):
    right = make_right(committed, facebook, revoked_at=timezone.now(), revoke_reason="Jo peruttu")
    assert client_for("ict_secretary").get(reverse("approvals:right_revoke", args=[right.pk])).status_code == 404


def test_granting_a_right_names_what_is_missing(org, client_for, facebook, committed):
    url = reverse("approvals:right_grant", args=[facebook.pk])
    data = {"person": committed.pk, "role": "editor", "weekly_hours": "2"}
    response = client_for("ict_secretary").post(url, data)
    assert response.status_code == 200
    assert "Henkilöllä Teemu Tervo ei ole voimassa olevaa esihenkilön valtuutusta" in _text(response)
    assert not UpdateRight.objects.exists()
    authorise(committed, channels=[facebook])
    response = client_for("ict_secretary").post(url, data)
    assert response.status_code == 302
    assert UpdateRight.objects.current().get().person == committed


# --- Who may act -------------------------------------------------------------------------------------


def test_who_may_act_shows_gaps_in_words(org, client_for, facebook, committed):
    authorise(committed, channels=[facebook])
    make_right(committed, facebook)
    make_right(org.person("supervisor"), facebook, role="administrator")  # no authorisation, no commitment
    empty = make_channel("Hiljainen kanava", unit=org.unit)
    html = _text(client_for("ict_secretary").get(reverse("approvals:who_may_act")))
    assert "Kunnossa" in html and "Aukko" in html
    assert "Kenelläkään ei ole päivitysoikeutta." in html
    gaps = _text(client_for("ict_secretary").get(reverse("approvals:who_may_act") + "?gaps=1"))
    assert empty.name in gaps and "Facebook: Suomussalmen kunta" in gaps


def test_only_gaps_hides_channels_in_order(org, client_for, facebook, committed):
    authorise(committed, channels=[facebook])
    make_right(committed, facebook)
    gaps = _text(client_for("ict_secretary").get(reverse("approvals:who_may_act") + "?gaps=1"))
    assert "Facebook: Suomussalmen kunta" not in gaps


def _who_may_act_of(size, org):
    channels = [make_channel(unit=org.unit) for _ in range(3)]
    for n in range(size):
        person = make_person(unit=org.unit, supervisor=org.person("supervisor"), commitment_signed_on=None)
        if n % 2:
            authorise(person, granted_by=org.person("supervisor"), channels=[channels[n % 3]])
        make_right(person, channels[n % 3])


@pytest.mark.parametrize("size", [5, 50])
def test_who_may_act_query_count_does_not_grow(org, client_for, size, django_assert_num_queries):
    _who_may_act_of(size, org)
    client = client_for("ict_secretary")
    # Session, user, roles; count, channels (with the gap annotation), their rights with the basis and
    # people; the navigation's person; the audit log entry of the view; no session save. The same for 5 and 50.
    with django_assert_num_queries(8):
        response = client.get(reverse("approvals:who_may_act"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_the_work_list_query_count_does_not_grow(org, client_for, size, django_assert_num_queries):
    _who_may_act_of(size, org)
    client = client_for("ict_secretary")
    # Session, user, roles; count, one page of rights with people, channels and platforms; the
    # navigation's person; the audit log entry of the view; no session save. The same for 5 and 50 people.
    with django_assert_num_queries(7):
        response = client.get(reverse("approvals:rights_problems"))
    assert response.status_code == 200


def test_the_csv_export(org, client_for, facebook, committed):
    authorise(committed, channels=[facebook])
    make_right(committed, facebook)
    evil = make_person("=HYPERLINK(1)", "Huijari", org.unit, supervisor=org.person("supervisor"))
    make_right(evil, facebook)
    response = client_for("ict_secretary").get(reverse("approvals:who_may_act_export", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Kanava"
    teemu = next(row for row in rows if row[5] == "Teemu Tervo")
    assert teemu[7:10] == ["kyllä", "kyllä", "kyllä"]
    assert any(row[5].startswith("'=HYPERLINK") for row in rows)  # a formula is never a formula


def test_the_xlsx_export(org, client_for, facebook, committed):
    from openpyxl import load_workbook

    make_right(committed, facebook)
    response = client_for("ict_secretary").get(reverse("approvals:who_may_act_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Kanava"
    assert rows[1][5] == "Teemu Tervo" and rows[1][7] == "ei"


def test_an_unknown_export_format_is_not_found(org, client_for):
    assert client_for("ict_secretary").get(reverse("approvals:who_may_act_export", args=["pdf"])).status_code == 404


# --- My page -----------------------------------------------------------------------------------------


def test_my_page_shows_the_checklist_and_my_proposals(org, client_for, facebook, committed):
    make_right(committed, facebook)
    html = _text(client_for("staff").get(reverse("approvals:my_page")))
    assert "Ennen kuin saan julkaista" in html
    assert "Puuttuu" in html and "Tehty" in html
    assert "Sinulla ei ole vielä kanavaehdotuksia." in html
    assert "Facebook: Suomussalmen kunta" in html


def test_my_page_for_a_login_without_a_person(db, client):
    client.force_login(make_user("irrallinen"))
    html = _text(client.get(reverse("approvals:my_page")))
    assert "ei ole liitetty" in html


def test_nav_links_follow_the_role(org, client_for):
    staff_html = _text(client_for("staff").get(reverse("home")))
    assert reverse("approvals:my_page") in staff_html
    assert reverse("approvals:my_team") not in staff_html
    assert reverse("approvals:my_team") in _text(client_for("supervisor").get(reverse("home")))
    ict_html = _text(client_for("ict_secretary").get(reverse("home")))
    assert reverse("approvals:who_may_act") in ict_html and reverse("approvals:rights_problems") in ict_html


def test_the_admin_lists_authorisations_read_only(org, client_for):
    authorisation = authorise(org.person("staff"))
    client = client_for("ict_secretary")
    assert client.get(reverse("admin:approvals_authorisation_changelist")).status_code == 200
    assert client.get(reverse("admin:approvals_authorisation_change", args=[authorisation.pk])).status_code == 200
    assert client.get(reverse("admin:approvals_authorisation_add")).status_code == 403
    assert client.get(reverse("admin:approvals_authorisation_history", args=[authorisation.pk])).status_code == 200


def test_named_scope_lists_channels_on_the_grant_form(org, client_for, facebook):
    html = _text(client_for("supervisor").get(reverse("approvals:authorisation_grant", args=[org.person("staff").pk])))
    assert "Facebook: Suomussalmen kunta" in html
    assert AuthorisationScope.NAMED_CHANNELS.value in html
