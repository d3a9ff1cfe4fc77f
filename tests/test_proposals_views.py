"""The proposal pages: drafting, submitting, deciding, lists and the decision queue, as each role uses them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import channels.services
from approvals import proposal_services as services
from approvals.models import PolicyRule, Proposal, ProposalEventKind, ProposalStatus
from channels.models import Channel, ChannelStatus, UpdateRight
from tests.proposal_builders import make_draft, make_proposal, other_area_staff, platform

pytestmark = pytest.mark.django_db

S = ProposalStatus


def url(name, proposal=None):
    return reverse(f"approvals:{name}", args=[proposal.pk] if proposal else None)


def form_data(org, **overrides):
    data = {
        "unit": org.unit.pk,
        "platform": platform().pk,
        "name": "Kirjaston Instagram",
        "address": "",
        "purposes": ["information", "feedback"],
        "goals": "Tavoittaa nuoret.",
        "target_audience": "Nuoret",
        "strategy_support": "Osallisuus",
        "why_new_channel": "Facebook ei tavoita nuoria.",
        "responsible_person": org.person("supervisor").pk,
        "holiday_cover_person": org.person("supervisor").pk,
        "holiday_cover_arrangement": "Esihenkilö seuraa.",
        "response_plan": "Ylläpitäjä vastaa.",
        "response_time": "Yhden työpäivän kuluessa",
        "maintainers-TOTAL_FORMS": "2",
        "maintainers-INITIAL_FORMS": "0",
        "maintainers-MIN_NUM_FORMS": "0",
        "maintainers-MAX_NUM_FORMS": "20",
        "maintainers-0-person": org.person("staff").pk,
        "maintainers-0-role": "editor",
        "maintainers-0-weekly_hours": "4",
        "maintainers-1-person": "",
        "maintainers-1-role": "editor",
        "maintainers-1-weekly_hours": "",
    }
    for rule in PolicyRule.objects.for_proposals():
        data[f"checklist-answer_{rule.pk}"] = "met"
        data[f"checklist-note_{rule.pk}"] = ""
    data.update(overrides)
    return data


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Drafting --------------------------------------------------------------------------------------------


def test_staff_drafts_a_proposal_from_the_form(org, client_for):
    client = client_for("staff")
    response = client.post(url("proposal_create"), form_data(org))
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("proposal_detail", proposal)
    assert (proposal.status, proposal.proposer, proposal.unit, proposal.purposes) == (
        S.DRAFT,
        org.person("staff"),
        org.unit,
        ["information", "feedback"],
    )
    assert [(m.person, m.weekly_hours) for m in proposal.maintainers.all()] == [(org.person("staff"), 4)]
    assert proposal.checklist_answers.filter(answer="met").count() == PolicyRule.objects.for_proposals().count()
    assert services.missing_for_submission(proposal) == {}


def test_an_incomplete_draft_can_be_saved(org, client_for):
    client = client_for("staff")
    data = {k: v for k, v in form_data(org).items() if not k.startswith("checklist")}
    data.update(goals="", purposes=[], responsible_person="", **{"maintainers-0-person": ""})
    response = client.post(url("proposal_create"), data)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert set(services.missing_for_submission(proposal)) >= {"goals", "purposes", "maintainers", "checklist"}


def test_the_form_names_an_account_already_in_the_registry(org, client_for):
    Channel.objects.create(
        platform=platform(),
        name="Kirjaston nykyinen tili",
        address="@kirjasto",
        normalised_address="instagram.com/kirjasto",
        owner_unit=org.unit,
        status=ChannelStatus.ACTIVE,
    )
    response = client_for("staff").post(
        url("proposal_create"), form_data(org, address="https://instagram.com/KIRJASTO/")
    )
    assert response.status_code == 200
    assert "Tämä tili on jo rekisterissä nimellä ”Kirjaston nykyinen tili”" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"address": "https://www.facebook.com/kirjasto"}, "Facebook"),
        ({"maintainers-0-weekly_hours": ""}, "Anna työaika tunteina viikossa"),
        ({"maintainers-0-weekly_hours": "61"}, "60"),
        ({"maintainers-1-person": "staff", "maintainers-1-weekly_hours": "2"}, "on nimetty ylläpitäjäksi kahdesti"),
        ({"checklist-answer": "not_met"}, "Kerro, miksi sääntö ei täyty"),
        ({"unit": "other"}, "Valitse oikea vaihtoehto"),
        ({"name": ""}, "Tämä kenttä vaaditaan"),
    ],
)
def test_the_form_refuses_bad_input_with_a_clear_message(org, client_for, overrides, expected):
    data = form_data(org)
    for key, value in overrides.items():
        if key == "checklist-answer":
            rule = PolicyRule.objects.for_proposals().first()
            data[f"checklist-answer_{rule.pk}"] = value
        elif key == "unit":
            data["unit"] = org.other_unit.pk
        elif value == "staff":
            data[key] = org.person("staff").pk
        else:
            data[key] = value
    response = client_for("staff").post(url("proposal_create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ehdotusta ei tallennettu." in page
    assert expected in page
    assert not Proposal.objects.exists()


def test_the_proposer_edits_a_draft(org, client_for):
    proposal = make_draft(org)
    client = client_for("staff")
    assert client.get(url("proposal_edit", proposal)).status_code == 200
    # The page sends the two maintainers of the draft as its initial rows; the second is emptied.
    data = form_data(org, name="Kirjaston uusi nimi", **{"maintainers-INITIAL_FORMS": "2"})
    response = client.post(url("proposal_edit", proposal), data)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.name == "Kirjaston uusi nimi"
    assert [m.person for m in proposal.maintainers.all()] == [org.person("staff")]


def test_editing_a_submitted_proposal_is_refused(org, client_for):
    proposal = make_proposal(org, S.SUBMITTED)
    client = client_for("staff")
    for response in (
        client.get(url("proposal_edit", proposal), follow=True),
        client.post(url("proposal_edit", proposal), form_data(org, name="Muutettu"), follow=True),
    ):
        assert response.redirect_chain == [(url("proposal_detail", proposal), 302)]
        assert "Ehdotusta ei voi enää muuttaa, kun sen tila on ”odottaa päätöstä”." in _messages(response)
    proposal.refresh_from_db()
    assert proposal.name == "Kirjaston Instagram"


def test_others_cannot_edit_a_draft(org, client_for):
    proposal = make_draft(org)
    assert client_for("ict_secretary").post(url("proposal_edit", proposal), form_data(org)).status_code == 403
    assert client_for("supervisor").get(url("proposal_edit", proposal)).status_code == 404


# --- Submitting ------------------------------------------------------------------------------------------


def test_submitting_an_incomplete_proposal_lists_what_is_missing(org, client_for):
    draft = services.create_draft(actor=org.users["staff"], fields={"platform": platform(), "name": "Kesken"})
    client = client_for("staff")
    for response in (client.get(url("proposal_submit", draft)), client.post(url("proposal_submit", draft))):
        assert response.status_code == 200
        page = response.content.decode()
        assert "Puuttuu vielä ennen kuin ehdotuksen voi lähettää" in page
        for label, message in [
            ("Käyttötarkoitukset", "Valitse vähintään yksi käyttötarkoitus (2 luku)."),
            ("Tavoitteet", "Kerro, mitä palvelulla tavoitellaan (3 luku)."),
            ("Vastuuhenkilö", "Nimeä vastuuhenkilö (3 luku)."),
            ("Ylläpitäjät ja työaika", "Nimeä vähintään yksi ylläpitäjä ja hänen työaikansa (4 luku)."),
            ("Ohjeen tarkistuslista", "Vastaa tarkistuslistan kohtaan"),
        ]:
            assert label in page
            assert message in page
        assert f"{url('proposal_edit', draft)}#field-goals" in page
        assert "Lähetä päätettäväksi</button>" not in page
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_the_proposer_submits_a_complete_proposal(org, client_for):
    draft = make_draft(org)
    client = client_for("staff")
    page = client.get(url("proposal_submit", draft)).content.decode()
    assert "Veera Väisänen" in page
    assert "Maija Mäkelä" in page
    response = client.post(url("proposal_submit", draft), follow=True)
    assert response.redirect_chain == [(url("proposal_detail", draft), 302)]
    assert "Ehdotus on lähetetty. Päättäjille on ilmoitettu sähköpostilla." in _messages(response)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_the_proposer_withdraws_a_draft(org, client_for):
    draft = make_draft(org)
    client = client_for("staff")
    assert "Peru ehdotus" in client.get(url("proposal_withdraw", draft)).content.decode()
    response = client.post(url("proposal_withdraw", draft), {"reason": "Ei tarvita"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.WITHDRAWN
    assert draft.events.last().comment == "Ei tarvita"


# --- Deciding --------------------------------------------------------------------------------------------


def approve_data(org, **overrides):
    return {"responsible_person": org.person("supervisor").pk, "goals": "Tavoite", "confirm": "on", **overrides}


def test_the_head_of_area_approves_through_the_page(org, client_for):
    proposal = make_proposal(org, S.SUBMITTED)
    client = client_for("area_head")
    page = client.get(url("proposal_approve", proposal)).content.decode()
    assert "Hyväksy ja lisää rekisteriin" in page
    assert "Sanna Saarinen (Kirjastopalvelut)" in page
    response = client.post(
        url("proposal_approve", proposal), approve_data(org, conditions="Tarkistus 6 kk"), follow=True
    )
    assert response.redirect_chain == [(url("proposal_detail", proposal), 302)]
    proposal.refresh_from_db()
    assert proposal.status == S.APPROVED
    assert proposal.channel.status == ChannelStatus.APPROVED
    page = response.content.decode()
    assert "Kanava rekisterissä" in page
    assert "Tarkistus 6 kk" in page


def test_approving_needs_the_confirmation_and_the_goals(org, client_for):
    proposal = make_proposal(org, S.SUBMITTED)
    response = client_for("area_head").post(url("proposal_approve", proposal), approve_data(org, confirm="", goals=""))
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"confirm", "goals"}
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED


def test_the_page_names_who_lacks_an_update_right(org, client_for, monkeypatch):
    monkeypatch.setattr(
        channels.services, "GRANT_CHECKS", [lambda person, channel, on: ["Esihenkilön valtuutus puuttuu."]]
    )
    proposal = make_proposal(org, S.SUBMITTED)
    response = client_for("area_head").post(url("proposal_approve", proposal), approve_data(org))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Päätöstä ei tallennettu." in page
    assert "Päivitysoikeutta ei voi antaa henkilölle Teemu Tervo: Esihenkilön valtuutus puuttuu." in page
    assert "Päivitysoikeutta ei voi antaa henkilölle Sanna Saarinen: Esihenkilön valtuutus puuttuu." in page
    assert not Channel.objects.exists()
    assert not UpdateRight.objects.exists()


def test_a_slower_decider_is_told_who_decided(org, client_for):
    proposal = make_proposal(org, S.SUBMITTED)
    services.approve(proposal, actor=org.users["area_head"], responsible_person=org.person("staff"), goals="T")
    response = client_for("municipal_manager").post(url("proposal_approve", proposal), approve_data(org), follow=True)
    assert response.redirect_chain == [(url("proposal_detail", proposal), 302)]
    (message,) = _messages(response)
    assert message.startswith("Veera Väisänen hyväksyi tämän ehdotuksen jo")
    assert Channel.objects.count() == 1


def test_the_decider_returns_a_proposal_with_a_comment(org, client_for):
    proposal = make_proposal(org, S.SUBMITTED)
    client = client_for("municipal_manager")
    assert client.post(url("proposal_return", proposal), {"comment": ""}).status_code == 200
    response = client.post(url("proposal_return", proposal), {"comment": "Tarkenna työaikaa."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.RETURNED
    page = client_for("staff").get(url("proposal_detail", proposal)).content.decode()
    assert "Palautettu täydennettäväksi." in page
    assert "Maija Mäkelä: Tarkenna työaikaa." in page


def test_the_decider_rejects_with_a_reason_and_a_confirmation(org, client_for):
    proposal = make_proposal(org, S.SUBMITTED)
    client = client_for("area_head")
    assert client.post(url("proposal_reject", proposal), {"reason": "Ei"}).status_code == 200  # no confirmation
    response = client.post(url("proposal_reject", proposal), {"reason": "Ei tue strategiaa.", "confirm": "on"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_reason) == (S.REJECTED, "Ei tue strategiaa.")


# --- The proposal page and the lists ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "role", "actions"),
    [
        (S.DRAFT, "staff", ["Lähetä päätettäväksi", "Muokkaa", "Peru"]),
        (S.DRAFT, "ict_secretary", []),
        (S.SUBMITTED, "staff", []),
        (S.SUBMITTED, "area_head", ["Hyväksy", "Palauta täydennettäväksi", "Hylkää"]),
        (S.SUBMITTED, "municipal_manager", ["Hyväksy", "Palauta täydennettäväksi", "Hylkää"]),
        (S.SUBMITTED, "supervisor", []),
        (S.RETURNED, "staff", ["Lähetä päätettäväksi", "Muokkaa", "Peru"]),
        (S.APPROVED, "area_head", []),
    ],
)
def test_the_proposal_page_offers_the_viewers_actions(org, client_for, status, role, actions):
    proposal = make_proposal(org, status)
    response = client_for(role).get(url("proposal_detail", proposal))
    assert response.status_code == 200
    offered = [label for label in ["Lähetä päätettäväksi", "Muokkaa", "Peru", "Hyväksy", "Palauta täydennettäväksi",
                                   "Hylkää"] if f'">{label}</a>' in response.content.decode()]  # fmt: skip
    assert offered == actions


def test_the_proposal_page_shows_the_timeline(org, client_for):
    proposal = make_proposal(org, S.APPROVED)
    page = client_for("ict_secretary").get(url("proposal_detail", proposal)).content.decode()
    for step in ["Luonnos aloitettu", "Lähetetty päätettäväksi", "Hyväksytty"]:
        assert f"<strong>{step}</strong>" in page
    assert '<ol class="timeline">' in page
    assert "Kanava rekisterissä" in page


def test_the_proposal_page_works_in_english(org, client_for):
    proposal = make_proposal(org, S.SUBMITTED)
    client = client_for("area_head")
    client.cookies["django_language"] = "en"
    page = client.get(url("proposal_detail", proposal)).content.decode()
    assert "Awaiting decision" in page
    assert "The channel is planned and supports the municipal strategy" in page


def test_the_queue_shows_the_proposals_awaiting_the_decider_with_their_age(org, client_for):
    mine = make_proposal(org, S.SUBMITTED)
    Proposal.objects.filter(pk=mine.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=3))
    make_proposal(org, S.SUBMITTED, proposer=other_area_staff(org), unit=org.other_unit, name="Toisen alueen kanava")
    page = client_for("area_head").get(url("decision_queue")).content.decode()
    assert "Kirjaston Instagram" in page
    assert "3 päivää" in page
    assert "Toisen alueen kanava" not in page
    page = client_for("municipal_manager").get(url("decision_queue")).content.decode()
    assert "Toisen alueen kanava" in page


def test_the_list_of_all_proposals_filters_by_status(org, client_for):
    make_proposal(org, S.SUBMITTED, name="Odottava")
    make_proposal(org, S.REJECTED, name="Hylätty kanava")
    make_draft(org, name="Luonnoskanava")
    client = client_for("ict_secretary")
    page = client.get(url("proposal_all")).content.decode()
    assert all(name in page for name in ["Odottava", "Hylätty kanava", "Luonnoskanava"])
    page = client.get(url("proposal_all") + "?status=rejected").content.decode()
    assert "Hylätty kanava" in page
    assert "Odottava" not in page
    page = client_for("municipal_manager").get(url("proposal_all")).content.decode()
    assert "Luonnoskanava" not in page  # a draft is its proposer's until submitted


def test_my_proposals_lists_only_my_own(org, client_for):
    make_draft(org, name="Oma luonnos")
    make_proposal(org, S.SUBMITTED, proposer=other_area_staff(org), unit=org.other_unit, name="Toisen ehdotus")
    page = client_for("staff").get(url("proposal_list")).content.decode()
    assert "Oma luonnos" in page
    assert "Toisen ehdotus" not in page


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("staff", ["Kanavaehdotukset"]),
        ("area_head", ["Kanavaehdotukset", "Päätettävät"]),
        ("municipal_manager", ["Kanavaehdotukset", "Päätettävät", "Kaikki ehdotukset"]),
        ("ict_secretary", ["Kanavaehdotukset", "Kaikki ehdotukset"]),
    ],
)
def test_the_navigation_shows_the_roles_proposal_pages(org, client_for, role, links):
    page = client_for(role).get(reverse("home")).content.decode()
    shown = [label for label in ["Kanavaehdotukset", "Päätettävät", "Kaikki ehdotukset"] if f">{label}</a>" in page]
    assert shown == links


# --- Query counts: the lists and the proposal page do not grow with their rows ---------------------------


def _count(client, address):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("role", "page"),
    [("staff", "proposal_list"), ("ict_secretary", "proposal_all"), ("municipal_manager", "proposal_all"),
     ("area_head", "decision_queue")],
)  # fmt: skip
def test_the_lists_take_the_same_queries_for_two_and_for_six_rows(
    org, client_for, django_assert_num_queries, role, page
):
    for number in range(2):
        make_proposal(org, S.SUBMITTED, name=f"Kanava {number}")
    client = client_for(role)
    queries = _count(client, url(page))
    for number in range(2, 6):
        make_proposal(org, S.SUBMITTED, name=f"Kanava {number}")
    with django_assert_num_queries(queries):  # select_related: one query for the page, whatever its rows
        response = client.get(url(page))
    assert len(response.context["page_obj"].object_list) == 6


@pytest.mark.parametrize("role", ["staff", "area_head", "ict_secretary"])
def test_the_proposal_page_takes_the_same_queries_whatever_its_rows(org, client_for, django_assert_num_queries, role):
    small = make_proposal(org, S.SUBMITTED, name="Pieni")
    client = client_for(role)
    queries = _count(client, url("proposal_detail", small))
    big = make_proposal(org, S.DRAFT, name="Iso")
    services.update_draft(
        big,
        actor=org.users["staff"],
        fields={},
        maintainers=[
            {"person": org.person(key), "role": "editor", "weekly_hours": 1}
            for key in ("staff", "supervisor", "outsider", "ict_secretary")
        ],
    )
    services.submit(big, actor=org.users["staff"])
    services.return_for_changes(big, actor=org.users["municipal_manager"], comment="Korjaa")
    services.submit(big, actor=org.users["staff"])
    with django_assert_num_queries(queries):  # maintainers, answers and events are one query each
        client.get(url("proposal_detail", big))
    assert Proposal.objects.get(pk=big.pk).events.filter(kind=ProposalEventKind.SUBMITTED).count() == 2


# --- The admin: proposals are read-only there, rules are edited but never deleted ------------------------


def test_the_ict_secretary_reads_proposals_in_the_admin_but_cannot_change_them_there(org, client_for):
    proposal = make_proposal(org, S.APPROVED)
    client = client_for("ict_secretary")
    assert client.get(reverse("admin:approvals_proposal_changelist")).status_code == 200
    page = client.get(reverse("admin:approvals_proposal_change", args=[proposal.pk])).content.decode()
    assert url("proposal_detail", proposal) in page
    assert 'name="status"' not in page  # every field is read-only: the services are the only way to change it
    assert client.get(reverse("admin:approvals_proposal_add")).status_code == 403
    assert client.get(reverse("admin:approvals_proposal_delete", args=[proposal.pk])).status_code == 403
    assert client.get(reverse("admin:approvals_proposal_history", args=[proposal.pk])).status_code == 200


def test_the_ict_secretary_edits_policy_rules_but_does_not_delete_them(org, client_for):
    rule = PolicyRule.objects.get(code="terms-of-service-read")
    client = client_for("ict_secretary")
    assert client.get(reverse("admin:approvals_policyrule_changelist")).status_code == 200
    page = client.get(reverse("admin:approvals_policyrule_change", args=[rule.pk])).content.decode()
    assert 'name="code"' not in page  # the code is fixed once the rule exists
    assert 'name="title_en"' in page
    assert client.get(reverse("admin:approvals_policyrule_delete", args=[rule.pk])).status_code == 403
