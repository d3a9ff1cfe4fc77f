"""How the governance app plugs into the registry (channels), the guideline pages (somegov) and its own pages.

channels and somegov never import approvals: they offer registration points, and ``ApprovalsConfig.ready()``
calls ``connect()`` to fill them:

* ``channels.services.register_grant_check``: the authorisation and commitment rule (§3, §5) for every grant.
* ``channels.problems.register_problem``: "a current right without a valid authorisation or commitment", an
  SQL condition, so the registry list's problem filter and counts stay at a constant number of queries.
* ``channels.extensions.register_person_section``: a person's authorisations on the registry's person page,
  with grant/extend/revoke links for those who may use them.
* ``channels.extensions.register_channel_section``: on the channel page, who may act on the channel and the
  rights without basis, each one click from revocation.
* ``guideline.hooks.register_citation_provider``: the policy rules citing each guideline section.

Every function here keeps the page it serves at a constant number of queries.
"""

from collections import defaultdict

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals import authorisation_services as services
from approvals.models import Authorisation, PolicyRule
from channels.extensions import Section
from channels.models import Channel, UpdateRight
from channels.problems import ProblemKind, register_problem
from core.access import is_ict_secretary
from guideline.hooks import Citation

# --- The registry's problem -------------------------------------------------------------------------------


def _right_without_basis(on):
    """A current right on the channel whose holder lacks a valid covering authorisation or the commitment."""
    covering = Authorisation.objects.covering(OuterRef("channel"), on).filter(person=OuterRef("person"))
    no_commitment = Q(person__commitment_signed_on__isnull=True) | Q(person__commitment_signed_on__gt=on)
    rights = UpdateRight.objects.filter(channel=OuterRef("pk"), revoked_at__isnull=True)
    return Exists(rights.filter(~Exists(covering) | no_commitment))


RIGHT_WITHOUT_BASIS = ProblemKind(
    "right_without_basis",
    _("An update right without a valid supervisor authorisation or commitment"),
    _right_without_basis,
    section="§3, §5",
)


# --- Sections on the registry's pages ----------------------------------------------------------------------


def _may_handle_authorisations_of(user, person):
    """Whether ``user`` may authorise ``person`` (and extend or revoke their authorisations).

    The same rule as the authorisation pages' access helper: the ICT secretary for anyone but themselves, a
    supervisor for the people in their line.
    """
    me = services.person_of(user)
    if me is not None and me.pk == person.pk:
        return False
    if is_ict_secretary(user):
        return True
    if me is None or not services.is_supervising(user):
        return False
    return person.pk in services.line_of(me)


def person_authorisations_section(request, person):
    """The registry's person page: the person's authorisations, commitment and rights without basis."""
    on = timezone.localdate()
    authorisations = list(
        Authorisation.objects.filter(person=person)
        .select_related("person", "granted_by")
        .prefetch_related(Prefetch("channels", queryset=Channel.objects.select_related("platform")))
    )
    for authorisation in authorisations:
        authorisation.current_state = authorisation.state(on)
    rights = list(services.problems_for_person(person, on))
    for right in rights:
        right.problems = services.basis_problems(right, on)
    html = render_to_string(
        "approvals/integrations/person_section.html",
        {
            "person": person,
            "authorisations": authorisations,
            "rights_without_basis": rights,
            "committed": services.has_commitment(person, on),
            "may_handle": _may_handle_authorisations_of(request.user, person),
            "is_ict_secretary": is_ict_secretary(request.user),
        },
        request=request,
    )
    return Section(title=str(_("Supervisor authorisations")), html=html, slug="authorisations")


def channel_basis_section(request, channel):
    """The registry's channel page: who may act on the channel, and the rights without basis."""
    on = timezone.localdate()
    rights = list(
        services.rights_with_basis(on, UpdateRight.objects.current().filter(channel=channel))
        .select_related("person", "channel__platform")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    for right in rights:
        right.problems = services.basis_problems(right, on)
    html = render_to_string(
        "approvals/integrations/channel_section.html",
        {
            "channel": channel,
            "may_act": [right for right in rights if not right.problems],
            "without_basis": [right for right in rights if right.problems],
            "is_ict_secretary": is_ict_secretary(request.user),
            "next": request.get_full_path(),
        },
        request=request,
    )
    return Section(title=str(_("Who may act on the channel")), html=html, slug="who-may-act")


# --- Citations on the guideline pages ------------------------------------------------------------------------


def policy_rules_citing(sections, user):
    """{section slug: [Citation]}: the active policy rules citing each numbered section (one query)."""
    slugs_by_number = {str(section.number).strip().rstrip("."): section.slug for section in sections if section.number}
    if not slugs_by_number:
        return {}
    cited = defaultdict(list)
    label = _("Policy rule")
    for rule in PolicyRule.objects.active().exclude(sections="").order_by("position", "code"):
        for number in rule.section_numbers:
            slug = slugs_by_number.get(str(number))
            if slug:
                cited[slug].append(Citation(rule.display_title, "", str(label)))
    return dict(cited)


def connect():
    """Fill every registration point (idempotent: each registry replaces or ignores a second registration)."""
    from approvals.authorisation_services import authorisation_grant_check
    from channels.extensions import register_channel_section, register_person_section
    from channels.services import register_grant_check
    from guideline.hooks import register_citation_provider

    register_grant_check(authorisation_grant_check)
    register_problem(RIGHT_WITHOUT_BASIS)
    register_person_section(person_authorisations_section)
    register_channel_section(channel_basis_section)
    register_citation_provider(policy_rules_citing)
