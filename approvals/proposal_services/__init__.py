"""Every operation on a channel proposal. Views, admin, commands and the demo call these functions.

Each transition checks the proposal's current state and who acts, runs in one transaction with the
proposal's row locked (so two deciders pressing a button at once produce one decision), records a
``ProposalEvent`` (django-simple-history keeps every field change too), and sends its e-mail only after
the transaction has committed. A refused operation raises ``ProposalError`` with a message for people.

    draft --submit--> submitted --approve--> approved (the channel is created in the registry)
      ^                 |  |
      |                 |  +--reject--> rejected
      |                 +--return_for_changes--> returned --submit--> submitted ...
    draft / returned --withdraw--> withdrawn
"""

# The operations live in three modules by meaning; import them from here.
from approvals.proposal_services.common import (  # noqa: F401
    PROPOSAL_FIELDS,
    ProposalError,
    ProposalIncomplete,
    clash_message,
    deciders_for,
    error_messages,
    not_awaiting_message,
    proposable_units,
    registry_clash,
)
from approvals.proposal_services.decisions import (  # noqa: F401
    approve,
    is_decider,
    reject,
    return_for_changes,
)
from approvals.proposal_services.drafting import (  # noqa: F401
    create_draft,
    missing_for_submission,
    submit,
    update_draft,
    withdraw,
)
