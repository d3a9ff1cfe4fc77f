"""Every operation that changes the guideline, one function each: drafts, sections, publishing, acknowledging.

Views, the admin and commands call these; each checks the actor and the current state, raises a
``ValidationError``/``PermissionDenied`` with a translatable message, and records who and when.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.access import require_ict_secretary
from core.languages import configured_languages
from guideline import loading
from guideline.diffing import compare_versions
from guideline.models import (
    GuidelineAcknowledgement,
    GuidelineSection,
    GuidelineVersion,
    TranslationStanding,
    VersionStatus,
)

logger = logging.getLogger(__name__)


def normalise_markdown(text):
    """Line ends as LF (browsers send CRLF), no trailing spaces, no leading or trailing blank lines."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def _locked_draft(version, *, structure=False):
    """The draft row, locked for the rest of the transaction; refuses a published version.

    A language version's draft can be edited only while its original is in force, and only section by
    section: ``structure`` (adding, removing, moving sections) refuses it, as a language version has
    exactly its original's sections.
    """
    locked = GuidelineVersion.objects.select_for_update().get(pk=version.pk)
    if not locked.is_draft:
        raise ValidationError(_("A published version of the guideline cannot be changed; start a new draft instead."))
    if locked.is_translation:
        if structure:
            raise ValidationError(
                _("A language version has the same sections as its original; only their text can be changed.")
            )
        current = GuidelineVersion.objects.current()
        if current is None or current.pk != locked.translation_of_id:
            raise ValidationError(
                _("The original of this language version is no longer in force; add a language version to the new one.")
            )
    return locked


# --- Acknowledgements ------------------------------------------------------------------------------


def acknowledged_current_version(people):
    """{person_pk: whether they acknowledged the guideline version in force}: one query for any number of people.

    Acknowledgements belong to logins; a person without a login has not acknowledged anything.
    """
    result = {person.pk: False for person in people}
    if not result:
        return result
    # The version in force (GuidelineVersion.objects.current()) as a subquery, so this stays one query.
    current = GuidelineVersion.objects.published().originals().order_by("-published_at", "-pk").values("pk")[:1]
    acknowledged = GuidelineAcknowledgement.objects.filter(
        version__in=current, user__person__pk__in=list(result)
    ).values_list("user__person__pk", flat=True)
    for person_pk in acknowledged:
        result[person_pk] = True
    return result


def pending_acknowledgement(user):
    """The guideline version in force if ``user`` has not acknowledged it yet, else None."""
    if not user.is_authenticated:
        return None
    current = GuidelineVersion.objects.current()
    if current is None or GuidelineAcknowledgement.objects.filter(user=user, version=current).exists():
        return None
    return current


def acknowledge(user, version):
    """Record that ``user`` has read ``version`` (a translation counts as reading its original).

    Idempotent: acknowledging twice keeps the first time. Returns the acknowledgement.
    Side effects: one GuidelineAcknowledgement row.
    """
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to acknowledge the guideline."))
    version = version.original
    if not version.is_published:
        raise ValidationError(_("Only a published version can be acknowledged."))
    try:
        with transaction.atomic():
            acknowledgement, _created = GuidelineAcknowledgement.objects.get_or_create(user=user, version=version)
    except IntegrityError:
        # Two clicks at once: the other request created the row between our look-up and insert.
        acknowledgement = GuidelineAcknowledgement.objects.get(user=user, version=version)
    return acknowledgement


# --- Drafts and publishing ---------------------------------------------------------------------------


