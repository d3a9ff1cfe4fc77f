"""Names, titles and addresses are one line (issue 16): a "\r\nBcc:" typed into a proposal's name must not become a
line of its own in the deciders' e-mail, nor a row of its own in an export. Every single-line field of every model
carries ``core.validators.single_line``, so ModelForms, the admin and services that call ``full_clean`` refuse it;
the forms that are not ModelForms and the imports refuse it too."""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse

from approvals.models import Proposal, ProposalStatus
from channels.models import Channel, Platform, Unit
from core import organisation
from core.models import Organisation
from core.validators import single_line
from tests.proposal_builders import make_draft
from tests.test_proposals_views import form_data as proposal_form_data
from tests.test_registry_views import form_data as channel_form_data

pytestmark = pytest.mark.django_db

INJECTED = "Header test\r\nBcc: x@example.invalid"
ONE_LINE_FI = "Anna tämä yhdellä rivillä, ilman rivinvaihtoja tai ohjausmerkkejä."
PORTAL_APPS = {"channels", "approvals", "guideline", "core", "somegov"}

# Deliberate exceptions: (model label, field name) and why the field keeps no single_line of its own.
EXCEPTIONS = {
    # django-simple-history's own field on every history table; it is written by code, never typed.
    **{
        (model._meta.label, "history_change_reason"): "simple-history's field, written by code"
        for model in apps.get_models()
        if model._meta.app_label in PORTAL_APPS and any(f.name == "history_change_reason" for f in model._meta.fields)
    },
}


def _single_line_fields():
    for model in apps.get_models():
        if model._meta.app_label not in PORTAL_APPS:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField) and (model._meta.label, field.name) not in EXCEPTIONS:
                yield model, field


def test_every_single_line_field_of_every_model_refuses_a_line_break():
    """A field with choices refuses anything not on its list, an e-mail address or a slug by its own validator;
    every other CharField (a name, a title, a label, an address, a URL) carries ``single_line``."""
    fields = list(_single_line_fields())
    assert len(fields) > 50
    missing, accepting = [], []
    for model, field in fields:
        label = f"{model._meta.label}.{field.name}"
        own_rule = field.choices or isinstance(field, models.EmailField | models.SlugField)
        if not own_rule and single_line not in field.validators:
            missing.append(label)
        try:
            field.clean(INJECTED, None)
        except ValidationError:
            pass
        else:
            accepting.append(label)
    assert missing == []
    assert accepting == []


def test_the_exceptions_name_real_fields():
    for label, name in EXCEPTIONS:
        apps.get_model(label)._meta.get_field(name)


# --- A proposal's name, end to end ----------------------------------------------------------------------------


def test_a_proposal_named_with_a_line_break_is_refused_and_nothing_is_sent(
    org, client_for, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    response = client_for("staff").post(reverse("approvals:proposal_create"), proposal_form_data(org, name=INJECTED))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ehdotusta ei tallennettu." in page
    assert ONE_LINE_FI in page
    assert not Proposal.objects.exists()
    assert mail.outbox == []


def test_a_draft_that_holds_a_line_break_from_before_cannot_be_submitted(
    org, client_for, django_capture_on_commit_callbacks
):
    """A draft saved before the rule (or by a service without ``full_clean``) does not reach the deciders."""
    draft = make_draft(org)
    Proposal.objects.filter(pk=draft.pk).update(name=INJECTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(reverse("approvals:proposal_submit", args=[draft.pk]))
    assert response.status_code == 200
    assert ONE_LINE_FI in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ProposalStatus.DRAFT
    assert mail.outbox == []


def test_the_deciders_mail_keeps_a_name_on_one_line(org, client_for, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    draft = make_draft(org, name="Kirjaston Instagram")
    with django_capture_on_commit_callbacks(execute=True):
        client_for("staff").post(reverse("approvals:proposal_submit", args=[draft.pk]))
    assert mail.outbox
    for message in mail.outbox:
        assert not re.search(r"^Bcc:", message.body, re.MULTILINE)
        assert "Kirjaston Instagram" in message.body


# --- The registry, the unit import and the organisation -----------------------------------------------------


def test_a_channel_named_with_a_line_break_is_refused(org, client_for):
    response = client_for("ict_secretary").post(
        reverse("channels:channel_create"), channel_form_data(org, name=INJECTED)
    )
    assert response.status_code == 200
    assert ONE_LINE_FI in str(response.context["form"].errors["name"])
    assert not Channel.objects.exists()


def test_a_unit_row_with_a_control_character_is_refused_by_row(org, client_for):
    text = "Yksikkö;Tyyppi;Ylempi yksikkö\nNuoriso\x0btila;Palveluyksikkö;Sivistyspalvelut\n"
    response = client_for("ict_secretary").post(
        reverse("channels:units_import"), {"file": SimpleUploadedFile("yksikot.csv", text.encode())}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert ONE_LINE_FI in page
    assert response.context["token"] is None
    assert not Unit.objects.filter(name__startswith="Nuoriso").exists()


def test_the_organisation_page_refuses_a_name_with_a_line_break(org, client_for):
    response = client_for("ict_secretary").post(
        reverse("organisation"), {"name": INJECTED, "name_genitive": "Esimerkkilän"}
    )
    assert response.status_code == 200
    assert ONE_LINE_FI in response.content.decode()
    assert not Organisation.objects.filter(name__contains="Bcc").exists()


def test_setup_organisation_refuses_a_name_with_a_line_break(db, settings):
    Organisation.objects.all().delete()
    organisation.forget()
    with pytest.raises(CommandError, match="name: Anna tämä yhdellä rivillä"):
        call_command("setup_organisation", "--name", INJECTED, "--genitive", "Esimerkkilän", stdout=StringIO())
    assert not Organisation.objects.exists()


# --- The guideline's own file ---------------------------------------------------------------------------------


def _import_guideline(client, text):
    return client.post(
        reverse("guideline_import"),
        {"file": SimpleUploadedFile("ohje.md", text.encode()), "title": "", "label": ""},
    )


def test_a_guideline_heading_with_a_control_character_is_refused_and_a_tab_is_a_space(org, client_for):
    from guideline.models import GuidelineVersion

    GuidelineVersion.objects.drafts().delete()
    client = client_for("ict_secretary")
    response = _import_guideline(client, "# Ohje\n\n## 1. Yksi\x01kaksi\n\nTeksti.\n")
    assert response.status_code == 200
    assert "Otsikossa on ohjausmerkki" in response.content.decode()
    assert not GuidelineVersion.objects.drafts().exists()
    response = _import_guideline(client, "# Ohje\n\n## 1.\tYksi\tkaksi\n\nTeksti.\n")
    assert response.status_code == 302
    assert [s.title for s in GuidelineVersion.objects.drafts().get().sections.all()] == ["Yksi kaksi"]


def test_the_admin_refuses_a_channel_named_with_a_line_break(org, client):
    client.force_login(org.users["ict_secretary"])
    data = {
        "platform": Platform.objects.get(slug="facebook").pk,
        "name": INJECTED,
        "address": "facebook.com/toinen.demo",
        "owner_unit": org.unit.pk,
        "two_factor_method": "",
        "crisis_role": "undecided",
    }
    for prefix in ("rights", "rights-2"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:channels_channel_add"), data)
    assert response.status_code == 200
    assert ONE_LINE_FI in str(response.context["adminform"].form.errors["name"])
    assert not Channel.objects.exists()
