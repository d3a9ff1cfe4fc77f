"""Governance: proposals and decisions, authorisations, policy rules, reviews."""
