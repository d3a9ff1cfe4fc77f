"""Load the policy checklist: the rules of the 2016 guideline and good practice beyond it.

Each rule cites its source: the guideline's sections, or for good practice where it comes from. "Stage"
says when the rule is checked (when a channel is introduced, or while it is in use) and "kind" whether the
registry's data shows it (automatic) or a person attests it. Proposals answer the introduction-stage
attested rules. Reversible: the reverse removes the rules this migration added (refused, as it should be,
once answers refer to them).
"""

from django.db import migrations

NCSC = ("Kyberturvallisuuskeskus (Traficom)", "National Cyber Security Centre Finland (NCSC-FI)")

# code, sections, (source fi, source en), stage, kind, title fi, title en, explanation fi, explanation en
GUIDELINE_RULES = [
    (
        "decision-recorded",
        "3",
        None,
        "introduction",
        "automatic",
        "Käyttöönotosta on päättänyt kunnanjohtaja tai vastuualuejohtaja, joka on nimennyt vastuuhenkilöt ja "
        "tavoitteet",
        "Introduced by a decision of the municipal manager or a head of responsibility area, who named the "
        "responsible persons and the goals",
        "Tarkistetaan rekisteristä: käyttöönottopäätös, päättäjä, vastuuhenkilö ja tavoitteet on kirjattu.",
        "Checked from the registry: the decision, the decider, the responsible person and the goals are recorded.",
    ),
    (
        "planned-supports-strategy",
        "3",
        None,
        "introduction",
        "attested",
        "Kanavan käyttö on suunniteltu, ja se tukee kunnan strategiaa",
        "The channel is planned and supports the municipal strategy",
        "Sosiaalisen median hyödyntäminen edellyttää suunnittelua, ja sen tulee tukea kunnan strategiaa. "
        "Kuvaa suunnitelma ehdotuksessa.",
        "Using social media needs planning and must support the municipal strategy. Describe the plan in the proposal.",
    ),
    (
        "listed-in-registry",
        "3",
        None,
        "ongoing",
        "automatic",
        "Kanava on rekisterissä vastuuhenkilöineen ja päivitysoikeuksineen",
        "Listed in the registry with its responsible persons and update rights",
        "Hallintopalvelujen ICT-sihteeri pitää yllä listaa kunnan käytössä olevista julkisista "
        "some-palveluista ja niistä vastaavista henkilöistä päivitysoikeuksineen.",
        "The ICT secretary of administrative services keeps the list of the municipality's public social media "
        "services and the people responsible, with their update rights.",
    ),
    (
        "rights-authorised",
        "3",
        None,
        "ongoing",
        "automatic",
        "Jokaisella päivitysoikeuden haltijalla on voimassa oleva esihenkilön valtuutus",
        "Everyone with update rights holds a valid supervisor authorisation",
        "Työntekijällä ja viranhaltijalla on oltava esihenkilön valtuutus toimiakseen kunnan edustajana "
        "sosiaalisessa mediassa.",
        "An employee or office-holder needs their supervisor's authorisation to act for the municipality on "
        "social media.",
    ),
    (
        "maintainers-defined",
        "4",
        None,
        "introduction",
        "automatic",
        "Ylläpitäjät ja heidän työaikansa on määritelty",
        "The maintainers and their working time are defined",
        "Tarkistetaan nimetyistä ylläpitäjistä ja heidän viikkotunneistaan. Vastuuhenkilö ja ylläpitäjä voi "
        "olla sama henkilö.",
        "Checked from the maintainers named and their hours a week. The responsible person and a maintainer can "
        "be the same person.",
    ),
    (
        "shows-unit-and-official",
        "4",
        None,
        "introduction",
        "attested",
        # Databases migrated before the organisation became data (core.Organisation) have Suomussalmi's name here;
        # PolicyRule shows {organisation...} as the organisation's name.
        "Palvelusta käy ilmi ylläpitävän palveluyksikön nimi ja että kyse on {organisation_genitive} virallisesta "
        "palvelusta",
        "The channel shows the maintaining unit's name and that it is an official service of {organisation_genitive}",
        "Esimerkiksi ”Kirjastopalvelut – {organisation}” tilin nimessä tai esittelyssä.",
        "For example “Kirjastopalvelut – {organisation}” in the account's name or description.",
    ),
    (
        "linked-and-announced",
        "4",
        None,
        "ongoing",
        "attested",
        "Palvelu on linkitetty kunnan kotisivuille, ja siitä on tiedotettu muissa tarpeellisissa välineissä",
        "The municipal website links to the channel, and it has been announced in other media",
        "Kirjaa rekisteriin sivu, jolta kunnan kotisivut linkittävät kanavalle.",
        "Record in the registry the page of the municipal website that links to the channel.",
    ),
    (
        "maintained-regularly",
        "4",
        None,
        "ongoing",
        "attested",
        "Palvelua ylläpidetään ja päivitetään säännöllisesti, ja sitä seurataan säännöllisesti",
        "The channel is maintained and updated regularly, and monitored regularly",
        "Vahvistetaan jokaisessa määräaikaisessa tarkistuksessa; myöhässä oleva tarkistus näytetään.",
        "Attested at each periodic review; an overdue review is flagged.",
    ),
    (
        "messages-answered",
        "4",
        None,
        "ongoing",
        "attested",
        "Viesteihin ja keskusteluihin vastataan ja osallistutaan aktiivisesti ja nopeasti, kuten muuhunkin "
        "palautteeseen",
        "Messages and discussions are answered actively and quickly, like other feedback",
        "",
        "",
    ),
    (
        "holiday-cover",
        "4",
        None,
        "introduction",
        "automatic",
        "Loma-aikojen ylläpidosta on sovittu",
        "Maintenance during holidays is agreed",
        "Tarkistetaan kirjatusta lomasijaisesta ja loma-ajan järjestelystä.",
        "Checked from the holiday cover and the arrangement recorded.",
    ),
    (
        "public-information-only",
        "1, 5, 6",
        None,
        "ongoing",
        "attested",
        "Kanavalla ei käsitellä salassa pidettävää tietoa; se on vain julkisen tiedon julkaisukanava",
        "No confidential information is handled on the channel; it publishes public information only",
        "",
        "",
    ),
    (
        "commitment-signed",
        "5",
        None,
        "ongoing",
        "automatic",
        "Jokainen päivitysoikeuden haltija on allekirjoittanut salassapito- ja käyttäjäsitoumuksen",
        "Everyone with update rights has signed the confidentiality and user commitment",
        "",
        "",
    ),
    (
        "copyright-respected",
        "6",
        None,
        "ongoing",
        "attested",
        "Kuvien ja videoiden käyttö- ja tekijänoikeuksia noudatetaan, eikä aiheeseen liittymätöntä materiaalia jaeta",
        "The copyright and usage rights of images and videos are respected, and nothing unrelated is shared",
        "",
        "",
    ),
    (
        "terms-of-service-read",
        "6",
        None,
        "introduction",
        "attested",
        "Palvelun käyttöehtoihin on tutustuttu, ja ne on ymmärretty",
        "The platform's terms of service have been read and understood",
        "Julkaistua sisältöä ei välttämättä saa pois verkosta: tutustu palvelun ehtoihin ennen käyttöönottoa.",
        "Published content cannot always be removed from the net: know the service's terms before using it.",
    ),
    (
        "private-use-own-accounts",
        "6",
        None,
        "ongoing",
        "attested",
        "Yksityishenkilönä esiinnytään vain omilla käyttäjätunnuksilla",
        "Private use happens only with one's own accounts",
        "",
        "",
    ),
]

