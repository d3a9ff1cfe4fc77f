"""Two deciders pressing a button at the same moment: one decision, one channel, a clear message for the other.

The deciders run in two threads with their own database connections, released together by a barrier.
PostgreSQL makes the second wait on the proposal's row lock and then see the first decision; SQLite
serialises the writers (the service retries the refused one from the start), with the same outcome.
"""

import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from approvals import proposal_services as services
from approvals.models import Proposal, ProposalEventKind, ProposalStatus
from channels.models import Channel, UpdateRight
from tests.proposal_builders import make_proposal

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 3


def _race(calls):
    """Run each call in its own thread, all released at once; returns what each call produced."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            call()
            results[index] = ("done", None)
        except services.ProposalError as exc:
            results[index] = ("refused", " ".join(services.error_messages(exc)))
        except Exception as exc:  # anything else is a failure of the test, reported below
            results[index] = ("crashed", repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a decider never finished"
    return results


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_deciders_approving_at_once_make_one_decision(org, round_):
    proposal = make_proposal(org, ProposalStatus.SUBMITTED, name=f"Kilpailu {round_}", address=f"@kilpailu{round_}")
    mail.outbox.clear()
    responsible = org.person("supervisor")

    def approve_as(role):
        # Each decider has the page open: their own copy of the proposal, read before pressing the button.
        seen = Proposal.objects.get(pk=proposal.pk)
        return lambda: services.approve(seen, actor=org.users[role], responsible_person=responsible, goals="T")

    results = _race([approve_as("area_head"), approve_as("municipal_manager")])

    assert sorted(kind for kind, _message in results) == ["done", "refused"], results
    (message,) = [message for kind, message in results if kind == "refused"]
    assert "hyväksyi tämän ehdotuksen jo" in message
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert Channel.objects.filter(name=f"Kilpailu {round_}").count() == 1
    assert proposal.events.filter(kind=ProposalEventKind.APPROVED).count() == 1
    assert UpdateRight.objects.filter(channel=proposal.channel).count() == 2
    # Only the winner's e-mail went out: one message to each of the three people concerned.
    assert len([m for m in mail.outbox if m.subject.startswith("Uusi kanava hyväksytty")]) == 3


def test_approve_and_reject_at_once_leave_one_decision(org):
    proposal = make_proposal(org, ProposalStatus.SUBMITTED)
    seen_by_head, seen_by_manager = Proposal.objects.get(pk=proposal.pk), Proposal.objects.get(pk=proposal.pk)
    results = _race(
        [
            lambda: services.approve(
                seen_by_head, actor=org.users["area_head"], responsible_person=org.person("supervisor"), goals="T"
            ),
            lambda: services.reject(seen_by_manager, actor=org.users["municipal_manager"], reason="Ei"),
        ]
    )
    assert sorted(kind for kind, _message in results) == ["done", "refused"], results
    proposal.refresh_from_db()
    decided = proposal.events.filter(kind__in=[ProposalEventKind.APPROVED, ProposalEventKind.REJECTED])
    assert decided.count() == 1
    assert Channel.objects.count() == (1 if proposal.status == ProposalStatus.APPROVED else 0)


def test_the_decision_reads_the_proposal_under_a_row_lock(org):
    proposal = make_proposal(org, ProposalStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as queries:
        services.reject(proposal, actor=org.users["area_head"], reason="Ei")
    first_read = next(q["sql"] for q in queries if 'FROM "approvals_proposal"' in q["sql"])
    # SQLite has no row locks (it serialises writers instead); every other backend must lock the row.
    assert ("FOR UPDATE" in first_read) == connection.features.has_select_for_update
