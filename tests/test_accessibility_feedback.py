"""Accessibility feedback: the public form, e-mail to the ICT secretaries, due dates and marking answered."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.mail import ict_secretary_recipients
from core.roles import Role
from somegov import services
from somegov.models import AccessibilityFeedback, FeedbackStatus, feedback_due_on
from tests.factories import make_person, make_user
from tests.guideline_factories import feedback_data

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
UTC = datetime.UTC


def _received(day, hour, minute=0, tz=UTC):
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=tz)


# --- Due dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "received_at, due_on",
    [
        # 21:59 UTC is 23:59 in Helsinki (UTC+2 in winter): still the 24th, due on 8 December.
        (_received(24, 21, 59), datetime.date(2026, 12, 8)),
        # 22:00 UTC is midnight in Helsinki: the 25th already, due on 9 December.
        (_received(24, 22, 0), datetime.date(2026, 12, 9)),
        (_received(25, 0, 30, HELSINKI), datetime.date(2026, 12, 9)),
    ],
    ids=["23.59 Helsinki", "00.00 Helsinki", "00.30 Helsinki"],
)
def test_the_answer_is_due_14_days_from_the_helsinki_date_of_receipt(received_at, due_on):
    assert feedback_due_on(received_at) == due_on
    feedback = services.submit_feedback(message="Palaute.", received_at=received_at)
    assert feedback.due_on == due_on


def test_the_due_date_counts_in_helsinki_across_the_summer_time_change():
    # 20:59 UTC on 28 March 2026 is 22:59 in Helsinki (UTC+2); summer time starts the next night.
    received = datetime.datetime(2026, 3, 28, 20, 59, tzinfo=UTC)
    assert feedback_due_on(received) == datetime.date(2026, 4, 11)
    # 21:30 UTC on 28 June is 00:30 on 29 June in Helsinki (UTC+3).
    assert feedback_due_on(datetime.datetime(2026, 6, 28, 21, 30, tzinfo=UTC)) == datetime.date(2026, 7, 13)


@pytest.mark.parametrize(
    "due_on, today, overdue",
    [
        (datetime.date(2026, 12, 9), datetime.date(2026, 12, 8), False),
        (datetime.date(2026, 12, 9), datetime.date(2026, 12, 9), False),  # the due day itself is in time
        (datetime.date(2026, 12, 9), datetime.date(2026, 12, 10), True),
    ],
)
def test_feedback_is_overdue_the_day_after_its_due_date(due_on, today, overdue):
    feedback = services.submit_feedback(message="Palaute.", received_at=_received(25, 10))
    assert feedback.due_on == due_on
    assert feedback.is_overdue(today) is overdue
    assert AccessibilityFeedback.objects.overdue(today).filter(pk=feedback.pk).exists() is overdue


def test_answered_feedback_is_never_overdue(org):
    feedback = services.submit_feedback(message="Palaute.", received_at=_received(1, 10))
    services.mark_feedback_answered(
        org.users["ict_secretary"], feedback, answered_on=datetime.date(2026, 11, 20), note="Vastattu."
    )
    assert not AccessibilityFeedback.objects.overdue(datetime.date(2027, 1, 1)).exists()
    feedback.refresh_from_db()
    assert not feedback.is_overdue(datetime.date(2027, 1, 1))
    assert feedback.was_answered_late  # due 15.11., answered 20.11.


# --- Submitting -----------------------------------------------------------------------------------------


def test_feedback_is_stored_and_mailed_to_the_ict_secretaries_after_commit(
    org, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://some.suomussalmi.invalid"
    second = make_user("ict2", Role.ICT_SECRETARY, email="ict2@suomussalmi.invalid")
    make_user("entinen", Role.ICT_SECRETARY, email="entinen@suomussalmi.invalid", is_active=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        feedback = services.submit_feedback(
            message="Linkit eivät erotu.", email="kaisa@example.invalid", received_at=_received(25, 10)
        )
    assert len(mail.outbox) == 0  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    # One message to each (nobody sees the others' addresses): to the work e-mail of the org's ICT secretary,
    # to the login's own address of the second, who has no person in the registry (core.mail.recipient).
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [org.person("ict_secretary").work_email, second.email]
    )
    for message in mail.outbox:
        assert len(message.to) == 1
        assert "9.12.2026" in message.subject
        assert "Linkit eivät erotu." in message.body
        assert f"https://some.suomussalmi.invalid/saavutettavuus/palautteet/{feedback.pk}/" in message.body
        assert "306/2019" in message.body


def test_a_rolled_back_submission_sends_nothing(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                services.submit_feedback(message="Palaute.")
                raise IntegrityError("simulated failure after the insert")
        except IntegrityError:
            pass
    assert callbacks == []
    assert not AccessibilityFeedback.objects.exists()


def test_without_ict_secretary_addresses_the_feedback_is_still_listed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_feedback(message="Palaute.")
    assert len(mail.outbox) == 0
    assert AccessibilityFeedback.objects.open().count() == 1


def test_an_empty_message_is_refused_by_the_service():
    with pytest.raises(ValidationError):
        services.submit_feedback(message="   ")
    assert not AccessibilityFeedback.objects.exists()


def test_the_form_is_prefilled_with_the_page_address(client):
    page = client.get(reverse("accessibility_feedback"), {"page": "/ohje/"}).text
    assert 'value="/ohje/"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_the_footer_links_the_form_with_the_current_page(client):
    page = client.get(reverse("privacy")).text
    assert f"{reverse('accessibility_feedback')}?page=/tietosuoja/" in page


def test_good_feedback_goes_to_the_ict_secretary(client, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accessibility_feedback"), feedback_data())
    assert response["Location"] == reverse("accessibility_feedback_thanks")
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.name, feedback.email, feedback.page_url) == (
        "Kaisa Kuntalainen",
        "kaisa@example.invalid",
        "/ohje/",
    )
    assert feedback.status == FeedbackStatus.OPEN and feedback.language == "fi"
    assert feedback.due_on == timezone.localdate() + datetime.timedelta(days=14)
    assert mail.outbox[0].to == [org.person("ict_secretary").work_email]


def test_name_e_mail_and_page_are_optional(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accessibility_feedback"), {"message": "Painikkeen teksti on liian pieni.", "website": ""}
        )
    assert response.status_code == 302
    assert AccessibilityFeedback.objects.get().name == ""


def test_feedback_from_the_english_page_remembers_the_language(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("accessibility_feedback"), feedback_data())
    assert AccessibilityFeedback.objects.get().language == "en"


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"message": ""}, "message", "Tämä kenttä vaaditaan"),
        ({"message": "abc"}, "message", "vähintään 5"),
        ({"message": "x" * 5001}, "message", "enintään 5000"),
        ({"email": "ei-osoite"}, "email", "kelvollinen sähköpostiosoite"),
        ({"name": "n" * 201}, "name", "enintään 200"),
        ({"page_url": "/" * 501}, "page_url", "enintään 500"),
        ({"message": "null\x00merkki"}, "message", "Null"),
    ],
    ids=["empty", "too short", "too long", "bad e-mail", "long name", "long page address", "null character"],
)
def test_bad_feedback_is_refused_with_a_clear_message(client, changes, field, message):
    response = client.post(reverse("accessibility_feedback"), feedback_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message.lower() in response.text.lower()
    assert not AccessibilityFeedback.objects.exists()
    assert len(mail.outbox) == 0


def test_a_filled_honeypot_is_thanked_but_nothing_is_stored_or_sent(client, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accessibility_feedback"), feedback_data(website="https://spam.example"))
    assert response["Location"] == reverse("accessibility_feedback_thanks")
    assert not AccessibilityFeedback.objects.exists()
    assert len(mail.outbox) == 0


def test_a_honeypot_hit_does_not_use_up_the_feedback_limit(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    robot = client.post(reverse("accessibility_feedback"), feedback_data(website="https://spam.example"))
    assert robot["Location"] == reverse("accessibility_feedback_thanks")  # thanked as before
    assert client.post(reverse("accessibility_feedback"), feedback_data()).status_code == 302
    assert AccessibilityFeedback.objects.count() == 1


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client):
    page = client.get(reverse("accessibility_feedback")).text
    assert '<div class="hp-field" aria-hidden="true">' in page
    assert 'name="website"' in page and 'tabindex="-1"' in page


def test_a_client_sending_too_much_feedback_is_told_to_wait_and_keeps_the_text(client, settings):
    settings.FEEDBACK_RATE_LIMIT, settings.FEEDBACK_RATE_LIMIT_WINDOW = 2, 3600
    for _ in range(2):
        assert client.post(reverse("accessibility_feedback"), feedback_data()).status_code == 302
    response = client.post(reverse("accessibility_feedback"), feedback_data(message="Kolmas viesti samasta asiasta."))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert "Viestiäsi ei lähetetty" in response.text
    assert settings.ORGANISATION["accessibility_email"] in response.text
    assert "Kolmas viesti samasta asiasta." in response.text  # nothing the visitor wrote is lost
    assert AccessibilityFeedback.objects.count() == 2


def test_the_feedback_limit_counts_each_client_address_on_its_own(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    assert client.post(reverse("accessibility_feedback"), feedback_data(), REMOTE_ADDR="192.0.2.1").status_code == 302
    assert client.post(reverse("accessibility_feedback"), feedback_data(), REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.post(reverse("accessibility_feedback"), feedback_data(), REMOTE_ADDR="192.0.2.2").status_code == 302
    assert AccessibilityFeedback.objects.count() == 2


def test_mistakes_in_the_form_do_not_use_up_the_feedback_limit(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    for _ in range(3):
        assert client.post(reverse("accessibility_feedback"), feedback_data(message="")).status_code == 200
    assert client.post(reverse("accessibility_feedback"), feedback_data()).status_code == 302
    assert AccessibilityFeedback.objects.count() == 1


def test_a_zero_feedback_limit_turns_it_off(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 0
    for _ in range(3):
        assert client.post(reverse("accessibility_feedback"), feedback_data()).status_code == 302
    assert AccessibilityFeedback.objects.count() == 3


def test_the_feedback_limit_message_is_in_english_on_the_english_page(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("accessibility_feedback"), feedback_data())
    response = client.post(reverse("accessibility_feedback"), feedback_data())
    assert response.status_code == 429
    assert "Your message was not sent" in response.text


def test_the_form_needs_a_csrf_token(org):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("accessibility_feedback"), feedback_data())
    assert response.status_code == 403
    assert not AccessibilityFeedback.objects.exists()


# --- The ICT secretary's list and answers -------------------------------------------------------------------


def test_the_list_shows_overdue_feedback_first_and_in_words(client_for, org):
    late = services.submit_feedback(message="Vanha palaute.", received_at=timezone.now() - datetime.timedelta(days=20))
    fresh = services.submit_feedback(message="Uusi palaute.")
    response = client_for("ict_secretary").get(reverse("accessibility_feedback_list"))
    assert [f.pk for f in response.context["page"]] == [late.pk, fresh.pk]
    assert response.context["counts"] == {"open": 2, "overdue": 1, "answered": 0, "all": 2}
    assert "1 palaute on myöhässä." in response.text
    assert "Myöhässä" in response.text and "Avoin" in response.text


def test_the_list_filters_by_state(client_for, org):
    services.submit_feedback(message="Vanha palaute.", received_at=timezone.now() - datetime.timedelta(days=20))
    answered = services.submit_feedback(message="Vastattu palaute.")
    services.mark_feedback_answered(org.users["ict_secretary"], answered, answered_on=timezone.localdate(), note="OK")
    client = client_for("ict_secretary")
    assert [f.pk for f in client.get(reverse("accessibility_feedback_list"), {"show": "answered"}).context["page"]] == [
        answered.pk
    ]
    assert len(client.get(reverse("accessibility_feedback_list"), {"show": "overdue"}).context["page"]) == 1
    assert len(client.get(reverse("accessibility_feedback_list"), {"show": "all"}).context["page"]) == 2
    assert client.get(reverse("accessibility_feedback_list"), {"show": "nonsense"}).context["show"] == "open"


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_takes_the_same_queries_whatever_the_feedback(client_for, org, django_assert_num_queries, count):
    for n in range(count):
        feedback = services.submit_feedback(message=f"Palaute {n}.")
        if n % 3 == 0:
            services.mark_feedback_answered(
                org.users["ict_secretary"], feedback, answered_on=timezone.localdate(), note="OK"
            )
    client = client_for("ict_secretary")
    client.get(reverse("accessibility_feedback_list"), {"show": "all"})
    # session, user, groups, own person (navigation), counts, page count, page rows (with who answered)
    # (no session save: SlidingSessionMiddleware): the same for 3 or 30 messages
    with django_assert_num_queries(7):
        client.get(reverse("accessibility_feedback_list"), {"show": "all"})


def test_the_ict_secretary_marks_feedback_answered(client_for, org):
    feedback = services.submit_feedback(message="Palaute.", email="kaisa@example.invalid")
    client = client_for("ict_secretary")
    detail = client.get(reverse("accessibility_feedback_detail", args=[feedback.pk])).text
    assert "Palaute." in detail and "mailto:kaisa@example.invalid" in detail
    today = timezone.localdate()
    response = client.post(
        reverse("accessibility_feedback_answer", args=[feedback.pk]),
        {"answered_on": today.isoformat(), "note": "Vastattu sähköpostilla; korjaus tulossa."},
    )
    assert response["Location"] == reverse("accessibility_feedback_list")
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ANSWERED and feedback.answered_on == today
    assert feedback.answered_by == org.users["ict_secretary"] and feedback.answered_marked_at
    detail = client.get(reverse("accessibility_feedback_detail", args=[feedback.pk])).text
    assert "Vastattu sähköpostilla; korjaus tulossa." in detail


@pytest.mark.parametrize(
    "data, message",
    [
        ({"answered_on": "", "note": "x"}, "Tämä kenttä vaaditaan"),
        ({"answered_on": "2999-01-01", "note": "x"}, "tulevaisuudessa"),
        ({"answered_on": "2000-01-01", "note": "x"}, "ennen palautteen saapumista"),
        ({"answered_on": "nyt", "note": "x"}, "Syötä oikea päivämäärä"),
        ({"answered_on": "2026-11-25", "note": ""}, "Tämä kenttä vaaditaan"),
    ],
    ids=["no date", "future", "before receipt", "not a date", "no note"],
)
def test_a_bad_answer_is_refused_and_changes_nothing(client_for, data, message):
    feedback = services.submit_feedback(message="Palaute.", received_at=_received(20, 10))
    response = client_for("ict_secretary").post(reverse("accessibility_feedback_answer", args=[feedback.pk]), data)
    assert response.status_code == 200
    assert message in response.text
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.OPEN and feedback.answered_on is None


def test_feedback_is_answered_only_once(org):
    ict = org.users["ict_secretary"]
    feedback = services.submit_feedback(message="Palaute.")
    services.mark_feedback_answered(ict, feedback, answered_on=timezone.localdate(), note="Ensimmäinen.")
    with pytest.raises(ValidationError, match="jo merkitty"):
        services.mark_feedback_answered(ict, feedback, answered_on=timezone.localdate(), note="Toinen.")
    feedback.refresh_from_db()
    assert feedback.answer_note == "Ensimmäinen."


@pytest.mark.parametrize("role", ["staff", "supervisor", "area_head", "municipal_manager", "outsider"])
def test_only_the_ict_secretary_marks_feedback_answered(org, role):
    feedback = services.submit_feedback(message="Palaute.")
    with pytest.raises(PermissionDenied):
        services.mark_feedback_answered(org.users[role], feedback, answered_on=timezone.localdate(), note="x")
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.OPEN


def test_the_database_requires_an_answer_date_for_answered_feedback():
    feedback = services.submit_feedback(message="Palaute.")
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessibilityFeedback.objects.filter(pk=feedback.pk).update(status=FeedbackStatus.ANSWERED)
    feedback.status = FeedbackStatus.ANSWERED
    with pytest.raises(ValidationError):
        feedback.clean()


def test_the_ict_secretary_sees_the_feedback_link_in_the_navigation(client_for):
    assert reverse("accessibility_feedback_list") in client_for("ict_secretary").get(reverse("home")).text
    assert reverse("accessibility_feedback_list") not in client_for("staff").get(reverse("home")).text


def test_the_addresses_skip_people_without_any_e_mail(org):
    user = make_user("ict3", Role.ICT_SECRETARY)
    make_person(unit=org.unit, user=user, work_email="")
    assert [address for address, _language in ict_secretary_recipients()] == [org.person("ict_secretary").work_email]