GOOD_PRACTICE = [
    (
        "two-factor-authentication",
        "",
        NCSC,
        "ongoing",
        "attested",
        "Tilillä on kaksivaiheinen tunnistautuminen käytössä",
        "Two-factor authentication is on for the account",
        "",
        "",
    ),
    (
        "recovery-belongs-to-organisation",
        "",
        NCSC,
        "ongoing",
        "attested",
        "Tilin palautussähköposti ja -puhelinnumero ovat organisaation, eivät yksittäisen henkilön",
        "The account's recovery e-mail and phone belong to the organisation, not to a person",
        "",
        "",
    ),
    (
        "two-administrators",
        "",
        ("Kyberturvallisuuskeskus, kunnan käytäntö", "NCSC-FI, municipal practice"),
        "ongoing",
        "automatic",
        "Pääkäyttäjiä on vähintään kaksi, mutta kaikki eivät ole pääkäyttäjiä",
        "At least two administrators, and not everyone an administrator",
        "",
        "",
    ),
    (
        "credentials-in-password-manager",
        "",
        (
            "Kyberturvallisuuskeskus; salasanat ovat salassa pidettäviä (621/1999, 24 §)",
            "NCSC-FI; passwords are confidential (621/1999 §24)",
        ),
        "ongoing",
        "attested",
        "Tunnukset säilytetään organisaation salasanojen hallintaohjelmassa (portaaliin ei tallenneta salasanoja)",
        "Credentials are kept in the organisation's password manager (the portal never stores a password)",
        "",
        "",
    ),
    (
        "access-reviewed",
        "",
        ("Kunnan käytäntö", "Municipal practice"),
        "ongoing",
        "automatic",
        "Käyttöoikeudet tarkistetaan kolmen kuukauden välein ja aina henkilöstömuutoksen jälkeen",
        "Access is reviewed every 3 months and after every staff change",
        "",
        "",
    ),
    (
        "content-exported",
        "",
        (
            "Kaapattu poliisin tili menetti vuosien julkaisut",
            "A hijacked police account lost years of posts",
        ),
        "ongoing",
        "automatic",
        "Sisältö on viety talteen (varmuuskopioitu) viimeisen 12 kuukauden aikana",
        "The content has been exported (backed up) within the last 12 months",
        "",
        "",
    ),
    (
        "accessible-content",
        "",
        (
            "Laki digitaalisten palvelujen tarjoamisesta 306/2019 koskee julkaistuja videoita",
            "Act 306/2019 covers published videos",
        ),
        "ongoing",
        "attested",
        "Kuvissa on vaihtoehtoinen teksti ja videoissa tekstitys",
        "Images have alternative text and videos captions",
        "",
        "",
    ),
    (
        "discussion-rules-published",
        "",
        ("Espoon ja Oulun käytäntö", "Espoo and Oulu practice"),
        "ongoing",
        "attested",
        "Keskustelun säännöt ja valvonta-ajat on julkaistu kanavalla",
        "Discussion rules and moderation hours are published on the channel",
        "",
        "",
    ),
    (
        "crisis-role-decided",
        "",
        ("Kunnan kriisiviestintäohje", "The municipality's crisis communication guidance"),
        "introduction",
        "attested",
        "On päätetty, käytetäänkö kanavaa kriisiviestintään",
        "Whether the channel carries crisis communication is decided",
        "Kerro huomautuksessa, käytetäänkö kanavaa kriisitilanteessa ja miten.",
        "Say in the note whether and how the channel is used in a crisis.",
    ),
]


def _rows():
    for position, row in enumerate([*GUIDELINE_RULES, *GOOD_PRACTICE], start=1):
        code, sections, source, stage, kind, title, title_en, explanation, explanation_en = row
        yield (
            code,
            {
                "sections": sections,
                "source": source[0] if source else "",
                "source_en": source[1] if source else "",
                "stage": stage,
                "kind": kind,
                "is_good_practice": source is not None,
                "title": title,
                "title_en": title_en,
                "explanation": explanation,
                "explanation_en": explanation_en,
                "position": position * 10,
                "is_active": True,
            },
        )


def load_rules(apps, schema_editor):
    PolicyRule = apps.get_model("approvals", "PolicyRule")
    for code, values in _rows():
        PolicyRule.objects.update_or_create(code=code, defaults=values)


def remove_rules(apps, schema_editor):
    PolicyRule = apps.get_model("approvals", "PolicyRule")
    PolicyRule.objects.filter(code__in=[code for code, _values in _rows()]).delete()


class Migration(migrations.Migration):
    dependencies = [("approvals", "0001_proposals")]

    operations = [migrations.RunPython(load_rules, remove_rules)]
