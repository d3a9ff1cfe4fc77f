"""Record a decision on a channel proposal from the command line, through the same service as the portal."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from approvals import proposal_services as services
from approvals.models import Proposal
from channels.models import Person


class Command(BaseCommand):
    help = (
        "Approve, return or reject a channel proposal as the given decider (the head of the proposing unit's "
        "responsibility area or the municipal manager). The same checks and e-mails as in the portal apply."
    )

    def add_arguments(self, parser):
        parser.add_argument("proposal", type=int, help="The proposal's number.")
        parser.add_argument("decision", choices=["approve", "return", "reject"])
        parser.add_argument("--as", dest="username", required=True, help="The decider's username.")
        parser.add_argument("--comment", default="", help="What to change (return) or the reason (reject).")
        parser.add_argument("--responsible", type=int, help="Approve: the responsible person's id (default: proposed).")
        parser.add_argument("--goals", help="Approve: the goals (default: as proposed).")
        parser.add_argument("--conditions", default="", help="Approve: conditions of the decision.")
        parser.add_argument("--reference", default="", help="Approve: the decision's reference.")

    def handle(self, *args, **options):
        try:
            proposal = Proposal.objects.get(pk=options["proposal"])
        except Proposal.DoesNotExist as exc:
            raise CommandError(f"No proposal {options['proposal']}.") from exc
        try:
            actor = get_user_model().objects.get(username=options["username"])
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user {options['username']}.") from exc
        try:
            if options["decision"] == "approve":
                responsible = proposal.responsible_person
                if options["responsible"]:
                    responsible = Person.objects.filter(pk=options["responsible"]).first()
                    if responsible is None:
                        raise CommandError(f"No person {options['responsible']}.")
                proposal = services.approve(
                    proposal,
                    actor=actor,
                    responsible_person=responsible,
                    goals=proposal.goals if options["goals"] is None else options["goals"],
                    conditions=options["conditions"],
                    decision_reference=options["reference"],
                )
            elif options["decision"] == "return":
                proposal = services.return_for_changes(proposal, actor=actor, comment=options["comment"])
            else:
                proposal = services.reject(proposal, actor=actor, reason=options["comment"])
        except services.ProposalError as exc:
            messages = (
                [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages
            )
            raise CommandError(" ".join(str(m) for m in messages)) from exc
        self.stdout.write(f"Proposal {proposal.pk} “{proposal.name}”: {proposal.get_status_display().lower()}.")
