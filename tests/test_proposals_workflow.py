"""Channel proposals: submitting, approving into the registry, the e-mails, the command and the demo."""

import datetime
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

import channels.services
from approvals import proposal_emails
from approvals import proposal_services as services
from approvals.models import (
    ChecklistAnswer,
    PolicyRule,
    Proposal,
    ProposalEvent,
    ProposalEventKind,
    ProposalStatus,
)
from channels.models import Channel, ChannelStatus, Platform, UpdateRight
from tests.factories import make_person
from tests.proposal_builders import complete_answers, make_draft, make_proposal, platform

pytestmark = pytest.mark.django_db

S = ProposalStatus


# --- Submitting ------------------------------------------------------------------------------------------


def test_submitting_an_incomplete_proposal_lists_what_is_missing_field_by_field(org):
    draft = services.create_draft(
        actor=org.users["staff"], fields={"platform": platform(), "name": "Keskeneräinen"}, language="fi"
    )
    with pytest.raises(services.ProposalIncomplete) as refused:
        services.submit(draft, actor=org.users["staff"])
    missing = refused.value.message_dict
    assert list(missing) == [
        "purposes",
        "goals",
        "target_audience",
        "strategy_support",
        "why_new_channel",
        "responsible_person",
        "maintainers",
        "holiday_cover_person",
        "holiday_cover_arrangement",
        "response_plan",
        "response_time",
        "checklist",
    ]
    assert len(missing["checklist"]) == PolicyRule.objects.for_proposals().count()
    assert missing["goals"] == ["Kerro, mitä palvelulla tavoitellaan (3 luku)."]
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_a_checklist_answer_not_met_is_fine_when_explained(org):
    answers = complete_answers()
    rule_id = next(iter(answers))
    answers[rule_id] = (ChecklistAnswer.NOT_MET, "Strategia päivitetään keväällä.")
    proposal = make_draft(org, answers=answers)
    assert services.missing_for_submission(proposal) == {}


def test_submitting_names_people_who_have_left(org):
    draft = make_draft(org)
    staff = org.person("staff")
    staff.left_on = timezone.localdate()
    staff.save()
    assert services.missing_for_submission(draft)["maintainers"] == ["Teemu Tervo on lähtenyt kunnan palveluksesta."]


def test_an_address_already_in_the_registry_is_named_before_submission(org):
    Channel.objects.create(
        platform=platform(),
        name="Kirjaston vanha Instagram",
        address="@kirjasto",
        normalised_address="instagram.com/kirjasto",
        owner_unit=org.unit,
        status=ChannelStatus.ACTIVE,
    )
    draft = make_draft(org, address="https://www.instagram.com/Kirjasto/")
    with pytest.raises(services.ProposalIncomplete) as refused:
        services.submit(draft, actor=org.users["staff"])
    (message,) = refused.value.message_dict["address"]
    assert message.startswith("Tämä tili on jo rekisterissä nimellä ”Kirjaston vanha Instagram”")


def test_an_address_proposed_twice_is_named_before_submission(org):
    make_proposal(org, S.SUBMITTED, name="Ensimmäinen", address="@kirjasto")
    second = make_draft(org, name="Toinen", address="instagram.com/kirjasto")
    missing = services.missing_for_submission(second)
    assert "Ensimmäinen" in missing["address"][0]


# --- Approving -------------------------------------------------------------------------------------------