def start_draft(actor):
    """Copy the published guideline into a new draft that the ICT secretary can edit.

    Side effects: a draft GuidelineVersion and a copy of every section. Refused while a draft exists.
    """
    require_ict_secretary(actor)
    with transaction.atomic():
        current = (
            GuidelineVersion.objects.select_for_update().published().originals().order_by("-published_at", "-pk")
        ).first()
        if current is None:
            raise ValidationError(_("There is no published guideline to start from."))
        if GuidelineVersion.objects.drafts().originals().exists():
            raise ValidationError(_("There is a draft already; edit or publish it first."))
        draft = GuidelineVersion(
            title=current.title,
            label="",
            language=current.language,
            status=VersionStatus.DRAFT,
            based_on=current,
            approved_by="",
            approved_on=None,
            note="",
            created_by=actor,
        )
        try:
            with transaction.atomic():
                draft.save()
        except IntegrityError as error:  # another draft was started at the same moment
            raise ValidationError(_("There is a draft already; edit or publish it first.")) from error
        GuidelineSection.objects.bulk_create(
            GuidelineSection(
                version=draft,
                order=section.order,
                number=section.number,
                slug=section.slug,
                title=section.title,
                title_is_editorial=section.title_is_editorial,
                body=section.body,
            )
            for section in current.sections.all()
        )
    return draft


def edit_section(actor, section, *, title, body):
    """Change a draft section's title and Markdown text. Side effects: the section row (who, when)."""
    require_ict_secretary(actor)
    title, body = (title or "").strip(), normalise_markdown(body)
    if not title or not body:
        raise ValidationError(_("A section needs a title and a text."))
    with transaction.atomic():
        _locked_draft(section.version)
        locked = GuidelineSection.objects.select_for_update().get(pk=section.pk)
        locked.title, locked.body = title, body
        locked.updated_at, locked.updated_by = timezone.now(), actor
        locked.save(update_fields=["title", "body", "updated_at", "updated_by"])
    return locked


def add_section(actor, version, *, number, title, body):
    """Add a section at the end of a draft; its anchor is made from the title. Returns the section."""
    require_ict_secretary(actor)
    number, title, body = (number or "").strip().rstrip("."), (title or "").strip(), normalise_markdown(body)
    if not title or not body:
        raise ValidationError(_("A section needs a title and a text."))
    with transaction.atomic():
        draft = _locked_draft(version, structure=True)
        base = slugify(title)[:90] or "osio"
        taken = set(draft.sections.values_list("slug", flat=True))
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        last = draft.sections.aggregate(last=Max("order"))["last"]
        section = GuidelineSection(
            version=draft,
            order=(last or 0) + 1,
            number=number,
            slug=slug,
            title=title,
            body=body,
            updated_at=timezone.now(),
            updated_by=actor,
        )
        section.save()
    return section


def remove_section(actor, section):
    """Take a section out of a draft; the published versions keep theirs. Refuses the draft's only section."""
    require_ict_secretary(actor)
    with transaction.atomic():
        draft = _locked_draft(section.version, structure=True)
        locked = draft.sections.filter(pk=section.pk).first()
        if locked is None:
            raise ValidationError(_("The section is no longer in the draft; it was removed already."))
        if draft.sections.count() == 1:
            raise ValidationError(_("The guideline needs at least one section; edit this one instead."))
        locked.delete()
    return locked


MOVE_UP, MOVE_DOWN = "up", "down"


def move_section(actor, section, direction):
    """Swap a draft section with the one before (``"up"``) or after (``"down"``) it. Returns the section."""
    require_ict_secretary(actor)
    if direction not in (MOVE_UP, MOVE_DOWN):
        raise ValidationError(_("Choose whether to move the section up or down."))
    with transaction.atomic():
        draft = _locked_draft(section.version, structure=True)
        locked = draft.sections.filter(pk=section.pk).first()
        if locked is None:
            raise ValidationError(_("The section is no longer in the draft; it was removed already."))
        if direction == MOVE_UP:
            neighbour = draft.sections.filter(order__lt=locked.order).order_by("-order").first()
        else:
            neighbour = draft.sections.filter(order__gt=locked.order).order_by("order").first()
        if neighbour is None:
            if direction == MOVE_UP:
                raise ValidationError(_("The section is the first one already."))
            raise ValidationError(_("The section is the last one already."))
        # The order is unique in a version: park one section past the end while the two swap places.
        spare = draft.sections.aggregate(last=Max("order"))["last"] + 1
        own, other = locked.order, neighbour.order
        locked.order = spare
        locked.save(update_fields=["order"])
        neighbour.order = own
        neighbour.save(update_fields=["order"])
        locked.order = other
        locked.updated_at, locked.updated_by = timezone.now(), actor
        locked.save(update_fields=["order", "updated_at", "updated_by"])
    return locked


