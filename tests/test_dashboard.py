"""The compliance dashboard: content, constant query count at 10 and 200 channels, CSV and XLSX export;
and the review pages walked through the test client."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from approvals.models import Review, ReviewStatus
from approvals.review_services import rules_to_answer
from channels.models import UpdateRole
from tests.registry_helpers import make_channel, make_right


def _registry(org, size):
    today = timezone.localdate()
    for n in range(size):
        channel = make_channel(
            org.unit,
            name=f"Kanava {n:03}",
            responsible_person=org.people["staff"],
            next_review_on=today + datetime.timedelta(days=n - 5),
        )
        make_right(channel, org.people["staff"])
        make_right(channel, org.people["supervisor"], role=UpdateRole.EDITOR)


def _count_queries(client, django_assert_max_num_queries, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["ict_secretary", "municipal_manager"])
def test_it_shows_the_dashboard(org, client_for, role):
    _registry(org, 3)
    org.people["outsider"].left_on = timezone.localdate()
    org.people["outsider"].save()
    make_right(make_channel(org.unit, name="Lähtijän kanava"), org.people["outsider"])
    response = client_for(role).get(reverse("approvals:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Kanava 000" in html and 'scope="row"' in html and 'scope="col"' in html
    assert 'role="img"' in html and "aria-label=" in html
    assert "Olli Ulkonen" in html  # a leaver with a right
    assert "compliance-not_met" in html and "✗" in html


def test_it_keeps_the_query_count_constant(org, client_for, django_assert_max_num_queries):
    client = client_for("ict_secretary")
    _registry(org, 10)
    small = _count_queries(client, django_assert_max_num_queries, reverse("approvals:dashboard"))
    _registry(org, 190)
    large = _count_queries(client, django_assert_max_num_queries, reverse("approvals:dashboard"))
    assert small == large


@pytest.mark.parametrize("size", [10, 200])
def test_it_answers_in_a_fixed_number_of_queries(org, client_for, django_assert_num_queries, size):
    client = client_for("ict_secretary")
    client.get(reverse("approvals:dashboard"))  # session and user loaded once, as in every request
    _registry(org, size)
    with django_assert_num_queries(11):  # no session save (SlidingSessionMiddleware)
        assert client.get(reverse("approvals:dashboard")).status_code == 200


def test_it_exports_csv(org, client_for):
    _registry(org, 2)
    make_channel(org.unit, name="=HYPERLINK(1)", responsible_person=org.people["staff"])
    response = client_for("ict_secretary").get(reverse("approvals:dashboard_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 4
    names = [row[0] for row in rows[1:]]
    assert "Kanava 000" in names and "'=HYPERLINK(1)" in names
    assert len(rows[0]) == 6 + 10  # six channel columns and the ten automatic rules


def test_it_exports_xlsx(org, client_for):
    _registry(org, 2)
    response = client_for("municipal_manager").get(reverse("approvals:dashboard_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 3
    assert values[1][0] == "Kanava 000"
    assert values[1][5] in ("ei", "no")


def test_the_responsible_person_reviews_through_the_pages(org, client_for):
    channel = make_channel(org.unit, responsible_person=org.people["staff"])
    client = client_for("staff")
    assert channel.name in client.get(reverse("approvals:review_list")).content.decode()
    response = client.post(reverse("approvals:review_start", args=[channel.pk]))
    review = Review.objects.get(channel=channel)
    assert response["Location"] == reverse("approvals:review_detail", args=[review.pk])
    rules = rules_to_answer(channel)
    data = {f"answer-{rule.code}": "met" for rule in rules}
    data[f"answer-{rules[0].code}"] = "not_met"  # without a note: refused, nothing saved
    response = client.post(reverse("approvals:review_detail", args=[review.pk]), {**data, "submit": "1"})
    assert response.status_code == 400
    assert review.answers.count() == 0
    data[f"note-{rules[0].code}"] = "Korjataan ensi kuussa."
    response = client.post(reverse("approvals:review_detail", args=[review.pk]), {**data, "submit": "1"})
    assert response.status_code == 302
    review.refresh_from_db()
    channel.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert channel.last_reviewed_on == timezone.localdate()
    page = client.get(reverse("approvals:review_channel", args=[channel.pk])).content.decode()
    assert channel.next_review_on.strftime("%-d.%-m.%Y") in page
    # Submitted: a further POST is refused.
    assert client.post(reverse("approvals:review_detail", args=[review.pk]), data).status_code == 403
    # The ICT secretary reads it.
    assert client_for("ict_secretary").get(reverse("approvals:review_detail", args=[review.pk])).status_code == 200