def test_approval_creates_the_channel_and_grants_the_rights(org):
    proposal = make_proposal(org, S.SUBMITTED, address="@kirjasto.suomussalmi")
    decided = services.approve(
        proposal,
        actor=org.users["area_head"],
        responsible_person=org.person("supervisor"),
        goals="Tavoittaa nuoret.",
        conditions="Tarkistus puolen vuoden kuluttua.",
        decision_reference="VAJ 12/2026 § 3",
    )
    channel = decided.channel
    assert (channel.status, channel.platform.slug, channel.name, channel.owner_unit) == (
        ChannelStatus.APPROVED,
        "instagram",
        "Kirjaston Instagram",
        org.unit,
    )
    assert channel.normalised_address == "instagram.com/kirjasto.suomussalmi"
    assert (channel.decided_by, channel.decided_on, channel.decision_reference) == (
        org.person("area_head"),
        timezone.localdate(),
        "VAJ 12/2026 § 3",
    )
    assert (channel.responsible_person, channel.goals, channel.purposes) == (
        org.person("supervisor"),
        "Tavoittaa nuoret.",
        ["information", "service_awareness"],
    )
    assert channel.holiday_cover_person == org.person("supervisor")
    assert channel.holiday_cover_arrangement.startswith("Esihenkilö seuraa")
    assert channel.target_audience == "Nuoret ja lapsiperheet"
    rights = {(r.person, r.role, r.weekly_hours, r.granted_by) for r in UpdateRight.objects.filter(channel=channel)}
    assert rights == {
        (org.person("staff"), "editor", 4, org.users["area_head"]),
        (org.person("supervisor"), "administrator", 1, org.users["area_head"]),
    }
    assert (decided.decided_by, decided.decision_conditions) == (
        org.person("area_head"),
        "Tarkistus puolen vuoden kuluttua.",
    )
    assert channel.history.first().history_user == org.users["area_head"]


def test_the_decision_can_change_the_responsible_person_and_goals(org):
    proposal = make_proposal(org, S.SUBMITTED)
    decided = services.approve(
        proposal, actor=org.users["municipal_manager"], responsible_person=org.person("staff"), goals="Uusi tavoite"
    )
    assert (decided.responsible_person, decided.goals) == (org.person("staff"), "Uusi tavoite")
    assert decided.decision_reference == f"SOMEGOV-{proposal.pk}"
    comment = decided.events.last().comment
    assert "Teemu Tervo" in comment
    assert "Tavoitteita muutettiin" in comment
    # What was proposed stays in the history.
    assert decided.history.filter(responsible_person=org.person("supervisor")).exists()


def _nothing_saved(proposal):
    proposal.refresh_from_db()
    return (
        proposal.status == S.SUBMITTED
        and proposal.channel is None
        and not Channel.objects.exists()
        and not UpdateRight.objects.exists()
        and not proposal.events.filter(kind=ProposalEventKind.APPROVED).exists()
    )


def test_approval_is_refused_whole_when_a_right_is_refused(org, monkeypatch, django_capture_on_commit_callbacks):
    # What the supervisor-authorisation rule will do once registered: refuse someone an update right.
    staff = org.person("staff")
    monkeypatch.setattr(
        channels.services,
        "GRANT_CHECKS",
        [lambda person, channel, on: ["Esihenkilön valtuutus puuttuu."] if person == staff else []],
    )
    proposal = make_proposal(org, S.SUBMITTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.ProposalError) as refused:
        services.approve(proposal, actor=org.users["area_head"], responsible_person=staff, goals="Tavoite")
    assert refused.value.messages == [
        "Päivitysoikeutta ei voi antaa henkilölle Teemu Tervo: Esihenkilön valtuutus puuttuu."
    ]
    assert refused.value.code == "grant_refused"
    assert _nothing_saved(proposal)
    assert mail.outbox == []


def test_approval_is_refused_when_a_maintainer_has_left(org):
    proposal = make_proposal(org, S.SUBMITTED)
    staff = org.person("staff")
    staff.left_on = timezone.localdate() - datetime.timedelta(days=1)
    staff.save()
    with pytest.raises(services.ProposalError, match="Teemu Tervo on lähtenyt kunnan palveluksesta"):
        services.approve(
            proposal, actor=org.users["area_head"], responsible_person=org.person("supervisor"), goals="Tavoite"
        )
    assert _nothing_saved(proposal)


def test_approval_is_refused_when_the_address_was_registered_meanwhile(org):
    proposal = make_proposal(org, S.SUBMITTED, address="@kirjasto")
    Channel.objects.create(
        platform=Platform.objects.get(slug="instagram"),
        name="Rinnakkainen",
        address="@kirjasto",
        normalised_address="instagram.com/kirjasto",
        owner_unit=org.unit,
    )
    with pytest.raises(services.ProposalError, match="Rinnakkainen"):
        services.approve(
            proposal, actor=org.users["area_head"], responsible_person=org.person("supervisor"), goals="Tavoite"
        )
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    assert Channel.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"goals": "   "}, "tavoitellaan"),
        ({"responsible_person": None}, "vastuuhenkilö"),
    ],
)
def test_approval_needs_the_goals_and_a_responsible_person(org, kwargs, message):
    proposal = make_proposal(org, S.SUBMITTED)
    values = {"responsible_person": org.person("supervisor"), "goals": "Tavoite", **kwargs}
    with pytest.raises(services.ProposalError, match=message):
        services.approve(proposal, actor=org.users["area_head"], **values)
    assert _nothing_saved(proposal)


