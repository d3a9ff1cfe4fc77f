"""The guideline in the admin: read-only."""

import pytest
from django.urls import reverse

from tests.guideline_factories import current_version

pytestmark = pytest.mark.django_db


def test_the_admin_shows_the_guideline_read_only(client_for):
    client = client_for("ict_secretary")
    version = current_version()
    assert client.get(reverse("admin:guideline_guidelineversion_changelist")).status_code == 200
    page = client.get(reverse("admin:guideline_guidelineversion_change", args=[version.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.text  # no save button: published versions are changed nowhere
    assert client.get(reverse("admin:guideline_guidelineversion_add")).status_code == 403
    assert client.get(reverse("admin:somegov_accessibilityfeedback_changelist")).status_code == 200
    assert client.get(reverse("admin:guideline_guidelineacknowledgement_changelist")).status_code == 200
