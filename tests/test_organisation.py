"""The organisation is data: its names in the forms sentences need, its website, contacts and logo.

The environment gives a fresh install its first values; once the ICT secretary saves the organisation's page, the
record wins. Every page and e-mail names the organisation from there, in the visitor's language.
"""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from PIL import Image

from core import organisation
from core.models import AuditAction, AuditEvent, Organisation

ESIMERKKILA = {
    "name": "Esimerkkilän kaupunki",
    "name_genitive": "Esimerkkilän kaupungin",
    "name_sv": "Esimerkkilä stad",
    "name_sv_genitive": "",
    "name_en": "City of Esimerkkilä",
    "short_name": "Esimerkkilä",
    "website": "https://www.esimerkkila.invalid/",
    "registry_office_email": "kirjaamo@esimerkkila.invalid",
    "registry_office_phone": "",
    "dpo_email": "tietosuoja@esimerkkila.invalid",
    "accessibility_email": "saavutettavuus@esimerkkila.invalid",
}


@pytest.fixture
def unsaved(db, settings):
    """A fresh install: no saved record, Esimerkkilä's first values in the environment."""
    Organisation.objects.all().delete()
    settings.ORGANISATION = dict(ESIMERKKILA)
    organisation.forget()
    return settings.ORGANISATION


def image_bytes(fmt, size=(64, 32), colour=(0, 90, 160, 255)):
    out = io.BytesIO()
    Image.new("RGBA", size, colour).save(out, format=fmt)
    return out.getvalue()


# --- The model and the profile ----------------------------------------------------------------------------


def test_the_environment_names_a_fresh_install(unsaved):
    profile = organisation.current()
    assert not profile.saved
    assert profile.names("fi") == ("Esimerkkilän kaupunki", "Esimerkkilän kaupungin")
    assert profile.names("sv") == ("Esimerkkilä stad", "Esimerkkilä stads")
    assert profile.names("en") == ("City of Esimerkkilä", "City of Esimerkkilä")


def test_the_saved_record_wins_over_the_environment(unsaved):
    Organisation(**{**ESIMERKKILA, "name": "Toisenlan kunta", "name_genitive": "Toisenlan kunnan"}).save()
    assert organisation.current().names("fi") == ("Toisenlan kunta", "Toisenlan kunnan")
    assert organisation.current().saved


def test_saving_the_record_is_seen_at_once_despite_the_cache(unsaved):
    assert organisation.current().name == "Esimerkkilän kaupunki"  # cached now
    record = organisation.record_or_first_values()
    record.name = "Uusi nimi"
    record.save()
    assert organisation.current().name == "Uusi nimi"


def test_there_is_only_one_organisation(unsaved):
    Organisation(**ESIMERKKILA).save()
    Organisation(**{**ESIMERKKILA, "name": "Toinen"}).save()  # save() keeps it the one row
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Toinen"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.bulk_create([Organisation(pk=2, **ESIMERKKILA)])


def test_missing_forms_of_the_name_fall_back_sensibly(unsaved, settings):
    settings.ORGANISATION = {"name": "Esimerkkilän kaupunki"}
    organisation.forget()
    profile = organisation.current()
    assert profile.names("fi") == ("Esimerkkilän kaupunki", "Esimerkkilän kaupunki")
    assert profile.names("sv") == ("Esimerkkilän kaupunki", "Esimerkkilän kaupunki")
    assert profile.names("en")[0] == "Esimerkkilän kaupunki"
    assert profile.file_stem == "esimerkkilan-kaupunki"


def test_an_unnamed_install_says_organisation_in_the_language_of_the_page(unsaved, settings):
    settings.ORGANISATION = {}
    organisation.forget()
    with translation.override("fi"):
        assert organisation.current().names() == ("Organisaatio", "Organisaation")
    with translation.override("en"):
        assert organisation.current().names() == ("Organisation", "Organisation")


