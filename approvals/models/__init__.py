"""Governance: proposals and decisions, authorisations, policy rules, reviews.

One module per capability; each model is imported here so Django and other code find it
as ``approvals.models.X``.
"""

from approvals.models.authorisations import Authorisation, AuthorisationScope, AuthorisationState  # noqa: F401
from approvals.models.proposals import *  # noqa: F403  channel proposals and decisions (see its __all__)
from approvals.models.reviews import *  # noqa: F403  periodic reviews and reminders (see its __all__)
from approvals.models.rules import *  # noqa: F403  the policy checklist (see its __all__)
