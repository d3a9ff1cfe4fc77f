"""A channel from proposal to registry, as the people do it in the browser, in Finnish; axe on every page.

Staff drafts the proposal (first incomplete, then complete) and submits it; the head of the responsibility
area approves it; the ICT secretary finds it among all proposals and activates the channel. The registry's
own activation page belongs to the registry feature, so the test activates through
``channels.services.change_status``, the function that page calls.
"""

import re

import pytest

from approvals.models import Proposal, ProposalStatus
from channels.models import ChannelStatus, UpdateRight
from channels.services import change_status
from tests.a11y import assert_accessible
from tests.authorisation_factories import give_publishing_basis
from tests.conftest import login
from tests.proposal_builders import ensure_seed_data

pytestmark = pytest.mark.browser


def logout(page):
    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.wait_for_url(page.base_url + "/")


def select(page, selector, label):
    page.locator(selector).select_option(label=label)


def test_a_proposal_becomes_an_active_channel(page, org):
    ensure_seed_data()
    # The proposed maintainer holds an authorisation and the commitment, so the decision can grant his right.
    give_publishing_basis(org.person("staff"))

    # --- Staff drafts the proposal ---
    login(page, "tyontekija")
    page.get_by_role("link", name="Kanavaehdotukset").click()
    assert page.locator("h1").inner_text() == "Omat kanavaehdotukset"
    assert_accessible(page)
    page.get_by_role("link", name="Uusi kanavaehdotus").click()
    assert_accessible(page)

    # Saving without a name shows the error where it belongs.
    page.get_by_role("button", name="Tallenna luonnos").click()
    assert page.get_by_text("Ehdotusta ei tallennettu.").is_visible()
    assert page.locator("#id_name.is-invalid").count() == 1
    assert_accessible(page)

    select(page, "#id_platform", "Instagram")
    page.get_by_label("Kanavan nimi").fill("Kirjaston Instagram")
    page.get_by_label("Osoite").fill("@kirjasto.testi")
    page.locator("input[name=purposes][value=information]").check()
    page.locator("input[name=purposes][value=service_awareness]").check()
    page.get_by_label("Tavoitteet").fill("Tehdä kirjaston palvelut tunnetuiksi nuorille.")
    page.get_by_label("Kohderyhmä").fill("Nuoret ja lapsiperheet")
    page.get_by_label("Miten kanava tukee kuntastrategiaa").fill("Osallistava ja elinvoimainen kunta.")
    page.get_by_label("Miksi nykyiset kanavat eivät riitä").fill("Kunnan Facebook-sivu ei tavoita nuoria.")
    select(page, "#id_responsible_person", "Sanna Saarinen (Kirjastopalvelut)")
    select(page, "#id_maintainers-0-person", "Teemu Tervo (Kirjastopalvelut)")
    page.locator("#id_maintainers-0-weekly_hours").fill("4")
    select(page, "#id_holiday_cover_person", "Sanna Saarinen (Kirjastopalvelut)")
    page.get_by_label("Lomajärjestely").fill("Esihenkilö seuraa tiliä kesälomien aikana.")
    page.get_by_label("Miten viesteihin vastataan").fill("Ylläpitäjä vastaa kuten muuhunkin palautteeseen.")
    page.get_by_label("Kuinka nopeasti viesteihin vastataan").fill("Arkipäivisin yhden työpäivän kuluessa")
    page.get_by_role("button", name="Tallenna luonnos").click()

    # The draft says what is still missing (the checklist), with links to the form.
    assert page.locator("h1").inner_text() == "Kirjaston Instagram"
    missing = page.get_by_role("region", name="Puuttuu vielä ennen kuin ehdotuksen voi lähettää")
    assert missing.get_by_role("link", name="Ohjeen tarkistuslista").count() == 4
    assert_accessible(page)

    page.get_by_role("link", name="Muokkaa").click()
    for radio in page.locator("input[name^='checklist-answer_'][value=met]").all():
        radio.check()
    page.get_by_role("button", name="Tallenna luonnos").click()
    assert page.get_by_text("Ehdotus on tallennettu.").is_visible()
    assert page.get_by_role("region", name="Puuttuu vielä ennen kuin ehdotuksen voi lähettää").count() == 0

    page.get_by_role("link", name="Lähetä päätettäväksi").click()
    assert page.get_by_text("Veera Väisänen").first.is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Lähetä päätettäväksi").click()
    assert page.get_by_text("Ehdotus on lähetetty.").is_visible()
    assert page.locator(".badge", has_text="Odottaa päätöstä").first.is_visible()
    assert_accessible(page)
    logout(page)

    # --- The head of the responsibility area approves it ---
    login(page, "vastuualuejohtaja")
    page.get_by_role("link", name="Päätettävät").click()
    queue = page.get_by_role("table", name="Päätöstäsi odottavat ehdotukset")
    assert queue.get_by_role("cell", name="0 päivää").is_visible()
    assert_accessible(page)
    queue.get_by_role("link", name="Kirjaston Instagram").click()
    assert_accessible(page)
    page.get_by_role("link", name="Hyväksy", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Ehdot").fill("Ensimmäinen tarkistus puolen vuoden kuluttua.")
    page.get_by_role("button", name="Hyväksy ja lisää rekisteriin").click()  # not yet confirmed
    assert page.locator("#id_confirm.is-invalid").count() == 1
    assert_accessible(page)
    page.get_by_label(re.compile("Hyväksyn kanavan käyttöönoton")).check()
    page.get_by_role("button", name="Hyväksy ja lisää rekisteriin").click()
    assert page.get_by_text("Ehdotus on hyväksytty, ja kanava on rekisterissä.").is_visible()
    decision = page.get_by_role("region", name="Päätös")
    assert "Veera Väisänen" in decision.inner_text()
    assert "Ensimmäinen tarkistus puolen vuoden kuluttua." in decision.inner_text()
    assert_accessible(page)
    logout(page)

    proposal = Proposal.objects.get(name="Kirjaston Instagram")
    assert proposal.status == ProposalStatus.APPROVED
    channel = proposal.channel
    assert (channel.status, channel.normalised_address) == (ChannelStatus.APPROVED, "instagram.com/kirjasto.testi")
    assert UpdateRight.objects.filter(channel=channel, person=org.person("staff")).exists()

    # --- The ICT secretary finds it and activates the channel ---
    login(page, "ict")
    page.get_by_role("link", name="Kaikki ehdotukset").click()
    assert_accessible(page)
    page.get_by_role("link", name="Kirjaston Instagram").click()
    assert page.get_by_text("Seuraavaksi ICT-sihteeri kirjaa kanavan lopullisen osoitteen").is_visible()
    assert_accessible(page)
    change_status(channel, ChannelStatus.ACTIVE, actor=org.users["ict_secretary"], reason="Tili on avattu.")
    page.reload()
    assert page.get_by_text("Seuraavaksi ICT-sihteeri kirjaa kanavan lopullisen osoitteen").count() == 0
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ACTIVE
    assert channel.official_since is not None
    timeline = page.get_by_role("region", name="Aikajana").inner_text()
    assert "Luonnos aloitettu" in timeline
    assert "Lähetetty päätettäväksi" in timeline
    assert "Hyväksytty – Veera Väisänen" in timeline


def test_a_returned_proposal_goes_back_to_its_proposer(page, org):
    from tests.proposal_builders import make_proposal

    proposal = make_proposal(org, ProposalStatus.SUBMITTED)
    login(page, "kunnanjohtaja")
    page.goto(f"{page.base_url}/ehdotukset/{proposal.pk}/palauta/")
    assert_accessible(page)
    page.get_by_label("Mitä pitää muuttaa").fill("Kerro tarkemmin, kuka tekee julkaisut.")
    page.get_by_role("button", name="Palauta täydennettäväksi").click()
    assert page.get_by_text("Ehdotus on palautettu ehdottajalle täydennettäväksi.").is_visible()
    logout(page)
    login(page, "tyontekija")
    page.goto(f"{page.base_url}/ehdotukset/{proposal.pk}/")
    assert page.get_by_text("Maija Mäkelä: Kerro tarkemmin, kuka tekee julkaisut.").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Peru", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Peru ehdotus").click()
    assert page.get_by_text("Ehdotus on peruttu.").is_visible()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
