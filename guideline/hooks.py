"""Extension point: what elsewhere in the portal cites a section of the guideline.

The guideline pages show beside each section the policy rules that cite it. Policy rules live in
``approvals`` (``approvals.PolicyRule`` with a reference to a section), and somegov never imports
approvals: the arrow points the other way. So approvals registers a *citation provider* here, in its
``AppConfig.ready()``::

    from guideline.hooks import Citation, register_citation_provider

    def policy_rules_citing(sections, user):
        slugs = {section.slug for section in sections}
        cited = defaultdict(list)
        for rule in PolicyRule.objects.filter(section_slug__in=slugs).order_by("code"):  # one query
            cited[rule.section_slug].append(Citation(rule.display_title, rule.get_absolute_url(), _("Policy rule")))
        return cited

    register_citation_provider(policy_rules_citing)

A provider is called once per page with every section shown (so it can answer with one query and the
page's query count stays constant) and the user (possibly anonymous: the reading pages are public, so
hide what they may not see). It returns a mapping ``{section slug: [Citation, ...]}``.

Cite sections by their **slug**: a new version of the guideline copies the sections of the published one
with the same slugs, so a rule that cites ``palvelujen-kayttoonotto`` keeps pointing at §3 after a new
version is published. (A foreign key to ``GuidelineSection`` would pin the rule to one version's row;
if approvals prefers that, match on ``rule.section.slug``.) ``section_url(slug)`` gives the link to a
section of the current version.
"""

import dataclasses
from collections.abc import Callable, Iterable

from django.urls import reverse


@dataclasses.dataclass(frozen=True)
class Citation:
    """Something that cites a section: shown as a link (or text) in the section's margin."""

    label: str
    url: str = ""
    kind: str = ""


CitationProvider = Callable[[list, object], dict]
_providers: list[CitationProvider] = []


def register_citation_provider(provider):
    """Add a provider (idempotent, so a second ``ready()`` does not show every citation twice)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister_citation_provider(provider):
    if provider in _providers:
        _providers.remove(provider)


def citations_for(sections: Iterable, user) -> dict[str, list[Citation]]:
    """Every registered provider's citations of the given sections, keyed by section slug."""
    sections = list(sections)
    merged: dict[str, list[Citation]] = {}
    for provider in _providers:
        for slug, citations in (provider(sections, user) or {}).items():
            merged.setdefault(slug, []).extend(citations)
    return merged


def section_url(slug):
    """The address of a section of the guideline in force (a page anchor)."""
    return f"{reverse('guideline')}#{slug}"
