"""The registry in the admin: every list and form opens for the ICT secretary, nothing with history can be
deleted, and status changes and revocations go through the services with a reason."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from channels.models import Channel, ChannelStatus, Person, Platform, Unit, UpdateRight
from tests.registry_helpers import make_channel, make_right, platform


@pytest.fixture
def admin_client_for(org, client):
    client.force_login(org.users["ict_secretary"])
    return client


@pytest.mark.parametrize("model", [Channel, UpdateRight, Person, Unit, Platform])
def test_every_registry_list_and_form_opens(org, admin_client_for, model):
    channel = make_channel(org.unit)
    make_right(channel, org.people["staff"])
    make_right(channel, org.people["supervisor"], revoked=True)
    obj = model.objects.first()
    opts = model._meta
    for url in [
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]),
    ]:
        assert admin_client_for.get(url).status_code == 200, url


@pytest.mark.parametrize("model", [Channel, UpdateRight, Person, Unit, Platform])
def test_nothing_with_history_can_be_deleted(org, admin_client_for, model):
    make_right(make_channel(org.unit), org.people["staff"])
    obj = model.objects.first()
    opts = model._meta
    response = admin_client_for.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk]))
    assert response.status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_rights_are_not_added_in_the_admin(admin_client_for):
    assert admin_client_for.get(reverse("admin:channels_updateright_add")).status_code == 403


def test_the_channel_list_filters_by_problem(org, admin_client_for):
    make_channel(org.unit, name="Puutteellinen")
    response = admin_client_for.get(reverse("admin:channels_channel_changelist"), {"problems": "no_maintainer"})
    assert [c.name for c in response.context["cl"].result_list] == ["Puutteellinen"]


def test_revoking_in_the_admin_asks_for_a_reason_then_calls_the_service(org, admin_client_for):
    right = make_right(make_channel(org.unit), org.people["staff"])
    url = reverse("admin:channels_updateright_changelist")
    data = {"action": "revoke", ACTION_CHECKBOX_NAME: [right.pk]}
    response = admin_client_for.post(url, data)
    assert response.status_code == 200 and "reason" in response.context["form"].fields
    right.refresh_from_db()
    assert right.is_current
    admin_client_for.post(url, {**data, "apply": "1", "reason": "Lähti talosta"})
    right.refresh_from_db()
    assert (right.revoke_reason, right.revoked_by) == ("Lähti talosta", org.users["ict_secretary"])


def test_revoking_a_revoked_right_in_the_admin_reports_it(org, admin_client_for):
    right = make_right(make_channel(org.unit), org.people["staff"], revoked=True)
    url = reverse("admin:channels_updateright_changelist")
    response = admin_client_for.post(
        url, {"action": "revoke", ACTION_CHECKBOX_NAME: [right.pk], "apply": "1", "reason": "Uudelleen"}, follow=True
    )
    assert any(message.level_tag == "error" for message in response.context["messages"])
    right.refresh_from_db()
    assert right.revoke_reason == "Testi"


def test_retiring_in_the_admin_goes_through_the_transition_rules(org, admin_client_for):
    channel = make_channel(org.unit)
    url = reverse("admin:channels_channel_changelist")
    data = {"action": "retire", ACTION_CHECKBOX_NAME: [channel.pk], "apply": "1", "reason": "Loppu"}
    admin_client_for.post(url, data)
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.RETIRED
    assert channel.history.first().history_change_reason == "Loppu"


def test_adding_a_channel_in_the_admin_validates_the_address(org, admin_client_for):
    make_channel(org.unit, name="Suomussalmen kunta", address="facebook.com/suomussalmi")
    data = {
        "platform": platform("facebook").pk,
        "name": "Toinen",
        "address": "https://m.facebook.com/Suomussalmi/?ref=x",
        "owner_unit": org.unit.pk,
        "two_factor_method": "",
        "crisis_role": "undecided",
    }
    for prefix in ("rights", "rights-2"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = admin_client_for.post(reverse("admin:channels_channel_add"), data)
    assert "Suomussalmen kunta" in str(response.context["adminform"].form.errors["address"])
    data["address"] = "facebook.com/toinen.demo"
    response = admin_client_for.post(reverse("admin:channels_channel_add"), data)
    assert response.status_code == 302
    added = Channel.objects.get(name="Toinen")
    assert added.status == ChannelStatus.PROPOSED
    assert added.history.first().history_user == org.users["ict_secretary"]


def test_history_can_be_read_but_not_reverted(org, admin_client_for):
    channel = make_channel(org.unit, name="Alkuperäinen")
    record = channel.history.first()
    channel.name = "Uusi"
    channel.save()
    url = reverse("admin:channels_channel_simple_history", args=[channel.pk, record.history_id])
    assert admin_client_for.get(url).status_code == 200
    assert admin_client_for.post(url, {"name": "Alkuperäinen"}).status_code == 403
    channel.refresh_from_db()
    assert channel.name == "Uusi"
