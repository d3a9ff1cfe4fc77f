"""Language versions of the guideline (issue 19): a reading aid or an equally authoritative parallel text, drafted
from a copy or a translated file by the ICT secretary, published, and read by visitors in their language."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.models import AuditAction, AuditEvent, AuditResult
from guideline import services
from guideline.loading import ImportRefused, ParsedGuideline, ParsedSection, sections_from_markdown
from guideline.models import (
    GuidelineAcknowledgement,
    GuidelineVersion,
    PublishedVersionIsImmutable,
    TranslationStanding,
)
from somegov.settings import _configured_languages
from tests.guideline_factories import SECTION_3, current_version, publish_new_version

pytestmark = pytest.mark.django_db

AUTHORITATIVE = TranslationStanding.EQUALLY_AUTHORITATIVE
READING_AID = TranslationStanding.READING_AID


@pytest.fixture
def bilingual(settings):
    """A bilingual municipality's install: Finnish, Swedish and English."""
    settings.LANGUAGES = _configured_languages(["fi", "sv", "en"])
    return settings


def _swedish_file(original, *, drop=(), extra=""):
    """A Markdown file with ``original``'s sections in "Swedish", less the numbers in ``drop``, plus ``extra``."""
    lines = ["# Anvisningar för sociala medier", ""]
    for section in original.sections.all():
        if section.number in drop:
            continue
        heading = f"{section.number}. Avsnitt {section.number}" if section.number else f"Del {section.order}"
        lines += [f"## {heading}", "", f"Svensk text för {section.slug}.", ""]
    return "\n".join(lines) + extra


def _upload(text, name="anvisning.md"):
    return SimpleUploadedFile(name, text.encode(), "text/markdown")


def _publish(ict, draft, **overrides):
    return services.publish_version(
        ict,
        draft,
        **{"title": "Anvisningar", "label": "", "approved_by": "", "approved_on": None, "note": "", **overrides},
    )


def _swedish_copy(ict, standing=AUTHORITATIVE):
    return services.start_translation(ict, current_version(), language="sv", standing=standing)


# --- The model ---------------------------------------------------------------------------------------------


def test_the_bundled_english_text_is_a_reading_aid_and_the_original_has_no_standing():
    original = current_version()
    english = original.translations.get()
    assert english.standing == READING_AID and not english.is_equally_authoritative
    assert original.standing == ""


def test_the_database_refuses_a_translation_without_a_standing_and_an_original_with_one():
    original = current_version()
    with pytest.raises(IntegrityError), transaction.atomic():
        GuidelineVersion.objects.create(title="Luonnos", standing=AUTHORITATIVE)
    draft = GuidelineVersion(title="x", language="sv", is_translation=True, translation_of=original, standing="")
    draft.save()  # save() gives a translation the default standing
    assert draft.standing == READING_AID


def test_the_database_allows_one_draft_per_language_version(bilingual, ict):
    draft = _swedish_copy(ict)
    with pytest.raises(IntegrityError), transaction.atomic():
        GuidelineVersion.objects.create(
            title="x", language="sv", is_translation=True, translation_of=draft.translation_of, standing=READING_AID
        )


def test_clean_refuses_a_standing_on_an_original_and_a_translation_in_the_original_language():
    original = current_version()
    with pytest.raises(ValidationError) as error:
        GuidelineVersion(title="x", standing=AUTHORITATIVE).clean()
    assert "standing" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        GuidelineVersion(title="x", language="fi", is_translation=True, translation_of=original).clean()
    assert "language" in error.value.message_dict


# --- Services ----------------------------------------------------------------------------------------------


def test_a_copy_has_the_originals_sections_anchors_and_numbers(bilingual, ict):
    draft = _swedish_copy(ict)
    original = current_version()
    assert draft.is_draft and draft.is_translation and draft.translation_of == original
    assert draft.standing == AUTHORITATIVE and draft.language == "sv" and draft.based_on is None
    assert list(draft.sections.values_list("order", "number", "slug", "body")) == list(
        original.sections.values_list("order", "number", "slug", "body")
    )


def test_a_file_with_matching_sections_becomes_the_draft(bilingual, ict):
    original = current_version()
    parsed = sections_from_markdown(_swedish_file(original))
    draft = services.start_translation(ict, original, language="sv", standing=READING_AID, parsed=parsed)
    assert draft.title == "Anvisningar för sociala medier"
    section = draft.sections.get(slug=SECTION_3)
    assert section.title == "Avsnitt 3" and section.number == "3" and "Svensk text" in section.body
    assert draft.sections.count() == original.sections.count()


