"""The columns of the registry spreadsheet, and the names it gives platforms, units, people and values."""

import dataclasses

from django.utils.translation import gettext_lazy as _

from channels.models import Channel, ChannelStatus, Person, Platform, Purpose, Unit
from core.spreadsheets import date_text

LIST_SEPARATOR = "; "


@dataclasses.dataclass(frozen=True)
class Column:
    header: str  # Finnish, as in the file
    field: str
    kind: str  # text, id, platform, unit, person, status, purposes, date, url, export
    help: str
    required: bool = False

    @property
    def imported(self):
        return self.kind != "export"


COLUMNS = [
    Column("Tunniste", "pk", "id", _("The portal's number for the channel; empty for a new channel.")),
    Column("Palvelu", "platform", "platform", _("The platform's name, e.g. Facebook or Internetsivut."), True),
    Column("Nimi", "name", "text", _("The channel's name."), True),
    Column("Osoite", "address", "text", _("The web address or handle of the account.")),
    Column("Yksikkö", "owner_unit", "unit", _("The owning unit's name."), True),
    Column("Tila", "status", "status", _("Proposed, approved, active, paused or retired; empty means active.")),
    Column("Tarkoitukset", "purposes", "purposes", _("The purposes of §2, separated by semicolons.")),
    Column("Tavoitteet", "goals", "text", _("What the channel aims for.")),
    Column("Kohderyhmä", "target_audience", "text", _("Who the channel is for.")),
    Column("Vastuuhenkilö", "responsible_person", "person", _("The responsible person's name or work e-mail.")),
    Column("Päätöksen tekijä", "decided_by", "person", _("Who decided on introducing the channel.")),
    Column("Päätöspäivä", "decided_on", "date", _("The decision's date, e.g. 26.1.2016.")),
    Column("Päätöksen viite", "decision_reference", "text", _("The decision's number and section.")),
    Column("Linkki kunnan sivuilla", "website_link_url", "text", _("The municipal web page that links to it.")),
    Column("Lomasijainen", "holiday_cover_person", "person", _("Who looks after the channel during holidays.")),
    Column("Lomajärjestely", "holiday_cover_arrangement", "text", _("How it is looked after in holidays.")),
    Column("Viimeksi tarkistettu", "last_reviewed_on", "date", _("The date of the last review.")),
    Column("Seuraava tarkistus", "next_review_on", "date", _("The date of the next review.")),
    Column("Virallinen alkaen", "official_since", "export", _("Written by the export; not read.")),
    Column("Lopetettu", "retired_on", "export", _("Written by the export; not read.")),
    Column("Päivitysoikeudet", "rights", "export", _("Written by the export; not read.")),
    Column("Puutteet", "problems", "export", _("Written by the export; not read.")),
]  # fmt: skip
HEADERS = {column.header.casefold(): column for column in COLUMNS}
PERSON_FIELDS = [column.field for column in COLUMNS if column.kind == "person"]
PURPOSE_LABELS = dict(Purpose.choices)  # lazy labels: each is translated when shown


class Lookups:
    """Platforms, units, people and channels loaded once (a few queries), for matching every row by name."""

    def __init__(self):
        self.platforms = {}
        for platform in Platform.objects.all():
            self.platforms[platform.name.casefold()] = platform
            self.platforms[platform.slug.casefold()] = platform
        units = list(Unit.objects.select_related("parent"))
        self.units_by_name, self.units_by_path = {}, {}
        for unit in units:
            self.units_by_name.setdefault(unit.name.casefold(), []).append(unit)
            if unit.parent:
                self.units_by_path[f"{unit.parent.name} / {unit.name}".casefold()] = unit
        self.people_by_name, self.people_by_email = {}, {}
        people = list(Person.objects.all())
        for person in people:
            self.people_by_name.setdefault(person.full_name.casefold(), []).append(person)
            if person.work_email:
                self.people_by_email[person.work_email.casefold()] = person
        self.channels = {channel.pk: channel for channel in Channel.objects.select_related("platform")}
        # Each channel's unit and people from the lists above, so that reading them is no query per channel.
        units_by_pk, people_by_pk = {unit.pk: unit for unit in units}, {person.pk: person for person in people}
        for channel in self.channels.values():
            channel.owner_unit = units_by_pk.get(channel.owner_unit_id)
            for field in PERSON_FIELDS:
                setattr(channel, field, people_by_pk.get(getattr(channel, f"{field}_id")))
        self.by_address = {
            (channel.platform_id, channel.normalised_address): channel
            for channel in self.channels.values()
            if channel.normalised_address
        }
        self.by_name = {}
        for channel in self.channels.values():
            self.by_name.setdefault((channel.platform_id, channel.name.casefold()), []).append(channel)

    def address_clash(self, channel):
        """``Channel.address_clash`` answered from the channels in memory."""
        clash = self.by_address.get((channel.platform_id, channel.normalised_address))
        return clash if clash is not None and clash.pk != channel.pk else None

    def unit_label(self, unit):
        if unit is None:
            return ""
        if len(self.units_by_name.get(unit.name.casefold(), [])) > 1 and unit.parent:
            return f"{unit.parent.name} / {unit.name}"
        return unit.name

    def person_label(self, person):
        if person is None:
            return ""
        if len(self.people_by_name.get(person.full_name.casefold(), [])) > 1 and person.work_email:
            return f"{person.full_name} <{person.work_email}>"
        return person.full_name


def display_value(column, value, lookups):
    """A value as the file writes it, and as the import's preview shows it (an empty one as a dash)."""
    if value in (None, "", []):
        return "–"
    if column.kind == "platform":
        return value.name
    if column.kind == "unit":
        return lookups.unit_label(value)
    if column.kind == "person":
        return lookups.person_label(value)
    if column.kind == "status":
        return str(ChannelStatus(value).label)
    if column.kind == "purposes":
        return LIST_SEPARATOR.join(str(PURPOSE_LABELS[v]) for v in value)
    if column.kind == "date":
        return date_text(value)
    return str(value)
