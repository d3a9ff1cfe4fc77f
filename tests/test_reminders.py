"""send_reminders: who is told what, once a day, also when two runs race; --dry-run changes nothing."""

import datetime
import threading
import traceback
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from approvals.models import ProposalStatus, ReminderKind, ReminderSent
from approvals.reminders import due_items, send_reminders
from tests.authorisation_factories import authorise
from tests.proposal_builders import make_proposal
from tests.registry_helpers import make_channel, make_right


def _setup(org):
    today = timezone.localdate()
    make_channel(
        org.unit, name="Kirjaston Facebook", responsible_person=org.people["staff"], next_review_on=today
    )  # due today
    make_channel(
        org.unit,
        name="Myöhässä",
        responsible_person=org.people["staff"],
        next_review_on=today - datetime.timedelta(days=3),
    )
    make_channel(
        org.unit, name="Kaukana", responsible_person=org.people["staff"], next_review_on=today + datetime.timedelta(60)
    )
    authorise(org.people["staff"], org.people["supervisor"], valid_until=today + datetime.timedelta(days=10))
    make_proposal(org, ProposalStatus.SUBMITTED)
    leaver_channel = make_channel(org.unit, name="Lähtijän kanava")
    org.people["outsider"].left_on = today - datetime.timedelta(days=1)
    org.people["outsider"].save()
    make_right(leaver_channel, org.people["outsider"])


def _command(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_it_reminds_each_person_of_what_is_theirs(org):
    _setup(org)
    mail.outbox.clear()
    output = _command()
    kinds = {(item.recipient, item.kind) for item in due_items()}
    staff, supervisor = org.people["staff"].work_email, org.people["supervisor"].work_email
    assert (staff, ReminderKind.REVIEW_DUE) in kinds
    assert (staff, ReminderKind.AUTHORISATION_ENDING) in kinds
    assert (supervisor, ReminderKind.AUTHORISATION_ENDING) in kinds
    assert (org.people["area_head"].work_email, ReminderKind.PROPOSAL_WAITING) in kinds
    assert (org.people["municipal_manager"].work_email, ReminderKind.PROPOSAL_WAITING) in kinds
    assert (org.people["ict_secretary"].work_email, ReminderKind.RIGHT_TO_REVOKE) in kinds
    staff_mail = [message for message in mail.outbox if message.to == [staff]]
    assert len(staff_mail) == 1  # one message per person, listing everything
    body = staff_mail[0].body
    assert "Kirjaston Facebook" in body and "Myöhässä" in body and "Kaukana" not in body
    assert "katselmointi erääntyi" in body  # in Finnish
    assert f"{settings.SITE_URL}/katselmoinnit/kanava/" in body
    assert output.strip().splitlines()[-1].startswith("send_reminders: sent")
    assert ReminderSent.objects.count() == len(due_items())


def test_a_second_run_the_same_day_sends_nothing_new(org):
    _setup(org)
    _command()
    count = ReminderSent.objects.count()
    mail.outbox.clear()
    output = _command()
    assert mail.outbox == []
    assert ReminderSent.objects.count() == count
    assert f"sent 0 reminder(s) in 0 e-mail(s); {count} already sent today." in output


def test_the_next_day_reminds_again(org):
    _setup(org)
    send_reminders()
    mail.outbox.clear()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    sent, _grouped, _skipped = send_reminders(on=tomorrow)
    assert sent and mail.outbox


def test_dry_run_prints_and_changes_nothing(org):
    _setup(org)
    mail.outbox.clear()
    output = _command("--dry-run")
    assert mail.outbox == []
    assert ReminderSent.objects.count() == 0
    assert org.people["staff"].work_email in output
    assert "would send" in output.splitlines()[-1]


def test_nothing_to_do_sends_nothing(org):
    mail.outbox.clear()
    assert "sent 0 reminder(s)" in _command()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(org):
    _setup(org)
    mail.outbox.clear()
    expected = len(due_items())
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait(timeout=30)
            send_reminders()
        except Exception:  # reported below
            errors.append(traceback.format_exc())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, "\n".join(errors)
    assert ReminderSent.objects.count() == expected
    items_mailed = sum(message.body.count("\n- ") for message in mail.outbox)
    assert items_mailed == expected