def test_a_file_with_missing_and_extra_sections_is_refused_naming_them(bilingual, ict):
    original = current_version()
    text = _swedish_file(original, drop=("4",), extra="\n## 9. Extra avsnitt\n\nText.\n")
    with pytest.raises(ImportRefused) as error:
        services.start_translation(
            ict, original, language="sv", standing=READING_AID, parsed=sections_from_markdown(text)
        )
    message = " ".join(error.value.messages)
    assert "Tiedostosta puuttuvat nämä alkuperäisen osiot: “4. Osallistumisen periaatteet”." in message
    assert "Tiedostossa on osioita, joita alkuperäisessä ei ole: “9. Extra avsnitt”." in message
    assert not original.translations.filter(language="sv").exists()


def test_a_file_with_the_sections_in_another_order_is_refused():
    original = list(current_version().sections.all())
    reordered = [ParsedSection(s.number, s.title, s.slug, s.body) for s in original]
    reordered[1], reordered[2] = reordered[2], reordered[1]
    with pytest.raises(ImportRefused, match="eri järjestyksessä"):
        services.match_sections(original, reordered)


def test_publishing_a_language_version_keeps_the_original_in_force_and_makes_it_immutable(bilingual, ict):
    draft = _swedish_copy(ict)
    section = draft.sections.get(slug=SECTION_3)
    services.edit_section(ict, section, title="Ibruktagande av tjänster", body="Svensk text.")
    published = _publish(ict, draft)
    assert published.is_published and published.published_by == ict
    assert GuidelineVersion.objects.current() == published.translation_of
    assert GuidelineVersion.objects.language_version(published.translation_of, "sv") == published
    with pytest.raises(PublishedVersionIsImmutable):
        published.sections.get(slug=SECTION_3).save()
    with pytest.raises(ValidationError):
        services.edit_section(ict, published.sections.get(slug=SECTION_3), title="x", body="y")


def test_a_language_version_keeps_its_originals_sections(bilingual, ict):
    draft = _swedish_copy(ict)
    section = draft.sections.get(slug=SECTION_3)
    for change in (
        lambda: services.add_section(ict, draft, number="8", title="Ny", body="Text."),
        lambda: services.remove_section(ict, section),
        lambda: services.move_section(ict, section, services.MOVE_UP),
    ):
        with pytest.raises(ValidationError, match="samat osiot kuin sen alkuperäisessä"):
            change()


def test_a_redraft_copies_the_published_language_version_and_the_newest_is_read(bilingual, ict):
    first = _publish(ict, _swedish_copy(ict), title="Anvisningar 1")
    redraft = _swedish_copy(ict, standing=READING_AID)
    assert redraft.based_on == first and redraft.title == "Anvisningar 1"
    services.edit_section(ict, redraft.sections.get(slug=SECTION_3), title="Ny titel", body="Ny text.")
    second = _publish(ict, redraft, title="Anvisningar 2")
    assert GuidelineVersion.objects.language_version(current_version(), "sv") == second


def test_a_replaced_language_version_says_it_is_an_earlier_one(bilingual, client, ict):
    first = _publish(ict, _swedish_copy(ict), title="Anvisningar 1")
    redraft = _swedish_copy(ict)
    services.edit_section(ict, redraft.sections.get(slug=SECTION_3), title="Ny titel", body="Ny text.")
    second = _publish(ict, redraft, title="Anvisningar 2")
    assert "Tämä on ohjeen aiempi versio." in client.get(reverse("guideline_version", args=[first.pk])).text
    assert "Tämä on ohjeen aiempi versio." not in client.get(reverse("guideline_version", args=[second.pk])).text


def test_a_redraft_identical_to_the_published_one_is_refused(bilingual, ict):
    first = _publish(ict, _swedish_copy(ict))
    redraft = _swedish_copy(ict)
    with pytest.raises(ValidationError, match="identtinen"):
        _publish(ict, redraft, title=first.title)


def test_a_language_version_of_an_earlier_version_is_refused_and_its_draft_is_frozen(bilingual, ict):
    draft = _swedish_copy(ict)
    earlier = current_version()
    publish_new_version(ict)
    with pytest.raises(ValidationError, match="ei ole enää voimassa"):
        services.edit_section(ict, draft.sections.get(slug=SECTION_3), title="x", body="y")
    with pytest.raises(ValidationError, match="vain voimassa olevalle versiolle"):
        services.start_translation(ict, earlier, language="sv", standing=READING_AID)


@pytest.mark.parametrize(
    ("language", "standing", "message"),
    [
        ("fi", AUTHORITATIVE, "alkuperäisen kieltä lukuun ottamatta"),  # the original's own language
        ("de", AUTHORITATIVE, "alkuperäisen kieltä lukuun ottamatta"),  # a language the portal does not know
        ("sv", "binding", "lukuapu vai yhtä velvoittava"),
    ],
)
def test_bad_languages_and_standings_are_refused(bilingual, ict, language, standing, message):
    with pytest.raises(ValidationError, match=message):
        services.start_translation(ict, current_version(), language=language, standing=standing)


