"""The access log through HTTP, as users cause it (906/2019 §17): person pages, exports and imports are recorded
with who, when, what and from where, and the ICT secretary reads, filters and exports them on the log page,
which records its own reading."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditAction, AuditEvent, AuditResult
from tests.registry_helpers import make_channel

pytestmark = pytest.mark.django_db

ADDRESS = "10.9.8.7"
IMPORT_TEXT = "Palvelu;Nimi;Osoite;Yksikkö;Vastuuhenkilö;Tila;Tarkoitukset\n"
IMPORT_TEXT += "Instagram;Ympäristön Instagram;@ymparisto.demo;Ympäristöpalvelut;;;\n"


def log_page(client, **filters):
    response = client.get(reverse("audit_log"), filters)
    assert response.status_code == 200
    return response


def shown(response):
    return list(response.context["page"].object_list)


def test_a_person_page_view_is_logged_and_shown_on_the_log_page(client_for, org):
    person = org.person("staff")
    client_for("supervisor").get(reverse("channels:person_detail", args=[person.pk]), REMOTE_ADDR=ADDRESS)
    entry = AuditEvent.objects.get(action=AuditAction.VIEW_PERSON)
    assert (entry.actor, entry.object_type, entry.object_id) == (
        org.users["supervisor"],
        "channels.Person",
        str(person.pk),
    )
    assert entry.ip_address == ADDRESS and entry.at is not None

    response = log_page(client_for("ict_secretary"), action=AuditAction.VIEW_PERSON)
    assert [e.pk for e in shown(response)] == [entry.pk]
    assert "Teemu Tervo" in response.content.decode() and ADDRESS in response.content.decode()


def test_viewing_ones_own_person_page_is_not_a_disclosure(client_for, org):
    client_for("staff").get(reverse("channels:person_detail", args=[org.person("staff").pk]))
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_PERSON).exists()


def test_the_admin_person_change_page_is_logged(client_for, org):
    person = org.person("staff")
    response = client_for("ict_secretary").get(reverse("admin:channels_person_change", args=[person.pk]))
    assert response.status_code == 200
    entry = AuditEvent.objects.get(action=AuditAction.VIEW_PERSON)
    assert entry.object_id == str(person.pk) and entry.actor == org.users["ict_secretary"]


def test_the_supervisors_team_page_is_logged(client_for, org):
    client_for("supervisor").get(reverse("approvals:my_team"))
    entry = AuditEvent.objects.get(action=AuditAction.VIEW_PEOPLE)
    assert entry.object_type == "channels.Person" and str(org.person("staff").pk) in entry.detail


@pytest.mark.parametrize(
    ("role", "url", "object_repr"),
    [
        ("staff", reverse("channels:export") + "?format=csv", "channel registry"),
        ("ict_secretary", reverse("channels:export") + "?format=xlsx&q=kirjasto", "channel registry"),
        ("ict_secretary", reverse("approvals:who_may_act_export", args=["csv"]), "who may act"),
        ("ict_secretary", reverse("approvals:who_may_act_export", args=["xlsx"]), "who may act"),
        ("municipal_manager", reverse("approvals:dashboard_csv"), "compliance dashboard"),
        ("ict_secretary", reverse("approvals:dashboard_xlsx"), "compliance dashboard"),
    ],
)
def test_each_export_is_logged_and_shown_on_the_log_page(client_for, org, role, url, object_repr):
    make_channel(org.unit, name="Kirjasto")
    response = client_for(role).get(url, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    entry = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (entry.actor, entry.object_repr, entry.ip_address) == (org.users[role], object_repr, ADDRESS)

    page = log_page(client_for("ict_secretary"), action=AuditAction.EXPORT, actor=org.users[role].username)
    assert [e.pk for e in shown(page)] == [entry.pk]


def test_the_public_open_data_csv_is_not_logged(client, org):
    # The open data holds no personal data and needs no login: nothing to log (see channels/api.py).
    make_channel(org.unit, name="Kirjasto")
    assert client.get(reverse("public:api_channels_csv")).status_code == 200
    assert not AuditEvent.objects.exists()


def test_an_import_preview_and_its_confirmation_are_logged(client_for, org):
    client = client_for("ict_secretary")
    upload = SimpleUploadedFile("kanavat.csv", IMPORT_TEXT.encode())
    preview = client.post(reverse("channels:import_upload"), {"file": upload}, REMOTE_ADDR=ADDRESS)
    client.post(reverse("channels:import_confirm"), {"token": preview.context["token"]}, REMOTE_ADDR=ADDRESS)

    previewed = AuditEvent.objects.get(action=AuditAction.IMPORT_PREVIEW)
    imported = AuditEvent.objects.get(action=AuditAction.IMPORT)
    for entry in (previewed, imported):
        assert (entry.object_type, entry.object_repr, entry.ip_address) == ("channels.Channel", "kanavat.csv", ADDRESS)
        assert entry.actor == org.users["ict_secretary"] and "1 to add" in entry.detail

    page = log_page(client, target="kanavat.csv")
    assert {e.pk for e in shown(page)} == {previewed.pk, imported.pk}


def test_reading_the_log_is_logged_with_its_filters(client_for, org):
    client = client_for("ict_secretary")
    log_page(client, actor="tyontekija", page="1")
    entry = AuditEvent.objects.get(action=AuditAction.READ_LOG)
    assert entry.actor == org.users["ict_secretary"] and "actor=tyontekija" in entry.detail


def test_the_reading_appears_on_the_page_it_made(client_for):
    response = log_page(client_for("ict_secretary"), action=AuditAction.READ_LOG)
    assert [e.action for e in shown(response)] == [AuditAction.READ_LOG]


def test_the_log_export_is_a_csv_of_the_filtered_entries_and_is_logged(client_for, org):
    client_for("supervisor").get(reverse("channels:person_detail", args=[org.person("staff").pk]))
    client = client_for("ict_secretary")
    response = client.get(reverse("audit_log_export"), {"action": AuditAction.VIEW_PERSON})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert len(lines) == 2 and "esihenkilo" in lines[1] and "Teemu Tervo" in lines[1]
    entry = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="core.AuditEvent")
    assert entry.actor == org.users["ict_secretary"] and "1 entries" in entry.detail


@pytest.mark.parametrize(
    "filters",
    [
        {"start": "not-a-date"},
        {"start": "2026-05-01", "end": "2026-04-01"},
        {"action": "hack"},
        {"actor": "x" * 500},
        {"page": "abc"},
        {"target": "\x00"},
    ],
)
def test_bad_filters_are_form_errors_never_a_server_error(client_for, filters):
    client = client_for("ict_secretary")
    page = client.get(reverse("audit_log"), filters)
    assert page.status_code == 200
    if set(filters) != {"page"}:
        assert page.context["form"].errors
    export = client.get(reverse("audit_log_export"), filters)
    assert export.status_code == (200 if set(filters) == {"page"} else 400)


def test_the_date_filter_selects_by_local_day(client_for, org):
    client = client_for("ict_secretary")
    response = log_page(client, start="2000-01-01", end="2000-01-31")
    assert shown(response) == []


def test_the_log_page_is_paged(client_for, org):
    AuditEvent.objects.bulk_create([AuditEvent(action=AuditAction.LOGIN, actor_name=f"u{n}") for n in range(60)])
    response = log_page(client_for("ict_secretary"), action=AuditAction.LOGIN)
    assert len(shown(response)) == 50 and response.context["page"].paginator.num_pages == 2


def test_nobody_adds_changes_or_deletes_entries_in_the_admin(client_for, org):
    client_for("staff").get(reverse("channels:person_detail", args=[org.person("supervisor").pk]))
    entry = AuditEvent.objects.get(action=AuditAction.VIEW_PERSON)
    client = client_for("ict_secretary")
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:core_auditevent_add"), {"action": "login"}).status_code == 403
    assert client.post(reverse("admin:core_auditevent_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    client.post(reverse("admin:core_auditevent_change", args=[entry.pk]), {"detail": "muutettu", "action": "login"})
    changelist = client.post(
        reverse("admin:core_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert changelist.status_code in {200, 302}
    entry.refresh_from_db()
    assert (entry.action, entry.detail) == (AuditAction.VIEW_PERSON, "")
    assert AuditEvent.objects.filter(pk=entry.pk).exists()


def test_a_refused_import_confirmation_is_logged_as_refused(client_for, org):
    client = client_for("ict_secretary")
    # Two rows for one address: the preview shows the error and offers no confirmation; one sent anyway is refused.
    text = IMPORT_TEXT + "Instagram;Toinen;@ymparisto.demo;Ympäristöpalvelut;;;\n"
    preview = client.post(reverse("channels:import_upload"), {"file": SimpleUploadedFile("kanavat.csv", text.encode())})
    assert preview.context["token"] is None
    client.post(reverse("channels:import_confirm"), {"token": "arvattu"})
    entry = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert entry.result == AuditResult.REFUSED


def test_backup_and_restore_are_logged(org, tmp_path):
    path = tmp_path / "varmuuskopio.json"
    call_command("export_all", str(path), stdout=io.StringIO())
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__startswith="export_all:").exists()
    call_command("restore_all", str(path), "--force", stdout=io.StringIO())
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, detail__startswith="restore_all:").exists()


def test_the_log_page_costs_the_same_queries_for_few_and_many_entries(client_for, org):
    client = client_for("ict_secretary")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("audit_log")).status_code == 200
        return len(queries)

    few = count()
    AuditEvent.objects.bulk_create([AuditEvent(action=AuditAction.LOGIN, actor_name=f"u{n}") for n in range(120)])
    # Session, user, roles, the read's own entry, the page's count and rows: the same for 3 or 120 entries.
    assert count() == few


@pytest.mark.parametrize(
    ("url", "what"), [("approvals:who_may_act", "who may act"), ("approvals:rights_problems", "rights without basis")]
)
def test_the_secretarys_lists_of_people_are_logged(client_for, org, url, what):
    client = client_for("ict_secretary")
    assert client.get(reverse(url), REMOTE_ADDR=ADDRESS).status_code == 200
    entry = AuditEvent.objects.get(action=AuditAction.VIEW_PEOPLE)
    assert (entry.object_repr, entry.ip_address, entry.actor) == (what, ADDRESS, org.users["ict_secretary"])