def test_a_swedish_name_ending_in_s_takes_no_second_s():
    assert organisation.swedish_genitive("Esimerkkilä stad") == "Esimerkkilä stads"
    assert organisation.swedish_genitive("Kristinestads") == "Kristinestads"


# --- The logo ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_a_png_or_webp_logo_is_re_encoded_as_png_and_scaled(fmt):
    png = organisation.reencode_logo(image_bytes(fmt, size=(2000, 1000)))
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert max(image.size) == organisation.LOGO_MAX_SIDE
        assert image.size == (512, 256)


@pytest.mark.parametrize(
    "data",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        image_bytes("GIF"),
        "jpeg",
        image_bytes("PNG")[:40],
        b"",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
    ],
    ids=["svg", "gif", "jpeg", "truncated-png", "empty", "png-header-only"],
)
def test_anything_else_is_refused_with_a_reason(data):
    if data == "jpeg":  # JPEG has no alpha channel
        out = io.BytesIO()
        Image.new("RGB", (10, 10)).save(out, format="JPEG")
        data = out.getvalue()
    with pytest.raises(organisation.LogoError, match="PNG- tai WebP-kuva"):
        organisation.reencode_logo(data)


def test_a_logo_too_large_in_bytes_or_pixels_is_refused():
    with pytest.raises(organisation.LogoError, match="liian suuri"):
        organisation.reencode_logo(b"\x00" * (organisation.LOGO_MAX_BYTES + 1))
    # A small file that claims a huge image (a decompression bomb) is refused before it is decoded.
    out = io.BytesIO()
    Image.new("1", (5000, 5000)).save(out, format="PNG")
    assert len(out.getvalue()) < organisation.LOGO_MAX_BYTES
    with pytest.raises(organisation.LogoError, match="liian suuri"):
        organisation.reencode_logo(out.getvalue())


# --- The ICT secretary's page -----------------------------------------------------------------------------


def form_data(**changes):
    return {**ESIMERKKILA, **changes}


def test_the_page_shows_the_first_values_until_saved(unsaved, client_for):
    page = client_for("ict_secretary").get(reverse("organisation")).text
    assert 'value="Esimerkkilän kaupunki"' in page
    assert "Nämä ovat palvelimen asetusten antamat alkuarvot" in page


def test_saving_names_every_page_and_is_audited(unsaved, client_for, org):
    client = client_for("ict_secretary")
    response = client.post(
        reverse("organisation"), form_data(name="Toisenlan kunta", name_genitive="Toisenlan kunnan"), follow=True
    )
    assert "Organisaation tiedot tallennettiin." in response.text
    assert "<title>Organisaatio – Toisenlan kunnan somepalvelut</title>" in response.text
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, object_type="core.Organisation")
    assert event.actor == org.users["ict_secretary"]
    assert "name" in event.detail and "name_genitive" in event.detail
    assert Organisation.history.latest().name == "Toisenlan kunta"
    # Everyone sees it, residents too.
    assert "Toisenlan kunnan somepalvelut" in client_for("anonymous").get(reverse("home")).text


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"name": ""}, "Tämä kenttä vaaditaan."),
        ({"name": "Esimerkkilän\r\nBcc: x@example.invalid"}, "yhdellä rivillä"),
        ({"website": "javascript:alert(1)"}, "Syötä oikea URL-osoite."),
        ({"dpo_email": "ei-osoite"}, "Syötä kelvollinen sähköpostiosoite."),
        ({"name": "x" * 151}, "enintään 150 merkkiä"),
    ],
    ids=["no-name", "line-break", "bad-website", "bad-email", "too-long"],
)
def test_bad_input_gets_a_message_and_changes_nothing(unsaved, client_for, changes, error):
    response = client_for("ict_secretary").post(reverse("organisation"), form_data(**changes))
    assert response.status_code == 200
    assert error in response.text
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.filter(object_type="core.Organisation").exists()


