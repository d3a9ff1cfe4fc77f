"""A periodic review as the responsible person does it in the browser, in Finnish; and the dashboard in
Finnish and English. axe checks every page visited."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.utils import timezone

from approvals.models import PolicyRule, Review, ReviewStatus
from approvals.review_services import rules_to_answer
from tests.a11y import assert_accessible
from tests.conftest import login
from tests.proposal_builders import ensure_seed_data
from tests.registry_helpers import make_channel, make_right

pytestmark = pytest.mark.browser


def _seed():
    """Platforms and rules (with their checks) as the migrations load them; a transactional flush removes them."""
    ensure_seed_data()
    if not PolicyRule.objects.filter(code="review-on-time").exists():
        importlib.import_module("approvals.migrations.0005_automatic_checks_and_review_rule").forwards(apps, None)


def test_the_responsible_person_reviews_a_channel(page, org):
    _seed()
    channel = make_channel(
        org.unit,
        name="Kirjaston Facebook",
        responsible_person=org.people["staff"],
        holiday_cover_person=org.people["supervisor"],
        next_review_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    make_right(channel, org.people["staff"])
    make_right(channel, org.people["supervisor"])

    login(page, "tyontekija")
    page.get_by_role("link", name="Kanavieni katselmoinnit").click()
    assert page.locator("h1").inner_text() == "Kanavieni katselmoinnit"
    assert page.get_by_text("myöhässä").first.is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Kirjaston Facebook").click()
    assert_accessible(page)
    page.get_by_role("button", name="Aloita katselmointi").click()
    page.wait_for_url(re.compile(r"/katselmoinnit/\d+/$"))
    assert_accessible(page)

    rules = rules_to_answer(channel)
    for rule in rules:
        page.locator(f"#answer-{rule.code}-met").check()
    # One rule not met, first without a note: the page says what is missing.
    page.locator(f"#answer-{rules[0].code}-not_met").check()
    page.get_by_role("button", name="Lähetä katselmointi").click()
    assert page.get_by_text("Osa vastauksista vaatii korjausta").is_visible()
    assert_accessible(page)
    page.locator(f"#note-{rules[0].code}").fill("Vastausaika on nyt kolme päivää; tavoite kaksi.")
    page.get_by_role("button", name="Lähetä katselmointi").click()
    page.wait_for_url(re.compile(rf"/katselmoinnit/kanava/{channel.pk}/$"))

    channel.refresh_from_db()
    assert Review.objects.get(channel=channel).status == ReviewStatus.SUBMITTED
    assert channel.last_reviewed_on == timezone.localdate()
    next_date = channel.next_review_on.strftime("%-d.%-m.%Y")
    assert next_date in page.locator("#next-review").inner_text()
    assert page.get_by_text(f"Seuraava katselmointi erääntyy {next_date}").is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["fi", "en"])
def test_the_dashboard_is_accessible(page, org, language):
    _seed()
    for n in range(3):
        channel = make_channel(org.unit, name=f"Kanava {n}", responsible_person=org.people["staff"])
        make_right(channel, org.people["staff"])
    login(page, "ict")
    if language == "en":
        page.get_by_role("button", name="In English").click()
        page.wait_for_load_state()
    page.goto(page.base_url + "/kojelauta/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text() == ("Kojelauta" if language == "fi" else "Compliance dashboard")
    assert page.locator("svg[role=img]").count() == 2
    assert_accessible(page)
