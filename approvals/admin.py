"""Admin for governance models (proposals, decisions, authorisations, rules) as they are added."""
