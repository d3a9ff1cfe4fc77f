"""After purge_personal_data, the ICT secretary follows a retired channel to its anonymised responsible person, in
Finnish and in English, with axe finding nothing on either page."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from channels.models import ChannelStatus
from somegov import retention
from tests.a11y import assert_accessible
from tests.conftest import login
from tests.registry_helpers import make_channel

pytestmark = pytest.mark.browser


def test_the_secretary_finds_the_anonymised_person_of_a_retired_channel(page, org):
    person = org.people["staff"]
    person.left_on = retention.left_staff_cutoff() - datetime.timedelta(days=1)
    person.save()
    channel = make_channel(org.unit, name="Vanha kanava", status=ChannelStatus.RETIRED, responsible_person=person)
    call_command("purge_personal_data", stdout=io.StringIO())

    login(page, "ict")
    page.goto(page.base_url + reverse("channels:channel_detail", args=[channel.pk]))
    expect(page.locator(".badge", has_text="anonymisoitu")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Poistunut henkilö #{person.pk}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Poistunut henkilö #{person.pk}")
    expect(page.get_by_role("alert")).to_contain_text("Anonymisoitu")
    assert_accessible(page)
    page.get_by_role("button", name="In English").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text("Anonymised on")
    assert_accessible(page)
