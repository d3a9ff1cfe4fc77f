"""The retention periods the privacy notice states, applied by the daily ``purge_personal_data`` command.

People who left the municipality's service more than ``RETENTION_LEFT_STAFF_YEARS`` ago are anonymised, not
deleted: decisions, authorisations, update rights and the registry's history refer to the person, and they are
public records that are never hard-deleted (channels are retired, rights and authorisations revoked). What
identifies the person goes:

* the name (a neutral placeholder, ``Poistunut henkilö #<number>``), title, work e-mail and phone, supervisor,
  starting date, the date the commitment was signed and the link to the login, in the person's row and in
  every history row of the person (django-simple-history), so no old version shows them either; the person's
  unit and leaving date stay, with the date of anonymisation (``Person.anonymised_on``);
* the login: deactivated, renamed ``poistettu-<number>``, no name, e-mail, password, roles or permissions (it
  stays, because the history of what the person did points to it). ``auth.User`` has no history here;
* the guideline acknowledgements: they serve to follow who has read the version in force, are no decision,
  authorisation or right, and nothing refers to them, so after the retention period they serve nothing;
* the record of reminders sent to the person's addresses (``approvals.reminders.forget_reminders_sent``).

What stays, and why: the decisions, authorisations and rights themselves, pointing to the anonymised entry, and
a proposal's timeline with the name of who acted on it (``ProposalEvent.actor_name``): these are the
municipality's records, kept as its records management plan says. The logs (the audit log, the admin's log)
are not edited: a log is evidence only while nobody changes it, and ``purge_audit_log`` deletes it after its
own retention period.

A person who has left but still has a duty in the registry (``channels.models.PERSON_DUTIES``: a current
update right, responsible person or holiday cover of a channel in use, head of a unit) is skipped and
reported: the registry flags these as problems to fix first, and an anonymous name would hide who is meant.

Accessibility feedback answered more than ``RETENTION_FEEDBACK_YEARS`` ago is deleted; open feedback stays.

Dates count in the portal's time zone: data is kept for the whole period, and removed the day after it ends.
"""

import dataclasses

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from approvals.reminders import forget_reminders_sent
from channels.models import ANONYMISED_FIRST_NAME, PERSON_DUTIES, Person, anonymised_last_name
from guideline.models import GuidelineAcknowledgement
from somegov.models import AccessibilityFeedback

# The reason recorded in the person's history (data, in the registry's language, like the placeholder name).
ANONYMISED_REASON = "Tiedot poistettu: säilytysaika palvelussuhteen päättymisestä on kulunut (tietosuojaseloste)."


class RetentionError(Exception):
    """A person cannot be anonymised (yet); the message says why, for the operator."""


class PersonHasDuties(RetentionError):
    def __init__(self, person, duties):
        self.person, self.duties = person, duties
        super().__init__(f"person #{person.pk} still {'; '.join(str(duty) for duty in duties)}")