def test_a_language_not_configured_is_refused(ict):
    with pytest.raises(ValidationError, match="alkuperäisen kieltä lukuun ottamatta"):  # LANGUAGES=fi,en: no Swedish
        services.start_translation(ict, current_version(), language="sv", standing=READING_AID)


def test_a_second_draft_of_a_language_version_is_refused(bilingual, ict):
    _swedish_copy(ict)
    with pytest.raises(ValidationError, match="on jo luonnos"):
        _swedish_copy(ict)


def test_only_the_ict_secretary_adds_a_language_version(bilingual, org):
    with pytest.raises(PermissionDenied):
        services.start_translation(org.users["staff"], current_version(), language="sv", standing=READING_AID)


def test_reading_a_language_version_acknowledges_the_version_in_force(bilingual, ict, org):
    published = _publish(ict, _swedish_copy(ict))
    staff = org.users["staff"]
    services.acknowledge(staff, published)
    assert GuidelineAcknowledgement.objects.get(user=staff).version == current_version()
    assert services.pending_acknowledgement(staff) is None


def test_the_missing_languages_are_the_configured_ones_without_a_version(bilingual, ict):
    original = current_version()
    assert [code for code, _name in services.missing_languages(original)] == ["sv"]
    _swedish_copy(ict)
    assert services.missing_languages(original) == []


# --- Pages -------------------------------------------------------------------------------------------------


def _add_url():
    return reverse("guideline_translation_add", args=[current_version().pk])


def test_the_ict_secretary_adds_a_swedish_version_from_a_copy_and_it_is_audited(bilingual, client_for):
    client = client_for("ict_secretary")
    versions = client.get(reverse("guideline_versions")).text
    assert "Lisää kieliversio: Ruotsi" in versions or "Lisää kieliversio: ruotsi" in versions
    response = client.post(_add_url(), {"language": "sv", "standing": AUTHORITATIVE, "source": "copy"})
    draft = current_version().translations.drafts().get()
    assert response.status_code == 302 and response.url == reverse("guideline_draft", args=[draft.pk])
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, object_id=str(draft.pk))
    assert "started from a copy" in event.detail
    page = client.get(response.url).text
    assert "Kieliversion luonnos" in page and "Lisää osio loppuun" not in page


def test_the_add_page_refuses_a_file_without_headings_in_the_users_language(bilingual, client_for):
    client = client_for("ict_secretary")
    response = client.post(
        _add_url(),
        {"language": "sv", "standing": READING_AID, "source": "file", "file": _upload("Pelkkää tekstiä.")},
    )
    assert response.status_code == 200
    assert "Tiedostossa ei ole otsikoita" in response.text
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, result=AuditResult.REFUSED).exists()
    assert not GuidelineVersion.objects.drafts().filter(is_translation=True).exists()


def test_the_add_page_names_the_missing_sections(bilingual, client_for):
    text = _swedish_file(current_version(), drop=("7",))
    response = client_for("ict_secretary").post(
        _add_url(), {"language": "sv", "standing": READING_AID, "source": "file", "file": _upload(text)}
    )
    assert response.status_code == 200
    assert "Tiedostosta puuttuvat nämä alkuperäisen osiot" in response.text
    assert "7. Suomussalmen kunnan sosiaalisen median välineet" in response.text


def test_the_add_page_imports_a_matching_file(bilingual, client_for):
    response = client_for("ict_secretary").post(
        _add_url(),
        {
            "language": "sv",
            "standing": READING_AID,
            "source": "file",
            "file": _upload(_swedish_file(current_version())),
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, result=AuditResult.SUCCESS).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"language": "de", "standing": READING_AID, "source": "copy"},
        {"language": "fi", "standing": READING_AID, "source": "copy"},
        {"language": "sv", "standing": "binding", "source": "copy"},
        {"language": "sv", "standing": READING_AID, "source": "file"},  # no file
    ],
)
def test_the_add_page_refuses_bad_input_without_an_error_page(bilingual, client_for, data):
    response = client_for("ict_secretary").post(_add_url(), data)
    assert response.status_code == 200 and "is-invalid" in response.text
    assert not GuidelineVersion.objects.drafts().filter(is_translation=True).exists()


def test_the_add_page_does_not_offer_a_language_being_drafted(bilingual, client_for, ict):
    _swedish_copy(ict)
    client = client_for("ict_secretary")
    response = client.post(_add_url(), {"language": "sv", "standing": READING_AID, "source": "copy"})
    assert response.status_code == 200 and "is-invalid" in response.text
    assert current_version().translations.drafts().count() == 1


