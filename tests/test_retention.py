"""purge_personal_data: the retention periods of the privacy notice for people who left and for accessibility
feedback (somegov/retention.py); the log's period is purge_audit_log's (tests/test_audit.py)."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from approvals.models import Authorisation, ReminderSent
from channels.models import PERSON_DUTIES, ChannelStatus, Person
from core.models import AuditAction, AuditEvent
from guideline.models import GuidelineAcknowledgement, GuidelineVersion
from somegov import retention, services
from somegov.models import AccessibilityFeedback
from tests.authorisation_factories import authorise
from tests.factories import make_person, make_user
from tests.registry_helpers import make_channel, make_right

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def last_day_kept(years=2):
    """The leaving (or answering) day whose data is kept today for the last time: exactly ``years`` ago."""
    return retention.years_before(today(), years)


def _main(response):
    return response.text.split("<main", 1)[1].split("</main>", 1)[0]


def run(*args):
    out = io.StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def leaver(org):
    """Teemu Tervo, who left the day before the last day kept: due for anonymisation today, with a login, a
    supervisor, every personal field filled in, a changed title in his history and a guideline acknowledgement."""
    person = org.people["staff"]
    person.title = "kirjastovirkailija"
    person.work_phone = "040 123 4567"
    person.started_on = datetime.date(2015, 3, 1)
    person.commitment_signed_on = datetime.date(2016, 2, 1)
    person.save()
    person.title = "kirjastonhoitaja"
    person.left_on = last_day_kept() - DAY
    person._change_reason = "Teemu Tervo lähti 1.1."
    person.save()
    login = person.user
    login.first_name, login.last_name, login.email = "Teemu", "Tervo", "teemu.tervo@suomussalmi.invalid"
    login.save()
    GuidelineAcknowledgement.objects.create(user=login, version=GuidelineVersion.objects.current())
    return person


# --- Who is anonymised, and when ---------------------------------------------------------------------------------


def test_a_person_past_retention_is_anonymised_not_deleted(leaver, org):
    authorisation = authorise(leaver, org.people["supervisor"])
    retired = make_channel(org.unit, name="Vanha kanava", status=ChannelStatus.RETIRED, responsible_person=leaver)
    right = make_right(make_channel(org.unit), leaver, revoked=True)

    run()

    person = Person.objects.get(pk=leaver.pk)
    assert (person.first_name, person.last_name, person.full_name) == (
        "Poistunut henkilö",
        f"#{leaver.pk}",
        f"Poistunut henkilö #{leaver.pk}",
    )
    assert (person.title, person.work_email, person.work_phone) == ("", "", "")
    assert (person.user, person.supervisor, person.started_on, person.commitment_signed_on) == (None, None, None, None)
    assert (person.unit, person.left_on, person.anonymised_on) == (org.unit, leaver.left_on, today())
    # The records that name the person stay, pointing to the anonymous entry.
    assert Authorisation.objects.get(pk=authorisation.pk).person == person
    retired.refresh_from_db()
    right.refresh_from_db()
    assert (retired.responsible_person, right.person) == (person, person)


def test_the_login_is_emptied_deactivated_and_unlinked(leaver):
    login_pk = leaver.user_id
    run()
    login = get_user_model().objects.get(pk=login_pk)
    assert login.username == f"poistettu-{leaver.pk}"
    assert (login.first_name, login.last_name, login.email, login.last_login) == ("", "", "", None)
    assert not (login.is_active or login.is_staff or login.is_superuser)
    assert not login.has_usable_password()
    assert not login.groups.exists() and not login.user_permissions.exists()
    assert not Person.objects.filter(user_id=login_pk).exists()


def test_the_guideline_acknowledgements_are_deleted_and_others_kept(leaver, org):
    version = GuidelineVersion.objects.current()
    kept = GuidelineAcknowledgement.objects.create(user=org.users["supervisor"], version=version)
    run()
    assert list(GuidelineAcknowledgement.objects.all()) == [kept]


def test_every_history_row_of_the_person_is_scrubbed(leaver):
    assert leaver.history.count() >= 3  # created, filled in, left
    run()
    rows = list(Person.history.filter(id=leaver.pk).order_by("history_date", "history_id"))
    for row in rows:
        values = {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}
        text = " ".join(str(value) for value in values.values())
        for trace in ("Teemu", "Tervo", "kirjasto", "040 123", "person", "2015-03-01", "2016-02-01"):
            assert trace not in text, (trace, values)
        assert (row.user_id, row.supervisor_id, row.started_on, row.commitment_signed_on) == (None, None, None, None)
    # The newest row records the anonymisation itself, by nobody, and why.
    assert rows[-1].history_change_reason == retention.ANONYMISED_REASON
    assert rows[-1].history_user_id is None and rows[-1].anonymised_on == today()
    assert all(row.history_change_reason is None for row in rows[:-1])


def test_the_login_model_keeps_no_history_to_scrub():
    # anonymise_person empties the login's row only; if auth.User ever gets django-simple-history, scrub it too.
    assert not hasattr(get_user_model(), "history")


@pytest.mark.parametrize(
    ("left_on", "anonymised"),
    [
        (lambda: last_day_kept() - DAY, True),  # the period ended yesterday
        (lambda: last_day_kept(), False),  # the last day of the period
        (lambda: last_day_kept() + DAY, False),
        (lambda: today() - DAY, False),  # left recently
        (lambda: None, False),  # still in service
        (lambda: today() + 30 * DAY, False),  # leaves next month
    ],
    ids=["day-after-period", "last-day-kept", "day-before-last", "recently", "in-service", "leaving-later"],
)
def test_only_people_whose_period_has_ended_are_anonymised(org, left_on, anonymised):
    person = make_person("Laura", "Lähtijä", org.unit, left_on=left_on())
    # The list (which the dry run prints) and the service (which checks again under lock) agree on the boundary.
    assert f"Would anonymise {int(anonymised)} people" in run("--dry-run")
    run()
    person.refresh_from_db()
    assert (person.anonymised_on is not None) == anonymised
    assert (person.last_name == "Lähtijä") != anonymised
    if not anonymised:
        with pytest.raises(retention.RetentionError, match="has not been gone for the retention period"):
            retention.anonymise_person(person)


def test_the_period_comes_from_the_setting(org, settings):
    settings.RETENTION_LEFT_STAFF_YEARS = 5
    four_years = make_person("Neljä", "Vuotta", org.unit, left_on=retention.years_before(today(), 4) - DAY)
    five_years = make_person("Viisi", "Vuotta", org.unit, left_on=retention.years_before(today(), 5) - DAY)
    run()
    assert not Person.objects.get(pk=four_years.pk).is_anonymised
    assert Person.objects.get(pk=five_years.pk).is_anonymised


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (datetime.date(2026, 11, 25), 2, datetime.date(2024, 11, 25)),
        (datetime.date(2028, 2, 29), 2, datetime.date(2026, 2, 28)),  # no 29 February in 2026
        (datetime.date(2028, 2, 29), 4, datetime.date(2024, 2, 29)),
    ],
)
def test_years_before_counts_calendar_years(day, years, expected):
    assert retention.years_before(day, years) == expected


# --- People who still have a duty are skipped and reported ---------------------------------------------------------


def _current_right(person, org):
    make_right(make_channel(org.unit), person)


def _responsible(person, org):
    make_channel(org.unit, responsible_person=person)


def _responsible_before_a_decision(person, org):
    make_channel(org.unit, status=ChannelStatus.PROPOSED, responsible_person=person)


def _holiday_cover(person, org):
    make_channel(org.unit, holiday_cover_person=person)


def _unit_head(person, org):
    org.unit.head = person
    org.unit.save()


@pytest.mark.parametrize(
    ("give_duty", "duty"),
    [
        (_current_right, "holds a current update right"),
        (_responsible, "is the responsible person of a channel that is not retired"),
        (_responsible_before_a_decision, "is the responsible person of a channel that is not retired"),
        (_holiday_cover, "is the holiday cover of a channel that is not retired"),
        (_unit_head, "is the head of a unit in use"),
    ],
)
def test_a_person_with_a_duty_is_skipped_and_reported(leaver, org, give_duty, duty):
    give_duty(leaver, org)
    out = run()
    leaver.refresh_from_db()
    assert not leaver.is_anonymised and leaver.full_name == "Teemu Tervo" and leaver.user is not None
    assert GuidelineAcknowledgement.objects.filter(user=leaver.user).exists()
    assert (
        f"Skipped person #{leaver.pk}, who left on {leaver.left_on.isoformat()} but still {duty}: "
        "fix this in the registry first." in out
    )
    assert "Teemu" not in out and "Tervo" not in out
    assert "Anonymised 0 people" in out and "skipped 1 with duties" in out


def test_a_skipped_person_is_anonymised_once_the_duty_is_gone(leaver, org):
    channel = make_channel(org.unit, responsible_person=leaver)
    run()
    channel.responsible_person = org.people["supervisor"]
    channel.save()
    run()
    assert Person.objects.get(pk=leaver.pk).is_anonymised


def test_the_service_refuses_a_person_with_a_duty_or_within_the_period(leaver, org):
    _current_right(leaver, org)
    with pytest.raises(retention.PersonHasDuties) as error:
        retention.anonymise_person(leaver)
    assert error.value.duties == [PERSON_DUTIES["duty_update_right"]]
    recent = make_person("Laura", "Lähtijä", org.unit, left_on=last_day_kept())
    with pytest.raises(retention.RetentionError):
        retention.anonymise_person(recent)
    assert not Person.objects.filter(pk__in=[leaver.pk, recent.pk]).anonymised().exists()


# --- Logins, addresses and other apps' data ---------------------------------------------------------------------


def test_reminders_sent_to_the_person_are_forgotten_and_others_kept(leaver, org):
    sent_on = today() - 800 * DAY
    for recipient in ("Person5@Suomussalmi.invalid", leaver.work_email, leaver.user.email, "muu@suomussalmi.invalid"):
        ReminderSent.objects.create(recipient=recipient, kind="review_due", object_key="channel:1", sent_on=sent_on)
    # The first address above is someone else's too: it stays theirs (and their reminders stay). The leaver's
    # earlier address is still in his history: its reminders go as well.
    other = make_person("Toinen", "Henkilö", org.unit, work_email="person5@suomussalmi.invalid")
    leaver.work_email = "PERSON5@suomussalmi.invalid"
    leaver.save()
    run()
    assert sorted(ReminderSent.objects.values_list("recipient", flat=True)) == [
        "Person5@Suomussalmi.invalid",
        "muu@suomussalmi.invalid",
    ]
    assert Person.objects.get(pk=other.pk).work_email == "person5@suomussalmi.invalid"


def test_a_former_login_is_emptied_only_when_unused(leaver, org):
    # An old login, unlinked and deactivated when a new one was made; and one linked by mistake, now someone's.
    old = make_user("teemu.vanha", email="teemu@suomussalmi.invalid", first_name="Teemu")
    mistaken = make_user("sanna.s", email="sanna@suomussalmi.invalid")
    current = leaver.user
    for user in (old, mistaken, current):
        leaver.user = user
        leaver.save()
    old.is_active = False
    old.save()
    run()
    old.refresh_from_db()
    mistaken.refresh_from_db()
    assert (old.username, old.email, old.first_name) == (f"poistettu-{leaver.pk}-2", "", "")
    assert get_user_model().objects.get(pk=current.pk).username == f"poistettu-{leaver.pk}"
    assert (mistaken.username, mistaken.email, mistaken.is_active) == ("sanna.s", "sanna@suomussalmi.invalid", True)


def test_a_login_linked_to_another_person_is_left_alone(leaver, org):
    shared = make_user("yhteinen")
    leaver.user = shared
    leaver.save()
    leaver.user = None
    leaver.save()
    newcomer = make_person("Uusi", "Tulija", org.unit, user=shared)
    shared.is_active = False
    shared.save()
    run()
    assert get_user_model().objects.get(pk=shared.pk).username == "yhteinen"
    assert Person.objects.get(pk=newcomer.pk).user_id == shared.pk


# --- Accessibility feedback --------------------------------------------------------------------------------------


def _feedback(answered_on=None, received_days_ago=1000):
    feedback = services.submit_feedback(
        message="Kuvalta puuttuu tekstivastine.",
        name="Riikka Resident",
        email="riikka@example.invalid",
        received_at=timezone.now() - received_days_ago * DAY,
    )
    if answered_on is not None:
        AccessibilityFeedback.objects.filter(pk=feedback.pk).update(status="answered", answered_on=answered_on)
    return feedback


def test_feedback_answered_before_the_period_is_deleted_the_rest_kept():
    old = _feedback(answered_on=last_day_kept() - DAY)
    last_day = _feedback(answered_on=last_day_kept())
    recent = _feedback(answered_on=today() - 10 * DAY)
    never_answered = _feedback(received_days_ago=2000)
    out = run()
    kept = {last_day.pk, recent.pk, never_answered.pk}
    assert set(AccessibilityFeedback.objects.values_list("pk", flat=True)) == kept
    assert not AccessibilityFeedback.objects.filter(pk=old.pk).exists()
    assert "Deleted 1 accessibility feedback" in out


def test_the_feedback_period_comes_from_its_setting(settings):
    settings.RETENTION_FEEDBACK_YEARS = 3
    within = _feedback(answered_on=retention.years_before(today(), 3))
    past = _feedback(answered_on=retention.years_before(today(), 3) - DAY)
    run()
    assert list(AccessibilityFeedback.objects.values_list("pk", flat=True)) == [within.pk]
    assert past.pk != within.pk


# --- Dry run, idempotence, output, audit log -----------------------------------------------------------------------


def _state():
    return {
        "people": list(Person.objects.order_by("pk").values()),
        "history": list(Person.history.order_by("history_id").values()),
        "logins": list(get_user_model().objects.order_by("pk").values()),
        "acknowledgements": GuidelineAcknowledgement.objects.count(),
        "feedback": list(AccessibilityFeedback.objects.order_by("pk").values()),
        "reminders": ReminderSent.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_a_dry_run_prints_what_would_be_done_and_changes_nothing(leaver, org):
    other = make_person("Laura", "Lähtijä", org.unit, left_on=last_day_kept() - 400 * DAY)
    busy = make_person("Kiire", "Kiireinen", org.unit, left_on=last_day_kept() - 10 * DAY)
    _responsible(busy, org)
    _feedback(answered_on=last_day_kept() - DAY)
    ReminderSent.objects.create(recipient=leaver.work_email, kind="review_due", object_key="c:1", sent_on=today())
    before = _state()
    out = run("--dry-run")
    assert _state() == before
    assert out.splitlines() == [
        f"Would skip person #{busy.pk}, who left on {busy.left_on.isoformat()} but still is the responsible person "
        "of a channel that is not retired: fix this in the registry first.",
        f"Would anonymise 2 people who left before {last_day_kept().isoformat()} (#{other.pk}, #{leaver.pk}); "
        f"would skip 1 with duties in the registry. Would delete 1 accessibility feedback answered before "
        f"{last_day_kept().isoformat()}.",
    ]


def test_a_run_prints_the_counts_and_writes_them_to_the_audit_log(leaver, org):
    make_person("Laura", "Lähtijä", org.unit, left_on=last_day_kept() - 400 * DAY)
    _feedback(answered_on=last_day_kept() - DAY)
    out = run()
    summary = (
        f"Anonymised 2 people who left before {last_day_kept().isoformat()}; skipped 0 with duties in the registry. "
        f"Deleted 1 accessibility feedback answered before {last_day_kept().isoformat()}."
    )
    assert out.splitlines() == [summary]
    event = AuditEvent.objects.get(action=AuditAction.PURGE)
    assert (event.detail, event.actor, event.object_repr) == (summary, None, "")
    for personal in ("Teemu", "Tervo", "Laura", "tervo@", "person", "Riikka"):
        assert personal not in event.detail


def test_a_second_run_changes_nothing_and_says_so(leaver):
    run()
    Person.objects.filter(pk=leaver.pk).update(anonymised_on=today() - 5 * DAY)
    before = _state()
    out = run()
    after = _state()
    assert after.pop("audit") == before.pop("audit") + 1  # each run is logged
    assert after == before
    assert out.startswith("Anonymised 0 people") and "Deleted 0 accessibility feedback" in out
    assert retention.anonymise_person(leaver) is None  # the service is idempotent too
    assert Person.history.filter(id=leaver.pk, history_change_reason=retention.ANONYMISED_REASON).count() == 1


def test_one_failure_does_not_stop_the_others_and_fails_the_run(leaver, org, monkeypatch):
    other = make_person("Laura", "Lähtijä", org.unit, left_on=last_day_kept() - 400 * DAY)

    forget = retention.forget_reminders_sent

    def broken(person, addresses):
        if person.pk == other.pk:
            raise RuntimeError("the reminders table is locked")
        return forget(person, addresses)

    monkeypatch.setattr(retention, "forget_reminders_sent", broken)
    err = io.StringIO()
    with pytest.raises(CommandError, match=f"Could not anonymise 1 people: #{other.pk}"):
        call_command("purge_personal_data", stdout=io.StringIO(), stderr=err)
    assert f"Could not anonymise person #{other.pk}" in err.getvalue()
    assert Person.objects.get(pk=leaver.pk).is_anonymised
    other.refresh_from_db()
    assert not other.is_anonymised and other.last_name == "Lähtijä"  # its transaction was rolled back whole
    assert "; failed 1." in AuditEvent.objects.get(action=AuditAction.PURGE).detail


@pytest.mark.parametrize("name", ["RETENTION_LEFT_STAFF_YEARS", "RETENTION_FEEDBACK_YEARS"])
def test_a_period_under_a_year_is_refused(settings, leaver, name):
    setattr(settings, name, 0)
    with pytest.raises(CommandError, match=f"{name} must be at least one year"):
        run()
    assert not Person.objects.get(pk=leaver.pk).is_anonymised


# --- The model, the pages and the admin -------------------------------------------------------------------------


def test_only_a_person_who_left_can_be_anonymised(org):
    person = org.people["outsider"]
    person.anonymised_on = today()
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "left_on" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        person.save()


def test_the_person_page_and_links_show_the_anonymised_entry(leaver, org, client_for):
    channel = make_channel(org.unit, name="Vanha kanava", status=ChannelStatus.RETIRED, responsible_person=leaver)
    run()
    client = client_for("ict_secretary")
    page = client.get(reverse("channels:person_detail", args=[leaver.pk])).content.decode()
    assert f"Poistunut henkilö #{leaver.pk}" in page
    day = today()
    assert f"Anonymisoitu {day.day}.{day.month}.{day.year}: nimi, yhteystiedot ja käyttäjätunnus poistettiin" in page
    assert "Tervo" not in page and "kirjastonhoitaja" not in page
    channel_page = client.get(reverse("channels:channel_detail", args=[channel.pk])).content.decode()
    assert '<span class="badge text-bg-secondary">anonymisoitu</span>' in channel_page


def test_the_admin_lists_anonymised_people_and_keeps_them_read_only(leaver, org, client_for):
    run()
    client = client_for("ict_secretary")
    listing = client.get(reverse("admin:channels_person_changelist"), {"employment": "anonymised"})
    assert [person.pk for person in listing.context["cl"].result_list] == [leaver.pk]
    url = reverse("admin:channels_person_change", args=[leaver.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"first_name": "Teemu", "last_name": "Tervo", "unit": org.unit.pk, "_save": "1"})
    assert Person.objects.get(pk=leaver.pk).full_name == f"Poistunut henkilö #{leaver.pk}"


def test_the_privacy_notice_says_what_is_removed_and_what_stays(client):
    finnish = _main(client.get(reverse("privacy")))
    assert "Henkilön nimi, tehtävänimike, yhteystiedot, esihenkilö" in finnish
    assert "Rekisteriin jää nimetön merkintä" in finnish
    assert "tiedot poistetaan, kun asia on korjattu rekisteriin" in finnish
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = _main(client.get(reverse("privacy")))
    assert "An anonymous entry with the unit and the end date of employment stays" in english
    assert "the data is removed once this has been corrected in the registry" in english