def years_before(day, years):
    """The same day ``years`` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def left_staff_cutoff(on=None):
    """People who left before this day are past retention on ``on`` (today)."""
    return years_before(on or timezone.localdate(), settings.RETENTION_LEFT_STAFF_YEARS)


def feedback_cutoff(on=None):
    """Feedback answered before this day is past retention on ``on`` (today)."""
    return years_before(on or timezone.localdate(), settings.RETENTION_FEEDBACK_YEARS)


def people_past_retention(on=None):
    """People to anonymise, oldest entry first, annotated with their current duties (see ``duties_of``)."""
    return Person.objects.past_retention(left_staff_cutoff(on)).with_current_duties().order_by("left_on", "pk")


def duties_of(person):
    """What a person from ``with_current_duties()`` still does in the registry, as labels (empty: nothing)."""
    return [label for name, label in PERSON_DUTIES.items() if getattr(person, name)]


def feedback_past_retention(on=None):
    return AccessibilityFeedback.objects.answered_before(feedback_cutoff(on))


@dataclasses.dataclass(frozen=True)
class Anonymised:
    """What ``anonymise_person`` removed (counts only: no personal data)."""

    person_pk: int
    history_rows: int
    logins: int
    acknowledgements: int
    other_rows: int


def _scrubbed_fields(pk):
    return {
        "first_name": ANONYMISED_FIRST_NAME,
        "last_name": anonymised_last_name(pk),
        "title": "",
        "work_email": "",
        "work_phone": "",
        "user": None,
        "supervisor": None,
        "started_on": None,
        "commitment_signed_on": None,
    }


def _logins_of(person):
    """The logins to empty: the one linked now, and one linked before that nobody uses (inactive, unlinked).

    An active login that was once linked is left alone: it may have been linked by mistake and be someone's.
    """
    User = get_user_model()
    former = set(Person.history.filter(id=person.pk, user__isnull=False).values_list("user_id", flat=True))
    former.discard(person.user_id)
    linked_to_others = Person.objects.exclude(pk=person.pk).filter(user__isnull=False).values("user_id")
    current = User.objects.filter(pk=person.user_id)
    unused = User.objects.filter(pk__in=former, is_active=False).exclude(pk__in=linked_to_others)
    return list((current | unused).order_by("pk").select_for_update())


def _addresses_only_of(person, logins):
    """The person's e-mail addresses, now and in their history (lower case), that no other person or login of the
    registry uses."""
    User = get_user_model()
    login_pks = [login.pk for login in logins]
    earlier = Person.history.filter(id=person.pk).values_list("work_email", flat=True)
    candidates = [person.work_email, *earlier, *(login.email for login in logins)]
    addresses = {address.strip().lower() for address in candidates if address}
    return {
        address
        for address in addresses
        if not Person.objects.exclude(pk=person.pk).filter(work_email__iexact=address).exists()
        and not User.objects.exclude(pk__in=login_pks).filter(email__iexact=address).exists()
    }


def _neutral_username(person, login, taken):
    User = get_user_model()
    base = candidate = f"poistettu-{person.pk}"
    n = 1
    while candidate in taken or User.objects.exclude(pk=login.pk).filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _empty_login(person, login, taken):
    login.username = _neutral_username(person, login, taken)
    login.first_name = login.last_name = login.email = ""
    login.is_active = login.is_staff = login.is_superuser = False
    login.last_login = None
    login.set_unusable_password()
    login.save()
    login.groups.clear()
    login.user_permissions.clear()
    return login.username


@transaction.atomic
def anonymise_person(person, *, on=None):
    """Remove what identifies ``person``, who left more than ``RETENTION_LEFT_STAFF_YEARS`` ago (see the module).

    Idempotent: returns None for a person already anonymised. Raises ``PersonHasDuties`` while the person
    still has a duty in the registry, and ``RetentionError`` before the retention period has passed.
    Side effects, all in one transaction: the person's row (a new history row records the anonymisation, by
    nobody, with ``ANONYMISED_REASON``), every earlier history row of the person, the logins, the
    acknowledgements and the reminders sent to the person's own addresses. Returns an ``Anonymised`` with the counts.
    """
    on = on or timezone.localdate()
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_on is not None:
        return None
    if person.left_on is None or person.left_on >= left_staff_cutoff(on):
        raise RetentionError(f"person #{person.pk} has not been gone for the retention period")
    duties = duties_of(Person.objects.filter(pk=person.pk).with_current_duties().get())
    if duties:
        raise PersonHasDuties(person, duties)

    logins = _logins_of(person)
    addresses = _addresses_only_of(person, logins)
    acknowledgements, _by_model = GuidelineAcknowledgement.objects.filter(user__in=logins).delete()
    other_rows = forget_reminders_sent(person, addresses)

    scrubbed = _scrubbed_fields(person.pk)
    # The earlier versions first: the save below adds the version that records the anonymisation and its reason.
    history_rows = Person.history.filter(id=person.pk).update(**scrubbed, history_change_reason=None)
    for name, value in scrubbed.items():
        setattr(person, name, value)
    person.anonymised_on = on
    person._change_reason = ANONYMISED_REASON
    person._history_user = None
    person.save()

    taken = set()
    for login in logins:
        taken.add(_empty_login(person, login, taken))
    return Anonymised(person.pk, history_rows, len(logins), acknowledgements, other_rows)


@transaction.atomic
def delete_feedback_past_retention(on=None):
    """Delete accessibility feedback answered more than ``RETENTION_FEEDBACK_YEARS`` ago; returns how many."""
    deleted, _by_model = feedback_past_retention(on).delete()
    return deleted
