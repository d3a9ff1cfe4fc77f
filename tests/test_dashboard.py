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


def _matrix_channels(html):
    table = html.split('class="table table-sm table-bordered compliance-matrix"')[1].split("</table>")[0]
    return [line.split('">')[1].split("</a>")[0] for line in table.split('<th scope="row"><a href="')[1:]]


def test_the_compliance_table_is_paged_but_the_counts_cover_every_channel(org, client_for):
    _registry(org, 60)
    client = client_for("ict_secretary")
    first = client.get(reverse("approvals:dashboard")).content.decode()
    assert "60 kanavaa käytössä" in first  # the summary counts them all
    assert len(_matrix_channels(first)) == 50
    assert "Sivu 1/2" in first
    second = client.get(reverse("approvals:dashboard") + "?page=2").content.decode()
    assert len(_matrix_channels(second)) == 10
    assert set(_matrix_channels(first)).isdisjoint(_matrix_channels(second))
    for bad in ("999", "abc", "-1"):  # a page that does not exist shows a page that does, never an error
        response = client.get(reverse("approvals:dashboard") + f"?page={bad}")
        assert response.status_code == 200 and _matrix_channels(response.content.decode())


def test_the_table_can_show_only_the_channels_that_miss_a_rule(org, client_for):
    _registry(org, 3)
    good = make_channel(org.unit, name="Kunnossa oleva kanava", responsible_person=org.people["staff"])
    client = client_for("ict_secretary")
    everything = client.get(reverse("approvals:dashboard")).content.decode()
    problems = client.get(reverse("approvals:dashboard") + "?show=problems").content.decode()
    from approvals.compliance import evaluate_registry

    _rules, rows = evaluate_registry()
    missing = sorted(row.channel.name for row in rows if not row.is_compliant)
    compliant = sorted(row.channel.name for row in rows if row.is_compliant)
    assert sorted(_matrix_channels(problems)) == missing
    assert sorted(_matrix_channels(everything)) == sorted(missing + compliant)
    assert good.name in everything
    assert '<option value="problems" selected>' in problems


def test_long_review_and_leaver_lists_show_the_first_ones_and_link_to_all(org, client_for, monkeypatch):
    from approvals import dashboard_views

    monkeypatch.setattr(dashboard_views, "LIST_LIMIT", 3)
    _registry(org, 8)  # reviews due from five days ago onwards: five overdue, three due soon
    html = client_for("ict_secretary").get(reverse("approvals:dashboard")).content.decode()
    reviews = html.split('id="sec-reviews"')[1].split("</section>")[0]
    assert reviews.count('<th scope="row">') == 3
    assert "Näytetään ensimmäiset 3 / 8, eniten myöhässä olevat ensin." in reviews
    assert "?problems=review_overdue" in reviews
    assert reviews.index("Kanava 000") < reviews.index("Kanava 001")  # the most overdue first
    org.people["staff"].left_on = timezone.localdate()
    org.people["staff"].save()  # now holds eight rights after leaving
    html = client_for("ict_secretary").get(reverse("approvals:dashboard")).content.decode()
    leavers = html.split('id="sec-leavers"')[1].split("</section>")[0]
    assert leavers.count("<li>") == 3
    assert "Näytetään ensimmäiset 3 / 8." in leavers and reverse("approvals:rights_problems") in leavers


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
