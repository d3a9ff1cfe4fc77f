"""The review form takes its answers and notes through a Django form: a NUL character, a 1 MB note or an
unknown answer is refused with a Finnish message and a 400, on SQLite and PostgreSQL alike (issue 16)."""

import pytest
from django.urls import reverse

from approvals import review_services as services
from approvals.models import ReviewAnswer
from approvals.review_forms import NOTE_MAX_LENGTH
from tests.registry_helpers import make_channel, make_right


@pytest.fixture
def review(org):
    channel = make_channel(org.unit, responsible_person=org.people["staff"])
    make_right(channel, org.people["staff"])
    return services.start_review(channel, actor=org.users["staff"])


def _post(client, review, note, answer="not_met"):
    code = services.rules_to_answer(review.channel)[0].code
    return client.post(
        reverse("approvals:review_detail", args=[review.pk]),
        {f"answer-{code}": answer, f"note-{code}": note, "save": ""},
    )


@pytest.mark.parametrize(
    ("note", "answer", "message"),
    [
        ("Ei\x00 täyty", "not_met", "null"),
        ("x" * 1_000_000, "not_met", f"enintään {NOTE_MAX_LENGTH} merkkiä"),
        ("x" * (NOTE_MAX_LENGTH + 1), "not_met", f"enintään {NOTE_MAX_LENGTH} merkkiä"),
        ("Perustelu", "maybe\x00", "Valitse"),
        ("Perustelu", "x" * 100_000, "Valitse"),
    ],
    ids=["NUL in the note", "a 1 MB note", "one character too long", "NUL in the answer", "a huge answer"],
)
def test_bad_review_input_is_refused_and_nothing_is_saved(org, review, client_for, note, answer, message):
    response = _post(client_for("staff"), review, note, answer)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReviewAnswer.objects.filter(review=review).exists()


def test_a_note_at_the_limit_is_saved(org, review, client_for):
    response = _post(client_for("staff"), review, "x" * NOTE_MAX_LENGTH)
    assert response.status_code == 302
    assert ReviewAnswer.objects.get(review=review).note == "x" * NOTE_MAX_LENGTH


def test_the_note_field_says_its_limit(org, review, client_for):
    page = client_for("staff").get(reverse("approvals:review_detail", args=[review.pk]))
    assert f'maxlength="{NOTE_MAX_LENGTH}"' in page.content.decode()