def test_the_add_page_of_an_earlier_version_sends_back_to_the_versions(bilingual, client_for, ict):
    earlier = current_version()
    publish_new_version(ict)
    response = client_for("ict_secretary").get(reverse("guideline_translation_add", args=[earlier.pk]))
    assert response.status_code == 302 and response.url == reverse("guideline_versions")


def test_publishing_from_the_page_audits_and_shows_the_language_version(bilingual, client_for, ict):
    draft = _swedish_copy(ict)
    client = client_for("ict_secretary")
    assert "Julkaise kieliversio" in client.get(reverse("guideline_draft_publish", args=[draft.pk])).text
    response = client.post(reverse("guideline_draft_publish", args=[draft.pk]), {"title": "Anvisningar"})
    assert response.status_code == 302 and response.url == reverse("guideline_version", args=[draft.pk])
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, detail__startswith="published the sv").exists()


def test_structure_pages_are_not_found_for_a_language_version(bilingual, client_for, ict):
    draft = _swedish_copy(ict)
    client = client_for("ict_secretary")
    assert client.get(reverse("guideline_draft_section_add", args=[draft.pk])).status_code == 404
    assert client.get(reverse("guideline_draft_section_remove", args=[draft.pk, SECTION_3])).status_code == 404
    assert client.get(reverse("guideline_draft_section", args=[draft.pk, SECTION_3])).status_code == 200


def _pick(client, language):
    client.post(reverse("set_language"), {"language": language, "next": "/"})


def test_a_swedish_visitor_reads_the_equally_authoritative_version(bilingual, client, ict):
    published = _publish(ict, _swedish_copy(ict), title="Anvisningar för sociala medier")
    _pick(client, "sv")
    page = client.get(reverse("guideline")).text
    assert "Anvisningar för sociala medier" in page
    assert "Denna språkversion är lika förpliktande som den finskspråkiga." in page
    assert reverse("guideline_version", args=[current_version().pk]) in page
    _pick(client, "fi")
    finnish = client.get(reverse("guideline_version", args=[published.pk])).text
    assert "Tämä kieliversio on yhtä velvoittava kuin suomenkielinen." in finnish


def test_a_swedish_visitor_reads_a_reading_aid_with_its_notice(bilingual, client, ict):
    _publish(ict, _swedish_copy(ict, standing=READING_AID))
    _pick(client, "sv")
    page = client.get(reverse("guideline")).text
    assert "Detta är ett lässtöd; den finskspråkiga versionen är förpliktande." in page


def test_a_finnish_visitor_and_a_swedish_one_without_a_version_read_finnish(bilingual, client, ict):
    _swedish_copy(ict)  # a draft is not shown
    _pick(client, "sv")
    page = client.get(reverse("guideline")).text
    assert "Tämä ohje sisältää Suomussalmen kunnan" in page


def test_drafts_of_language_versions_are_not_public(bilingual, client_for, ict):
    draft = _swedish_copy(ict)
    assert client_for("anonymous").get(reverse("guideline_version", args=[draft.pk])).status_code == 404
    assert client_for("staff").get(reverse("guideline_draft", args=[draft.pk])).status_code == 403


def test_the_translation_form_refuses_a_future_approval_date(bilingual, client_for, ict):
    draft = _swedish_copy(ict)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_for("ict_secretary").post(
        reverse("guideline_draft_publish", args=[draft.pk]), {"title": "Anvisningar", "approved_on": tomorrow}
    )
    assert (
        response.status_code == 200 and draft.translation_of.translations.published().filter(language="sv").count() == 0
    )


def test_parsed_guideline_without_title_keeps_the_originals(bilingual, ict):
    original = current_version()
    parsed = ParsedGuideline("", [ParsedSection(s.number, s.title, s.slug, s.body) for s in original.sections.all()])
    draft = services.start_translation(ict, original, language="sv", standing=READING_AID, parsed=parsed)
    assert draft.title == original.title


def test_staff_acknowledge_the_version_in_force_on_the_swedish_page(bilingual, client_for, ict):
    published = _publish(ict, _swedish_copy(ict))
    client = client_for("staff")
    _pick(client, "sv")
    page = client.get(reverse("guideline")).text
    assert reverse("guideline_acknowledge", args=[published.pk]) in page
    client.post(reverse("guideline_acknowledge", args=[published.pk]))
    assert GuidelineAcknowledgement.objects.filter(version=current_version()).count() == 1


def test_the_preview_and_changes_of_a_language_version_draft_open(bilingual, client_for, ict):
    draft = _swedish_copy(ict)
    client = client_for("ict_secretary")
    preview = client.get(reverse("guideline_draft_preview", args=[draft.pk]))
    assert preview.status_code == 200 and "Tämä kieliversio on yhtä velvoittava kuin suomenkielinen." in preview.text
    assert client.get(reverse("guideline_draft_changes", args=[draft.pk])).status_code == 200