def changes_of(version):
    """The changes of ``version`` against the version it is based on (None for the first version)."""
    base = version.based_on
    if base is None:
        return None
    return compare_versions(base.sections.all(), version.sections.all())


def publish_version(actor, version, *, title, label, approved_by, approved_on, note):
    """Publish a draft: it becomes the guideline in force and everyone is asked to acknowledge it again.

    A language version's draft becomes the language version of its original (the original stays in force,
    and nobody is asked to acknowledge anything new); its note is optional.

    Refused for a draft identical to the version it is based on. Side effects: the version row
    (status, who, when, approval details); from then on the version and its sections are immutable.
    """
    require_ict_secretary(actor)
    if not (title or "").strip() or (not version.is_translation and not (note or "").strip()):
        raise ValidationError(_("Give the title and say what changed."))
    if approved_on and approved_on > timezone.localdate():
        raise ValidationError(_("The approval date cannot be in the future."))
    with transaction.atomic():
        draft = _locked_draft(version)
        changes = changes_of(draft)
        if changes is not None and not changes.has_changes and draft.title == draft.based_on.title:
            raise ValidationError(_("The draft is identical to the published version; there is nothing to publish."))
        draft.title, draft.label, draft.note = title.strip(), (label or "").strip(), (note or "").strip()
        draft.approved_by, draft.approved_on = (approved_by or "").strip(), approved_on
        draft.status, draft.published_at, draft.published_by = VersionStatus.PUBLISHED, timezone.now(), actor
        draft.save(
            update_fields=[
                "title",
                "label",
                "note",
                "approved_by",
                "approved_on",
                "status",
                "published_at",
                "published_by",
            ]
        )
    logger.info("guideline version %s published by %s", draft.pk, actor.get_username())
    return draft


# --- Importing an organisation's own guideline ----------------------------------------------------------


def import_guideline(actor, parsed, *, title="", label="", source=""):
    """Make a draft from a guideline parsed from a Markdown or Word file (``loading.parse_file``).

    The ICT secretary then edits and publishes the draft like any other. Refuses (``ImportRefused``) a
    guideline without a title and a second draft. Side effects: a draft GuidelineVersion and its sections.
    """
    require_ict_secretary(actor)
    with transaction.atomic():
        try:
            with transaction.atomic():
                draft = loading.create_draft(
                    GuidelineVersion, GuidelineSection, parsed, title=title, label=label, actor=actor
                )
        except IntegrityError as error:  # another draft was started at the same moment
            raise ValidationError(_("There is a draft already; edit or publish it first.")) from error
    logger.info("guideline draft %s imported from %s by %s", draft.pk, source, actor.get_username())
    return draft


# --- Language versions ------------------------------------------------------------------------------------


def translation_languages(original):
    """``[(code, name)]`` of the configured languages a language version of ``original`` can be in."""
    return [(code, name) for code, name in configured_languages() if code != original.language]


def missing_languages(original):
    """The configured languages ``original`` has no language version in yet (published or drafted)."""
    have = set(original.translations.values_list("language", flat=True))
    return [(code, name) for code, name in translation_languages(original) if code not in have]


def _section_keys(sections):
    """Each section's key for matching: its number, or its place among the unnumbered parts."""
    keys, unnumbered = [], 0
    for section in sections:
        if section.number:
            keys.append(("number", section.number))
        else:
            unnumbered += 1
            keys.append(("unnumbered", unnumbered))
    return keys


def _headings(sections):
    return ", ".join(f"“{section.number + '. ' if section.number else ''}{section.title}”" for section in sections)


