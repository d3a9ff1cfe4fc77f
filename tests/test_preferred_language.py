"""A person's preferred language: kept on the person, set by the ICT secretary (admin) or by the person themselves
(the language switcher), and every e-mail to a person is written in it, also when a group is told."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from approvals import proposal_services
from approvals.models import ProposalStatus as S
from approvals.reminders import send_reminders
from channels import services as registry_services
from channels.models import Person
from core.roles import Role
from somegov import services as site_services
from tests.authorisation_factories import authorise
from tests.factories import make_person, make_user
from tests.proposal_builders import make_draft, make_proposal
from tests.registry_helpers import make_channel, make_right


def _speaks(person, language):
    person.preferred_language = language
    person.save(update_fields=["preferred_language"])
    return person


def _to(address):
    """The one message sent to ``address`` (each recipient gets their own)."""
    (message,) = [m for m in mail.outbox if address in m.to]
    assert message.to == [address]
    return message


# --- The model ---------------------------------------------------------------------------------------------


def test_a_person_writes_finnish_unless_told_otherwise(org):
    assert make_person(unit=org.unit).preferred_language == "fi"
    assert [code for code, _name in Person._meta.get_field("preferred_language").choices] == ["fi", "en"]


def test_the_model_and_the_database_refuse_an_unknown_language(org):
    person = org.person("staff")
    person.preferred_language = "de"
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "preferred_language" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(preferred_language="de")
    person.refresh_from_db()
    assert person.preferred_language == "fi"


# --- The service -------------------------------------------------------------------------------------------


def test_a_person_sets_their_own_language_and_the_history_says_who(org):
    person = registry_services.set_preferred_language(org.person("staff"), "en", actor=org.users["staff"])
    assert Person.objects.get(pk=person.pk).preferred_language == "en"
    assert person.history.first().history_user == org.users["staff"]


def test_the_ict_secretary_sets_anyones_language(org):
    registry_services.set_preferred_language(org.person("staff"), "en", actor=org.users["ict_secretary"])
    assert Person.objects.get(pk=org.person("staff").pk).preferred_language == "en"


@pytest.mark.parametrize("actor", ["supervisor", "outsider", "area_head", None])
def test_nobody_else_sets_a_persons_language(org, actor):
    history = org.person("staff").history.count()
    with pytest.raises(PermissionDenied):
        registry_services.set_preferred_language(org.person("staff"), "en", actor=org.users[actor] if actor else None)
    assert Person.objects.get(pk=org.person("staff").pk).preferred_language == "fi"
    assert org.person("staff").history.count() == history


def test_the_service_refuses_an_unknown_language_and_changes_nothing(org):
    history = org.person("staff").history.count()
    with pytest.raises(registry_services.RegistryError, match="Tuntematon kieli ”sv”"):
        registry_services.set_preferred_language(org.person("staff"), "sv", actor=org.users["staff"])
    assert Person.objects.get(pk=org.person("staff").pk).preferred_language == "fi"
    assert org.person("staff").history.count() == history


def test_choosing_the_same_language_again_writes_no_history(org):
    history = org.person("staff").history.count()
    registry_services.set_preferred_language(org.person("staff"), "fi", actor=org.users["staff"])
    assert org.person("staff").history.count() == history


# --- The language switcher ---------------------------------------------------------------------------------


def test_the_switcher_keeps_a_logged_in_persons_choice(client_for, org):
    client = client_for("staff")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/ohje/"})
    assert response.status_code == 302 and response["Location"] == "/ohje/"
    assert client.cookies["django_language"].value == "en"
    assert Person.objects.get(pk=org.person("staff").pk).preferred_language == "en"
    client.post(reverse("set_language"), {"language": "fi", "next": "/"})
    assert Person.objects.get(pk=org.person("staff").pk).preferred_language == "fi"


def test_the_switcher_changes_no_person_for_an_anonymous_visitor(client, org):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and client.cookies["django_language"].value == "en"
    assert set(Person.objects.values_list("preferred_language", flat=True)) == {"fi"}


def test_the_switcher_works_for_a_login_without_a_person(client, org):
    client.force_login(make_user("ilman-henkiloa", Role.STAFF))
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and client.cookies["django_language"].value == "en"
    assert set(Person.objects.values_list("preferred_language", flat=True)) == {"fi"}


@pytest.mark.parametrize("language", ["de", "sv", "x" * 50])
def test_the_switcher_refuses_an_unknown_language_and_changes_nothing(client_for, org, language):
    client = client_for("staff")
    response = client.post(reverse("set_language"), {"language": language, "next": "/ohje/"})
    assert response.status_code == 302 and response["Location"] == "/ohje/"
    assert "django_language" not in client.cookies
    assert Person.objects.get(pk=org.person("staff").pk).preferred_language == "fi"
    (message,) = get_messages(response.wsgi_request)
    assert str(message) == f"Tuntematon kieli ”{language[:20]}”. Valitse jokin näistä: suomi, englanti."


def test_a_refused_language_does_not_redirect_off_site(client_for):
    response = client_for("staff").post(reverse("set_language"), {"language": "de", "next": "https://evil.invalid/"})
    assert response["Location"] == "/"


# --- The admin and the person page -------------------------------------------------------------------------


def _admin_data(person, **overrides):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "title": person.title,
        "unit": person.unit_id,
        "supervisor": person.supervisor_id or "",
        "work_email": person.work_email,
        "work_phone": person.work_phone,
        "preferred_language": person.preferred_language,
        "user": person.user_id or "",
        "started_on": "",
        "left_on": "",
        "commitment_signed_on": "",
    }
    data.update(overrides)
    return data


def test_the_ict_secretary_sets_the_language_in_the_admin(client_for, org):
    person = org.person("staff")
    client = client_for("ict_secretary")
    url = reverse("admin:channels_person_change", args=[person.pk])
    assert 'name="preferred_language"' in client.get(url).text
    response = client.post(url, _admin_data(person, preferred_language="en"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.preferred_language == "en"
    assert person.history.first().history_user == org.users["ict_secretary"]


def test_the_admin_refuses_an_unknown_language_and_changes_nothing(client_for, org):
    person = org.person("staff")
    response = client_for("ict_secretary").post(
        reverse("admin:channels_person_change", args=[person.pk]), _admin_data(person, preferred_language="de")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["preferred_language"]
    assert errors == ["Valitse oikea vaihtoehto. de ei ole vaihtoehtojen joukossa."]
    person.refresh_from_db()
    assert person.preferred_language == "fi"


def test_the_person_page_shows_the_language(client_for, org):
    _speaks(org.person("staff"), "en")
    page = client_for("ict_secretary").get(reverse("channels:person_detail", args=[org.person("staff").pk])).text
    assert "Asiointikieli" in page and "englanti" in page
    assert "Kun vaihdat portaalin kieltä" not in page  # the hint is for one's own page


def test_ones_own_person_page_says_how_to_change_the_language(client_for, org):
    page = client_for("staff").get(reverse("channels:person_detail", args=[org.person("staff").pk])).text
    assert "Kun vaihdat portaalin kieltä (Suomeksi / In English), myös sähköpostisi" in page


# --- Every e-mail in its reader's language -----------------------------------------------------------------


def test_reminders_are_in_each_readers_language(org):
    today = timezone.localdate()
    staff, supervisor = _speaks(org.person("staff"), "en"), org.person("supervisor")
    make_channel(org.unit, name="Kirjaston Facebook", responsible_person=staff, next_review_on=today)
    authorise(staff, supervisor, valid_until=today + datetime.timedelta(days=10))
    mail.outbox.clear()
    send_reminders(today)
    english, finnish = _to(staff.work_email), _to(supervisor.work_email)
    date = f"{today.day}.{today.month}.{today.year}"
    ends = today + datetime.timedelta(days=10)
    assert english.subject == "Social media of Suomussalmi: 2 things to do"
    assert english.body.startswith("Hello Teemu Tervo,")
    assert f"Review of Kirjaston Facebook is due on {date}." in english.body
    assert f"The authorisation of Teemu Tervo ends on {ends.day}.{ends.month}.{ends.year}." in english.body
    assert finnish.subject == "Some (Suomussalmi): yksi tehtävä"
    assert finnish.body.startswith("Hei Sanna Saarinen,")
    assert f"Henkilön Teemu Tervo valtuutus päättyy {ends.day}.{ends.month}.{ends.year}." in finnish.body


def test_reminders_to_a_group_go_to_each_member_in_their_language(org):
    """The ICT secretaries (rights to revoke) and the deciders (a proposal waiting) are each told in their own."""
    second = make_user("ict2", Role.ICT_SECRETARY)
    _speaks(make_person("Eeva", "English", org.other_unit, user=second, work_email="eeva@suomussalmi.invalid"), "en")
    _speaks(org.person("area_head"), "en")
    leaver = make_person("Liisa", "Lähtinen", org.unit, left_on=timezone.localdate() - datetime.timedelta(days=1))
    make_right(make_channel(org.unit, name="Lähtijän kanava"), leaver)
    make_proposal(org, S.SUBMITTED)
    mail.outbox.clear()
    send_reminders()
    assert "Revoke or restore the basis of the right of Liisa Lähtinen" in _to("eeva@suomussalmi.invalid").body
    assert "Peru henkilön Liisa Lähtinen päivitysoikeus" in _to(org.person("ict_secretary").work_email).body
    assert "Proposal Kirjaston Instagram (Kirjastopalvelut) is waiting for your decision." in (
        _to(org.person("area_head").work_email).body
    )
    assert "Ehdotus Kirjaston Instagram (Kirjastopalvelut) odottaa päätöstäsi." in (
        _to(org.person("municipal_manager").work_email).body
    )


def test_a_submitted_proposal_tells_each_decider_in_their_language(org, django_capture_on_commit_callbacks):
    _speaks(org.person("area_head"), "en")
    draft = make_draft(org)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_services.submit(draft, actor=org.users["staff"])
    english, finnish = _to(org.person("area_head").work_email), _to(org.person("municipal_manager").work_email)
    assert english.subject == "Channel proposal awaits your decision: Kirjaston Instagram"
    assert english.body.startswith("Hello Veera Väisänen,")
    assert finnish.subject == "Kanavaehdotus odottaa päätöstäsi: Kirjaston Instagram"
    assert finnish.body.startswith("Hei Maija Mäkelä,")


def test_an_approval_tells_everyone_named_in_their_language(org, django_capture_on_commit_callbacks):
    _speaks(org.person("ict_secretary"), "en")
    _speaks(org.person("supervisor"), "en")
    proposal = make_proposal(org, S.SUBMITTED, language="en")  # the proposal's language decides nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_services.approve(
            proposal, actor=org.users["area_head"], responsible_person=org.person("supervisor"), goals="Tavoite"
        )
    for key in ("ict_secretary", "supervisor"):
        message = _to(org.person(key).work_email)
        assert message.subject == "New channel approved: Kirjaston Instagram"
        assert f"Veera Väisänen approved on {timezone.localdate():%-d.%-m.%Y} the introduction" in message.body
    assert "You are named the channel's responsible person." in _to(org.person("supervisor").work_email).body
    staff = _to(org.person("staff").work_email)
    assert staff.subject == "Uusi kanava hyväksytty: Kirjaston Instagram"
    assert "Ehdotit tätä kanavaa." in staff.body


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("en", "Your channel proposal was rejected: Kirjaston Instagram"),
        ("fi", "Kanavaehdotuksesi hylättiin: Kirjaston Instagram"),
    ],
)
def test_a_rejection_tells_the_proposer_in_their_language(org, django_capture_on_commit_callbacks, language, subject):
    _speaks(org.person("staff"), language)
    proposal = make_proposal(org, S.SUBMITTED, language="en" if language == "fi" else "fi")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_services.reject(proposal, actor=org.users["area_head"], reason="Ei tue kuntastrategiaa.")
    assert _to(org.person("staff").work_email).subject == subject


def test_a_login_without_a_person_gets_the_proposals_language(org, django_capture_on_commit_callbacks):
    """Someone who drafted for another person but is not in the registry: the language they drafted in."""
    helper = make_user("avustaja", Role.STAFF, email="avustaja@suomussalmi.invalid")
    proposal = make_proposal(org, S.SUBMITTED, language="en")
    proposal.created_by = helper
    proposal.save(update_fields=["created_by"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_services.reject(proposal, actor=org.users["area_head"], reason="Ei")
    assert _to("avustaja@suomussalmi.invalid").subject == "Your channel proposal was rejected: Kirjaston Instagram"
    assert _to(org.person("staff").work_email).subject == "Kanavaehdotuksesi hylättiin: Kirjaston Instagram"


def test_accessibility_feedback_tells_each_ict_secretary_in_their_language(org, django_capture_on_commit_callbacks):
    second = make_user("ict2", Role.ICT_SECRETARY, email="ict2@suomussalmi.invalid")
    eeva = _speaks(make_person("Eeva", "English", org.other_unit, user=second), "en")
    received = datetime.datetime(2026, 11, 25, 10, tzinfo=datetime.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        site_services.submit_feedback(message="Linkit eivät erotu.", received_at=received)
    # To the person's work e-mail, as every other message (core.mail.recipient), not the login's address.
    english, finnish = _to(eeva.work_email), _to(org.person("ict_secretary").work_email)
    assert english.subject == "Accessibility feedback: answer by 9.12.2026"
    assert "asks for an answer within 14 days" in english.body
    assert finnish.subject == "Saavutettavuuspalaute: vastaa viimeistään 9.12.2026"
    assert "Linkit eivät erotu." in english.body and "Linkit eivät erotu." in finnish.body
