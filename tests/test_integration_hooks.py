"""The features joined: each hook approvals fills in channels and somegov, and the rule from every entry point."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from approvals import proposal_services
from approvals.models import PolicyRule, Proposal, ProposalStatus
from channels.models import Channel, UpdateRight
from guideline.models import GuidelineAcknowledgement, GuidelineVersion
from tests.authorisation_factories import authorise, give_publishing_basis
from tests.proposal_builders import make_proposal
from tests.registry_helpers import healthy, make_channel, make_right

SECTION_3 = "palvelujen-kayttoonotto"


def _text(response):
    assert response.status_code == 200
    return response.content.decode()


# --- The registry's problem: a right without authorisation or commitment -----------------------------------


def test_the_problem_shows_on_the_channel_page_and_counts_in_the_list(org, client_for):
    ok = healthy(make_channel(org.unit, name="Kunnossa"), org)
    bad = make_channel(org.unit, name="Vailla perustetta")
    healthy(bad, org)
    Channel.objects.filter(pk=bad.pk).update(holiday_cover_arrangement="Sovittu")
    make_right(bad, org.people["outsider"])  # no authorisation, no commitment
    client = client_for("ict_secretary")
    listing = client.get(reverse("channels:registry"), {"problems": "right_without_basis"})
    assert [c.name for c in listing.context["page"]] == ["Vailla perustetta"]
    assert client.get(reverse("channels:registry")).context["counts"]["with_problems"] == 1
    page = _text(client.get(reverse("channels:channel_detail", args=[bad.pk])))
    assert "Päivitysoikeus ilman voimassa olevaa esihenkilön valtuutusta tai sitoumusta" in page
    assert "Päivitysoikeus ilman voimassa olevaa" not in _text(
        client.get(reverse("channels:channel_detail", args=[ok.pk]))
    )


def test_the_problem_clears_when_the_basis_is_given(org):
    channel = healthy(make_channel(org.unit), org)
    make_right(channel, org.people["area_head"])
    assert "right_without_basis" in {p.code for p in Channel.objects.get(pk=channel.pk).problems()}
    give_publishing_basis(org.people["area_head"])
    assert "right_without_basis" not in {p.code for p in Channel.objects.get(pk=channel.pk).problems()}


# --- Sections on the registry's pages ------------------------------------------------------------------------


def test_the_person_page_shows_authorisations_with_links_for_those_allowed(org, client_for):
    staff = org.people["staff"]
    authorisation = authorise(staff, valid_until=timezone.localdate() + timezone.timedelta(days=30))
    url = reverse("channels:person_detail", args=[staff.pk])
    supervisor_page = _text(client_for("supervisor").get(url))
    assert 'id="authorisations"' in supervisor_page
    assert reverse("approvals:authorisation_grant", args=[staff.pk]) in supervisor_page
    assert reverse("approvals:authorisation_revoke", args=[authorisation.pk]) in supervisor_page
    assert reverse("approvals:authorisation_extend", args=[authorisation.pk]) in supervisor_page
    own_page = _text(client_for("staff").get(url))
    assert "Esihenkilön valtuutukset" in own_page  # the section shows, read only
    assert reverse("approvals:authorisation_revoke", args=[authorisation.pk]) not in own_page
    assert reverse("approvals:authorisation_grant", args=[staff.pk]) not in own_page


def test_the_channel_page_shows_who_may_act_and_revokes_a_right_without_basis_in_one_click(org, client_for):
    channel = healthy(make_channel(org.unit), org)
    bad = make_right(channel, org.people["outsider"])
    url = reverse("channels:channel_detail", args=[channel.pk])
    page = _text(client_for("ict_secretary").get(url))
    revoke = reverse("approvals:right_revoke", args=[bad.pk])
    assert "Kuka saa toimia kanavalla" in page
    assert f"{revoke}?next=" in page
    assert revoke not in _text(client_for("staff").get(url))
    response = client_for("ict_secretary").post(f"{revoke}?next={url}", {"reason": "Ei valtuutusta", "next": url})
    assert response.status_code == 302 and response.url == url
    assert not UpdateRight.objects.get(pk=bad.pk).is_current


def test_the_channel_page_keeps_its_query_count_with_the_section(org, client_for, django_assert_max_num_queries):
    channel = healthy(make_channel(org.unit), org)
    client = client_for("ict_secretary")
    client.get(reverse("channels:channel_detail", args=[channel.pk]))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("channels:channel_detail", args=[channel.pk]))
    for person in [org.people["outsider"], org.people["area_head"], org.people["municipal_manager"]]:
        make_right(channel, person)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("channels:channel_detail", args=[channel.pk]))


# --- The guideline and the proposals on "My details" and "My team" --------------------------------------------------


def test_my_page_and_my_team_show_the_acknowledgement(org, client_for):
    staff_user = org.users["staff"]
    team = _text(client_for("supervisor").get(reverse("approvals:my_team")))
    assert "Ei kuitattu" in team
    GuidelineAcknowledgement.objects.create(user=staff_user, version=GuidelineVersion.objects.current())
    mine = _text(client_for("staff").get(reverse("approvals:my_page")))
    assert "Ohjeen voimassa oleva versio luettu ja kuitattu" in mine
    team = _text(client_for("supervisor").get(reverse("approvals:my_team")))
    assert ">Kuitattu</span>" in team


def test_my_page_lists_my_proposals(org, client_for):
    proposal = make_proposal(org, ProposalStatus.SUBMITTED)
    page = _text(client_for("staff").get(reverse("approvals:my_page")))
    assert reverse("approvals:proposal_detail", args=[proposal.pk]) in page


# --- Citations on the guideline page ---------------------------------------------------------------------------


def test_the_guideline_shows_the_policy_rules_citing_each_section(db, client):
    rule = PolicyRule.objects.active().filter(sections__contains="3").first()
    assert rule is not None
    page = client.get(reverse("guideline")).content.decode()
    section_start = page.index(f'id="{SECTION_3}"')
    assert section_start < page.index(rule.title, section_start)
    assert "Tähän lukuun viittaavat säännöt" in page


# --- The rule from every entry point -----------------------------------------------------------------------------


def test_approval_is_refused_naming_the_maintainer_without_authorisation(org, client_for):
    proposal = make_proposal(org, ProposalStatus.SUBMITTED, maintainers_authorised=False)
    with pytest.raises(proposal_services.ProposalError) as exc:
        proposal_services.approve(
            proposal, actor=org.users["area_head"], responsible_person=org.person("supervisor"), goals="Tavoite"
        )
    messages = " ".join(proposal_services.error_messages(exc.value))
    assert "Teemu Tervo" in messages and "valtuutus" in messages and "sitoumus" in messages
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED
    assert not Channel.objects.filter(name=proposal.name).exists()
    response = client_for("area_head").post(
        reverse("approvals:proposal_approve", args=[proposal.pk]),
        {"responsible_person": org.person("supervisor").pk, "goals": "Tavoite", "confirm": "on"},
    )
    assert "Teemu Tervo" in _text(response) and "valtuutus" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED


def test_the_registry_grant_view_refuses_naming_who_lacks_what(org, client_for):
    channel = make_channel(org.unit)
    response = client_for("ict_secretary").post(
        reverse("channels:right_grant", args=[channel.pk]),
        {"person": org.people["staff"].pk, "role": "editor", "weekly_hours": "2"},
    )
    errors = " ".join(response.context["form"].non_field_errors())
    assert "Teemu Tervo" in errors and "valtuutus" in errors and "sitoumus" in errors
    assert not UpdateRight.objects.filter(channel=channel).exists()


def test_the_admin_cannot_add_rights_past_the_rule(org):
    request = RequestFactory().get("/")
    request.user = org.users["ict_secretary"]
    request.user.is_superuser = True
    channel_admin = admin.site._registry[Channel]
    for inline in channel_admin.get_inline_instances(request):
        if inline.model is UpdateRight:
            assert not inline.has_add_permission(request, None)
    assert not admin.site._registry[UpdateRight].has_add_permission(request)
