"""Governance: proposals and decisions, authorisations, policy rules, reviews.

One module per capability; each model is imported here so Django and other code find it
as ``approvals.models.X``.
"""

from approvals.models.authorisations import Authorisation, AuthorisationScope, AuthorisationState  # noqa: F401