def test_the_responsible_person_must_still_be_in_service(org):
    proposal = make_proposal(org, S.SUBMITTED)
    gone = make_person("Lauri", "Lähtenyt", org.unit, left_on=timezone.localdate())
    with pytest.raises(services.ProposalError, match="Lauri Lähtenyt"):
        services.approve(proposal, actor=org.users["area_head"], responsible_person=gone, goals="Tavoite")


@pytest.mark.parametrize(("action", "field"), [("return", "comment"), ("reject", "reason")])
def test_returning_and_rejecting_need_a_reason(org, action, field):
    proposal = make_proposal(org, S.SUBMITTED)
    call = services.return_for_changes if action == "return" else services.reject
    with pytest.raises(services.ProposalError):
        call(proposal, actor=org.users["area_head"], **{field: "  "})
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED


def test_a_slower_decider_is_told_who_decided_first(org):
    proposal = make_proposal(org, S.SUBMITTED)
    services.approve(proposal, actor=org.users["area_head"], responsible_person=org.person("staff"), goals="T")
    with pytest.raises(services.ProposalError, match="Veera Väisänen hyväksyi tämän ehdotuksen jo"):
        services.reject(proposal, actor=org.users["municipal_manager"], reason="Ei")
    returned = make_proposal(org, S.RETURNED, name="Toinen")
    with pytest.raises(services.ProposalError, match="palautti tämän ehdotuksen jo täydennettäväksi"):
        services.approve(
            returned, actor=org.users["municipal_manager"], responsible_person=org.person("staff"), goals="T"
        )


# --- E-mail ----------------------------------------------------------------------------------------------


def _by_recipient():
    messages = {}
    for message in mail.outbox:
        assert len(message.to) == 1, "each recipient gets their own message"
        assert message.to[0] not in messages, f"{message.to[0]} got two messages"
        messages[message.to[0]] = message
    return messages


def test_submitting_tells_every_decider_in_finnish(org, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://some.suomussalmi.fi/"
    draft = make_draft(org)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(draft, actor=org.users["staff"])
    messages = _by_recipient()
    assert set(messages) == {org.person("area_head").work_email, org.person("municipal_manager").work_email}
    message = messages[org.person("area_head").work_email]
    assert message.subject == "Kanavaehdotus odottaa päätöstäsi: Kirjaston Instagram"
    assert "Hei Veera Väisänen," in message.body
    assert "Teemu Tervo (Kirjastopalvelut) ehdottaa uutta sosiaalisen median kanavaa" in message.body
    assert f"https://some.suomussalmi.fi/ehdotukset/{draft.pk}/" in message.body
    assert "https://some.suomussalmi.fi/paatettavat/" in message.body


def test_nothing_is_sent_before_the_commit_nor_when_refused(org, django_capture_on_commit_callbacks):
    draft = make_draft(org)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.submit(draft, actor=org.users["staff"])
    assert mail.outbox == []
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.ProposalError):
        services.submit(draft, actor=org.users["staff"])
    assert mail.outbox == []


def test_returning_tells_the_proposer_in_their_language(org, django_capture_on_commit_callbacks):
    org.person("staff").preferred_language = "en"
    org.person("staff").save(update_fields=["preferred_language"])
    proposal = make_proposal(org, S.SUBMITTED, language="fi")  # their own language, not the proposal's, decides
    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_changes(proposal, actor=org.users["area_head"], comment="Kerro työajasta tarkemmin.")
    messages = _by_recipient()
    assert set(messages) == {org.person("staff").work_email}
    message = messages[org.person("staff").work_email]
    assert message.subject == "Your channel proposal was returned for changes: Kirjaston Instagram"
    assert "Veera Väisänen returned your channel proposal “Kirjaston Instagram” for changes." in message.body
    assert "Kerro työajasta tarkemmin." in message.body


