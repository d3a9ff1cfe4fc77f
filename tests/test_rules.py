"""The organisation manages its policy rules: switching an automatic rule off (and on) with a reason, adding,
editing and retiring attested rules; every change is in the rule's history and the audit log, a switched-off rule
is checked nowhere, and bad input gets a form error."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from approvals import compliance, rule_services
from approvals.models import PolicyRule, RuleKind, RuleStage
from approvals.review_services import rules_to_answer
from channels.models import Platform
from core.models import AuditAction, AuditEvent
from guideline.models import GuidelineVersion
from tests.registry_helpers import make_channel

VALUES = {
    "title": "Kanavan profiilikuvassa on {organisation_genitive} tunnus",
    "title_en": "The channel's profile picture shows the logo of {organisation}",
    "explanation": "Tarkista profiilikuva.",
    "explanation_en": "",
    "sections": "5",
    "is_good_practice": False,
    "source": "",
    "source_en": "",
    "stage": RuleStage.ONGOING,
}


def _automatic(code="two-administrators"):
    return PolicyRule.objects.get(code=code)


def _attested():
    return PolicyRule.objects.filter(kind=RuleKind.ATTESTED, is_active=True, stage=RuleStage.ONGOING).first()


def _form_data(**overrides):
    data = {key: value for key, value in VALUES.items() if key != "is_good_practice"}
    data["reason"] = "Viestintä pyysi."
    data.update(overrides)
    return data


# --- Services ----------------------------------------------------------------------------------------------


def test_switching_an_automatic_rule_off_keeps_the_reason_and_leaves_every_check(org):
    ict = org.users["ict_secretary"]
    rule = _automatic()
    channel = make_channel(org.unit, responsible_person=org.people["staff"])

    rule_services.take_out_of_use(rule, reason="Pieni kunta: yksi ylläpitäjä riittää.", actor=ict)

    rule.refresh_from_db()
    assert not rule.is_active
    assert rule.disabled_reason == "Pieni kunta: yksi ylläpitäjä riittää."
    assert rule not in compliance.automatic_rules()
    rules, _rows = compliance.evaluate_registry()
    assert rule.code not in {r.code for r in rules}
    assert rule.code not in {r.code for r, _outcome in compliance.evaluate_channel(channel).outcomes}
    record = rule.history.first()
    assert record.history_user == ict
    assert record.history_change_reason == "Pieni kunta: yksi ylläpitäjä riittää."
    event = AuditEvent.objects.filter(action=AuditAction.CHANGE, object_id=str(rule.pk)).get()
    assert "switched off" in event.detail

    rule_services.put_back_in_use(rule, reason="Kaksi ylläpitäjää taas.", actor=ict)
    rule.refresh_from_db()
    assert rule.is_active and rule.disabled_reason == ""
    assert rule in compliance.automatic_rules()


def test_a_retired_attested_rule_is_no_longer_asked(org):
    rule = _attested()
    channel = make_channel(org.unit, responsible_person=org.people["staff"])
    assert rule in rules_to_answer(channel)

    rule_services.take_out_of_use(rule, reason="Ei enää ohjeessa.", actor=org.users["ict_secretary"])

    assert rule not in rules_to_answer(channel)
    assert PolicyRule.objects.filter(pk=rule.pk).exists()  # never deleted


def test_a_change_needs_a_reason_and_the_ict_secretary(org):
    rule = _automatic()
    with pytest.raises(rule_services.RuleRefused):
        rule_services.take_out_of_use(rule, reason="   ", actor=org.users["ict_secretary"])
    with pytest.raises(PermissionDenied):
        rule_services.take_out_of_use(rule, reason="Syy", actor=org.users["municipal_manager"])
    rule.refresh_from_db()
    assert rule.is_active


def test_switching_off_twice_is_refused(org):
    ict = org.users["ict_secretary"]
    rule = _automatic()
    rule_services.take_out_of_use(rule, reason="Syy", actor=ict)
    with pytest.raises(rule_services.RuleRefused):
        rule_services.take_out_of_use(rule, reason="Syy", actor=ict)


def test_adding_an_attested_rule(org):
    facebook = Platform.objects.get(slug="facebook")
    rule = rule_services.add_attested_rule(
        VALUES, [facebook], reason="Uusi käytäntö.", actor=org.users["ict_secretary"]
    )

    assert rule.kind == RuleKind.ATTESTED and rule.is_active and not rule.automatic_check
    assert rule.code.startswith("kanavan-profiilikuvassa")
    assert rule.position > max(PolicyRule.objects.exclude(pk=rule.pk).values_list("position", flat=True))
    assert list(rule.platforms.all()) == [facebook]
    assert "{organisation" not in rule.display_title
    channel = make_channel(org.unit, responsible_person=org.people["staff"], slug="facebook")
    assert rule in rules_to_answer(channel)
    assert rule.history.count() >= 1
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, object_id=str(rule.pk)).exists()


def test_two_rules_with_the_same_title_get_their_own_codes(org):
    ict = org.users["ict_secretary"]
    first = rule_services.add_attested_rule(VALUES, reason="Syy", actor=ict)
    second = rule_services.add_attested_rule(VALUES, reason="Syy", actor=ict)
    assert first.code != second.code


def test_editing_an_attested_rule_keeps_what_changed_in_the_history(org):
    ict = org.users["ict_secretary"]
    rule = _attested()
    old_title = rule.title
    changed = rule_services.edit_attested_rule(
        rule, {**VALUES, "title": "Uusi otsikko"}, reason="Selkeämpi sanamuoto.", actor=ict
    )
    assert "title" in changed
    rule.refresh_from_db()
    assert rule.title == "Uusi otsikko"
    from approvals.rule_history import rule_changes

    latest = rule_changes(rule)[0]
    assert latest.reason == "Selkeämpi sanamuoto."
    assert latest.who == ict
    assert any(f.old == old_title and f.new == "Uusi otsikko" for f in latest.fields)


def test_nothing_changed_saves_nothing(org):
    rule = _attested()
    values = {field: getattr(rule, field) for field in rule_services.EDITABLE_FIELDS}
    before = rule.history.count()
    assert rule_services.edit_attested_rule(rule, values, reason="", actor=org.users["ict_secretary"]) == []
    assert rule.history.count() == before


def test_an_automatic_rule_is_not_edited(org):
    with pytest.raises(rule_services.RuleRefused):
        rule_services.edit_attested_rule(_automatic(), VALUES, reason="Syy", actor=org.users["ict_secretary"])


def test_the_sections_must_exist_in_the_guideline_in_force(org):
    version = GuidelineVersion.objects.current()
    assert version is not None
    with pytest.raises(rule_services.RuleRefused) as refused:
        rule_services.add_attested_rule({**VALUES, "sections": "5, 99"}, reason="Syy", actor=org.users["ict_secretary"])
    assert "99" in str(refused.value.message_dict["sections"])


def test_a_multi_line_title_is_refused(org):
    with pytest.raises(rule_services.RuleRefused) as refused:
        rule_services.add_attested_rule(
            {**VALUES, "title": "Yksi\nkaksi"}, reason="Syy", actor=org.users["ict_secretary"]
        )
    assert "title" in refused.value.message_dict


def test_good_practice_cites_its_source(org):
    rule = rule_services.add_attested_rule(
        {**VALUES, "sections": "", "is_good_practice": True, "source": "Kuntaliiton suositus"},
        reason="Syy",
        actor=org.users["ict_secretary"],
    )
    assert rule.citation == "Kuntaliiton suositus"


# --- Pages -------------------------------------------------------------------------------------------------


def test_the_list_groups_the_rules_and_shows_the_reason(client_for, org):
    rule = _automatic()
    rule_services.take_out_of_use(rule, reason="Pieni kunta riittää yhdellä.", actor=org.users["ict_secretary"])
    response = client_for("ict_secretary").get(reverse("approvals:rule_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tarkistetaan rekisterin tiedoista" in html
    assert "Henkilö vahvistaa" in html
    assert "Pieni kunta riittää yhdellä." in html
    # A citation links to its section of the guideline in force.
    assert f'href="{reverse("guideline")}#' in html


def test_the_ict_secretary_switches_a_rule_off_on_its_page(client_for, org):
    rule = _automatic()
    client = client_for("ict_secretary")
    response = client.post(reverse("approvals:rule_status", args=[rule.pk]), {"reason": "Ei tarvita."})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert not rule.is_active
    page = client.get(reverse("approvals:rule_detail", args=[rule.pk])).content.decode()
    assert "Muutoshistoria" in page
    assert "Ei tarvita." in page
    assert "ict" in page or "Ilkka" in page


def test_a_switch_without_a_reason_is_a_form_error(client_for, org):
    rule = _automatic()
    response = client_for("ict_secretary").post(reverse("approvals:rule_status", args=[rule.pk]), {"reason": " "})
    assert response.status_code == 200
    assert response.context["form"].errors
    rule.refresh_from_db()
    assert rule.is_active


def test_adding_a_rule_on_the_page(client_for, org):
    client = client_for("ict_secretary")
    response = client.post(reverse("approvals:rule_add"), _form_data(title="Kanavalla on saavutettava kansikuva"))
    assert response.status_code == 302
    rule = PolicyRule.objects.get(title="Kanavalla on saavutettava kansikuva")
    assert response.url == reverse("approvals:rule_detail", args=[rule.pk])


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"title": "Yksi\r\nkaksi"}, "title"),
        ({"sections": "99"}, "sections"),
        ({"sections": "viisi"}, "sections"),
        ({"sections": ""}, "sections"),
        ({"stage": "sometime"}, "stage"),
        ({"platforms": ["999999"]}, "platforms"),
        ({"platforms": ["9" * 40]}, "platforms"),
        ({"reason": ""}, "reason"),
        ({"is_good_practice": "on", "source": ""}, "sections"),
    ],
)
def test_bad_input_on_the_rule_form_is_a_form_error(client_for, org, overrides, field):
    before = PolicyRule.objects.count()
    response = client_for("ict_secretary").post(reverse("approvals:rule_add"), _form_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert PolicyRule.objects.count() == before


def test_a_missing_section_gets_a_clear_finnish_message(client_for, org):
    response = client_for("ict_secretary").post(reverse("approvals:rule_add"), _form_data(sections="5, 42"))
    message = " ".join(response.context["form"].errors["sections"])
    assert "Voimassa olevassa ohjeessa" in message and "42" in message


def test_editing_an_automatic_rule_is_not_offered(client_for, org):
    response = client_for("ict_secretary").get(reverse("approvals:rule_edit", args=[_automatic().pk]))
    assert response.status_code == 404


def test_editing_an_attested_rule_on_the_page(client_for, org):
    rule = _attested()
    client = client_for("ict_secretary")
    page = client.get(reverse("approvals:rule_edit", args=[rule.pk]))
    assert page.context["form"].initial["title"] == rule.title
    data = _form_data(title="Muokattu sääntö", sections=rule.sections or "3", stage=rule.stage, reason="Tarkennus")
    if rule.is_good_practice:
        data.update(sections="", is_good_practice="on", source=rule.source)
    response = client.post(reverse("approvals:rule_edit", args=[rule.pk]), data)
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.title == "Muokattu sääntö"


def test_a_seeded_rule_starts_its_history_with_its_values(client_for, org):
    from approvals.rule_history import rule_changes

    rule = _automatic()
    changes = rule_changes(rule)
    assert len(changes) == 1 and changes[0].kind == "+"
    assert changes[0].reason == "Sääntö sellaisena kuin se oli, kun muutoshistoria alkoi."