def test_a_logo_is_uploaded_re_encoded_and_served_to_anyone(unsaved, client_for):
    client = client_for("ict_secretary")
    upload = SimpleUploadedFile("logo.webp", image_bytes("WEBP"), content_type="image/webp")
    client.post(reverse("organisation"), form_data(logo_file=upload))
    home = client_for("anonymous").get(reverse("home")).text
    assert 'class="brand-logo"' in home
    logo = client_for("anonymous").get(reverse("organisation_logo"))
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/png"
    assert logo["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(logo.content)).format == "PNG"


def test_a_bad_logo_gets_a_message_and_changes_nothing(unsaved, client_for):
    client = client_for("ict_secretary")
    svg = SimpleUploadedFile("logo.png", b"<svg onload='alert(1)'/>", content_type="image/png")
    response = client.post(reverse("organisation"), form_data(logo_file=svg))
    assert "Logon pitää olla PNG- tai WebP-kuva" in response.text
    assert not Organisation.objects.exists()
    assert client.get(reverse("organisation_logo")).status_code == 404


def test_the_logo_can_be_removed(unsaved, client_for):
    client = client_for("ict_secretary")
    client.post(reverse("organisation"), form_data(logo_file=SimpleUploadedFile("l.png", image_bytes("PNG"))))
    assert client.get(reverse("organisation_logo")).status_code == 200
    client.post(reverse("organisation"), form_data(remove_logo="on"))
    assert client.get(reverse("organisation_logo")).status_code == 404
    assert 'class="brand-logo"' not in client.get(reverse("home")).text


# --- Names in the visitor's language ----------------------------------------------------------------------


def test_the_public_pages_name_the_organisation_in_finnish_and_english(unsaved, client, settings):
    page = client.get(reverse("public:directory")).text
    assert "joita Esimerkkilän kaupunki käyttää virallisesti" in page
    page = client.get(reverse("public:verify"), {"address": "@esimerkkila"}).text
    assert "ei ole Esimerkkilän kaupungin virallisten tilien rekisterissä" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("public:verify"), {"address": "@esimerkkila"}).text
    assert "is not in the registry of the official accounts of City of Esimerkkilä" in page
    assert re.search(r"<title>[^<]+ – Social media portal of City of Esimerkkilä</title>", page)


def test_the_open_data_names_the_organisation(unsaved, client):
    schema = client.get(reverse("public:api_schema")).json()
    assert schema["info"]["title"] == "Official social media channels of City of Esimerkkilä"
    csv = client.get(reverse("public:api_channels_csv"))
    assert "esimerkkila-somekanavat.csv" in csv["Content-Disposition"]


def test_the_legal_pages_give_the_organisations_contacts(unsaved, client):
    privacy = client.get(reverse("privacy")).text
    assert "Esimerkkilän kaupungin tietosuojavastaava" in privacy
    assert "tietosuoja@esimerkkila.invalid" in privacy
    assert "kirjaamo@esimerkkila.invalid" in privacy
    assert "saavutettavuus@esimerkkila.invalid" in client.get(reverse("accessibility")).text


def test_e_mails_name_the_organisation(unsaved, org):
    from approvals.reminders import send_reminders
    from tests.test_reminders import _setup

    _setup(org)
    mail.outbox.clear()
    send_reminders()
    assert mail.outbox
    for message in mail.outbox:
        assert message.subject.startswith("Some (Esimerkkilä): ")
        assert "Esimerkkilän kaupungin somepalvelut" in message.body


def test_contacts_not_given_yet_are_said_so_not_left_as_empty_links(unsaved, client, settings):
    settings.ORGANISATION = {"name": "Esimerkkilän kaupunki", "name_genitive": "Esimerkkilän kaupungin"}
    for name in ("privacy", "accessibility"):
        page = client.get(reverse(name)).text
        assert 'href="mailto:"' not in page
        assert "(ei vielä annettu)" in page
    assert "Tell the municipality" not in client.get(reverse("public:verify"), {"address": "@x_y"}).text
    assert "Kerro kunnalle" not in client.get(reverse("public:verify"), {"address": "@x_y"}).text