def match_sections(original_sections, parsed_sections):
    """Pair a file's sections with the original's, by number (numbered ones) and by order (unnumbered parts).

    Returns ``[(original_section, parsed_section)]``. Refuses (``ImportRefused``) a file whose sections are
    not the original's, naming the missing and the extra ones, or saying that the order differs.
    """
    original_sections, parsed_sections = list(original_sections), list(parsed_sections)
    original_keys, parsed_keys = _section_keys(original_sections), _section_keys(parsed_sections)
    missing = [s for s, key in zip(original_sections, original_keys, strict=True) if key not in parsed_keys]
    extra = [s for s, key in zip(parsed_sections, parsed_keys, strict=True) if key not in original_keys]
    problems = []
    if missing:
        problems.append(
            _("The file lacks these sections of the original: %(sections)s.") % {"sections": _headings(missing)}
        )
    if extra:
        problems.append(
            _("The file has sections the original does not have: %(sections)s.") % {"sections": _headings(extra)}
        )
    if not problems and original_keys != parsed_keys:
        problems.append(_("The file has the original's sections but in a different order."))
    if problems:
        problems.append(
            _(
                "A language version has the same sections as the original, numbered the same way and in the same "
                "order. Correct the file and try again, or start from a copy of the original."
            )
        )
        raise loading.ImportRefused(problems)
    return list(zip(original_sections, parsed_sections, strict=True))


def start_translation(actor, original, *, language, standing, parsed=None):
    """Start a draft language version of ``original`` (which must be in force) in ``language``.

    From ``parsed`` (a file split by ``loading.parse_file``; its sections must match the original's) or,
    without one, from a copy: of the newest published language version in that language when there is one
    (a re-draft, based on it), else of the original's sections, to be translated in the portal. The sections
    keep the original's numbers and anchors, so links and citations work in every language.
    Side effects: a draft GuidelineVersion (a translation) and its sections.
    """
    require_ict_secretary(actor)
    if standing not in TranslationStanding.values:
        raise ValidationError(_("Choose whether the language version is a reading aid or equally authoritative."))
    with transaction.atomic():
        original = GuidelineVersion.objects.select_for_update().get(pk=original.pk)
        current = GuidelineVersion.objects.current()
        if original.is_translation or current is None or current.pk != original.pk:
            raise ValidationError(_("A language version can be added only to the version in force."))
        if language not in dict(translation_languages(original)):
            raise ValidationError(
                _("Choose one of the portal's languages other than the original's: %(languages)s.")
                % {"languages": ", ".join(str(name) for _code, name in translation_languages(original))}
            )
        if original.translations.drafts().filter(language=language).exists():
            raise ValidationError(_("There is a draft of this language version already; edit or publish it."))
        previous = GuidelineVersion.objects.language_version(original, language)
        original_sections = list(original.sections.all())
        if parsed is not None:
            texts = [(o, p.title, p.body) for o, p in match_sections(original_sections, parsed.sections)]
            title = parsed.title or (previous.title if previous else original.title)
        else:
            source = {s.slug: s for s in previous.sections.all()} if previous else {}
            texts = [
                (o, source[o.slug].title, source[o.slug].body) if o.slug in source else (o, o.title, o.body)
                for o in original_sections
            ]
            title = previous.title if previous else original.title
        draft = GuidelineVersion(
            title=title[: loading.TITLE_MAX],
            language=language,
            status=VersionStatus.DRAFT,
            is_translation=True,
            translation_of=original,
            standing=standing,
            based_on=previous,
            created_by=actor,
        )
        try:
            with transaction.atomic():
                draft.save()
        except IntegrityError as error:  # another draft in this language was started at the same moment
            raise ValidationError(
                _("There is a draft of this language version already; edit or publish it.")
            ) from error
        GuidelineSection.objects.bulk_create(
            GuidelineSection(
                version=draft,
                order=section.order,
                number=section.number,
                slug=section.slug,
                title=section_title[: loading.TITLE_MAX],
                title_is_editorial=section.title_is_editorial,
                body=body,
            )
            for section, section_title, body in texts
        )
    logger.info("guideline language version %s (%s) started by %s", draft.pk, language, actor.get_username())
    return draft