def test_rejecting_tells_the_proposer_the_reason(org, django_capture_on_commit_callbacks):
    proposal = make_proposal(org, S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(proposal, actor=org.users["municipal_manager"], reason="Ei tue kuntastrategiaa.")
    (message,) = mail.outbox
    assert message.to == [org.person("staff").work_email]
    assert message.subject == "Kanavaehdotuksesi hylättiin: Kirjaston Instagram"
    assert "Maija Mäkelä hylkäsi kanavaehdotuksesi ”Kirjaston Instagram”" in message.body
    assert "Ei tue kuntastrategiaa." in message.body


def test_approving_tells_the_proposer_the_ict_secretary_and_the_people_named(org, django_capture_on_commit_callbacks):
    proposal = make_proposal(org, S.SUBMITTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(
            proposal, actor=org.users["area_head"], responsible_person=org.person("supervisor"), goals="Tavoite"
        )
    messages = _by_recipient()
    staff, supervisor, ict = (org.person(k).work_email for k in ("staff", "supervisor", "ict_secretary"))
    assert set(messages) == {staff, supervisor, ict}
    for message in messages.values():
        assert message.subject == "Uusi kanava hyväksytty: Kirjaston Instagram"
        assert "Veera Väisänen hyväksyi" in message.body
    assert "Ehdotit tätä kanavaa." in messages[staff].body
    assert "päivitysoikeus roolissa julkaisija, työaikaa 4 tuntia viikossa" in messages[staff].body
    assert "vastuuhenkilöksi" not in messages[staff].body
    assert "Sinut on nimetty kanavan vastuuhenkilöksi." in messages[supervisor].body
    assert "Huolehdit kanavasta loma-aikoina." in messages[supervisor].body
    assert "ICT-sihteerille: kirjaa kanavan lopullinen osoite" in messages[ict].body
    assert "ICT-sihteerille" not in messages[staff].body


def test_a_mail_server_failure_does_not_undo_the_decision(org, monkeypatch, caplog, django_capture_on_commit_callbacks):
    proposal = make_proposal(org, S.SUBMITTED)

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(proposal_emails, "send_mail", broken)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        services.reject(proposal, actor=org.users["area_head"], reason="Ei")
    proposal.refresh_from_db()
    assert proposal.status == S.REJECTED
    assert "Could not send the rejected e-mail" in caplog.text


def test_muted_operations_send_nothing(org, django_capture_on_commit_callbacks):
    draft = make_draft(org)
    with proposal_emails.muted(), django_capture_on_commit_callbacks(execute=True):
        services.submit(draft, actor=org.users["staff"])
    assert mail.outbox == []


# --- The command and the demo ----------------------------------------------------------------------------


def test_the_decide_command_uses_the_service(org, capsys):
    proposal = make_proposal(org, S.SUBMITTED)
    with pytest.raises(CommandError, match="Tästä ehdotuksesta voi päättää vain"):
        call_command("decide_proposal", proposal.pk, "approve", "--as", "ict")
    call_command("decide_proposal", proposal.pk, "approve", "--as", "vastuualuejohtaja", "--reference", "VAJ 1/2026")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_reference) == (S.APPROVED, "VAJ 1/2026")
    assert f"Proposal {proposal.pk} “Kirjaston Instagram”:" in capsys.readouterr().out


def test_the_demo_has_proposals_in_several_states_and_loads_twice(settings):
    from somegov import demo

    settings.DEBUG = True
    demo.load_all()
    demo.load_all()
    statuses = list(Proposal.objects.values_list("status", flat=True))
    assert len(statuses) == len(demo.DEMO_PROPOSALS)
    assert set(statuses) == set(ProposalStatus.values)
    approved = Proposal.objects.get(status=S.APPROVED)
    assert approved.channel.status == ChannelStatus.APPROVED
    assert approved.channel.rights.count() == 2
    assert ProposalEvent.objects.filter(kind=ProposalEventKind.RETURNED).exists()
