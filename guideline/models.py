"""The guideline: versions, their sections, and staff's acknowledgements of having read a version.

Published guideline versions are immutable: ``save()``/``delete()`` of a published version or of a
section of one, and the querysets' bulk ``update()``/``delete()``/``bulk_create()`` on them, raise
``PublishedVersionIsImmutable``. A new text is a new version (a draft copied from the published one),
so what staff acknowledged stays exactly as they read it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.languages import configured_languages
from core.validators import single_line


class PublishedVersionIsImmutable(ValidationError):
    def __init__(self, message=None):
        super().__init__(
            message or _("A published version of the guideline cannot be changed; start a new draft instead."),
            code="immutable",
        )


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class TranslationStanding(models.TextChoices):
    """What a language version is worth: a reading aid, or a parallel text as binding as the original."""

    READING_AID = "reading_aid", _("Reading aid")
    EQUALLY_AUTHORITATIVE = "equally_authoritative", _("Equally authoritative")


class GuidelineVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=VersionStatus.PUBLISHED)

    def drafts(self):
        return self.filter(status=VersionStatus.DRAFT)

    def originals(self):
        """Versions in the authoritative language (not translations)."""
        return self.filter(is_translation=False)

    def language_version(self, original, language):
        """The published language version of ``original`` in ``language`` (the newest, if re-drafted), or None."""
        return (
            self.published().filter(translation_of=original, language=language).order_by("-published_at", "-pk").first()
        )

    def current(self):
        """The guideline in force: the latest published original version, or None."""
        return self.published().originals().order_by("-published_at", "-pk").first()

    def update(self, **kwargs):
        if self.filter(status=VersionStatus.PUBLISHED).exists():
            raise PublishedVersionIsImmutable()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=VersionStatus.PUBLISHED).exists():
            raise PublishedVersionIsImmutable()
        return super().delete()


class GuidelineVersion(models.Model):
    """One version of the social media guideline: a draft being edited or a published, immutable text.

    The original (Finnish) text is authoritative. A language version is a translation (``is_translation``)
    of an original; its ``standing`` says whether it is a reading aid only (the bundled English text) or
    equally authoritative (a parallel Swedish text, as bilingual municipalities publish). A translation is
    drafted and published like an original, only while its original is in force; a re-drafted translation
    is a new version, and the newest published one in a language is the one readers get.
    """

    title = models.CharField(pgettext_lazy("heading", "title"), max_length=300, validators=[single_line])
    label = models.CharField(
        _("label"),
        max_length=200,
        blank=True,
        help_text=_("How the version is known, e.g. “Luonnos 31.12.2015”."),
        validators=[single_line],
    )
    language = models.CharField(_("language"), max_length=10, choices=configured_languages, default="fi")
    status = models.CharField(_("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    is_translation = models.BooleanField(
        _("translation"), default=False, help_text=_("A language version of an original version.")
    )
    standing = models.CharField(
        _("standing"),
        max_length=30,
        choices=TranslationStanding.choices,
        blank=True,
        default="",
        help_text=_(
            "A language version's standing: a reading aid, or as authoritative as the original. Empty for an original."
        ),
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="translations",
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
        help_text=_("The published version this one was copied from; changes are shown against it."),
    )
    approved_by = models.CharField(_("approved by"), max_length=200, blank=True, validators=[single_line])
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    editorial_notes = models.JSONField(
        _("editorial notes"),
        default=list,
        blank=True,
        help_text=_("How the text was restored from its source: a list of {“fi”: …, “en”: …}."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the 2016 version, which was loaded from its source document."),
    )

    objects = GuidelineVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("guideline version")
        verbose_name_plural = _("guideline versions")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_translation=False, translation_of__isnull=True)
                | Q(is_translation=True, translation_of__isnull=False),
                name="guideline_translation_names_its_original",
            ),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT, published_at__isnull=True)
                | Q(status=VersionStatus.PUBLISHED, published_at__isnull=False),
                name="guideline_published_version_has_date",
            ),
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status=VersionStatus.DRAFT, is_translation=False),
                name="guideline_one_draft_at_a_time",
            ),
            models.CheckConstraint(
                condition=Q(is_translation=False, standing="")
                | Q(is_translation=True, standing__in=TranslationStanding.values),
                name="guideline_translation_has_a_standing",
            ),
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                condition=Q(status=VersionStatus.DRAFT),
                name="guideline_one_translation_draft_per_language",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.label})" if self.label else self.title

    def save(self, *args, **kwargs):
        # Enforced here and not only in forms: the admin, the shell and every service go through save().
        if self.pk and GuidelineVersion.objects.filter(pk=self.pk, status=VersionStatus.PUBLISHED).exists():
            raise PublishedVersionIsImmutable()
        if self.is_translation and not self.standing:
            self.standing = TranslationStanding.READING_AID  # the default standing of a translation
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if GuidelineVersion.objects.filter(pk=self.pk, status=VersionStatus.PUBLISHED).exists():
            raise PublishedVersionIsImmutable()
        return super().delete(*args, **kwargs)

    @property
    def is_equally_authoritative(self):
        return self.is_translation and self.standing == TranslationStanding.EQUALLY_AUTHORITATIVE

    @property
    def is_published(self):
        return self.status == VersionStatus.PUBLISHED

    @property
    def is_draft(self):
        return self.status == VersionStatus.DRAFT

    @property
    def original(self):
        """The authoritative version this one reads: itself, or the version it translates."""
        return self.translation_of if self.is_translation else self

    def clean(self):
        if self.is_translation and not self.translation_of_id:
            raise ValidationError({"translation_of": _("Name the version this one translates.")})
        if not self.is_translation and self.translation_of_id:
            raise ValidationError({"is_translation": _("Only a translation names an original version.")})
        if not self.is_translation and self.standing:
            raise ValidationError({"standing": _("Only a language version has a standing.")})
        if self.is_translation and self.translation_of_id and self.language == self.translation_of.language:
            raise ValidationError({"language": _("A language version must be in another language than its original.")})
        if (
            self.is_draft
            and not self.is_translation
            and GuidelineVersion.objects.drafts().originals().exclude(pk=self.pk).exists()
        ):
            raise ValidationError(_("There is a draft already; edit or publish it first."))

    def editorial_notes_in(self, language):
        """The editorial notes in the given language (Finnish when a note lacks it)."""
        return [note.get(language) or note.get("fi", "") for note in self.editorial_notes or []]


class GuidelineSectionQuerySet(models.QuerySet):
    def _refuse_published(self):
        if self.filter(version__status=VersionStatus.PUBLISHED).exists():
            raise PublishedVersionIsImmutable()

    def update(self, **kwargs):
        self._refuse_published()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_published()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        version_ids = {obj.version_id for obj in objs}
        if GuidelineVersion.objects.filter(pk__in=version_ids, status=VersionStatus.PUBLISHED).exists():
            raise PublishedVersionIsImmutable()
        return super().bulk_create(objs, *args, **kwargs)


class GuidelineSection(models.Model):
    """A section of a guideline version: a numbered chapter or an unnumbered part (introduction, sources).

    Sections are keyed by ``slug``, which stays the same from version to version (a draft copies the
    published version's sections), so links and citations survive a new version.
    """

    version = models.ForeignKey(
        GuidelineVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    number = models.CharField(
        _("number"), max_length=10, blank=True, help_text=_("Empty for unnumbered parts."), validators=[single_line]
    )
    slug = models.SlugField(_("anchor"), max_length=100)
    title = models.CharField(pgettext_lazy("heading", "title"), max_length=300, validators=[single_line])
    title_is_editorial = models.BooleanField(
        _("editorial title"), default=False, help_text=_("The source has no heading here; the title was added.")
    )
    body = models.TextField(_("text (Markdown)"))
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = GuidelineSectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("guideline section")
        verbose_name_plural = _("guideline sections")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "slug"], name="guideline_section_slug_unique_in_version"),
            models.UniqueConstraint(fields=["version", "order"], name="guideline_section_order_unique_in_version"),
        ]

    def __str__(self):
        return self.heading

    def save(self, *args, **kwargs):
        if GuidelineVersion.objects.filter(pk=self.version_id, status=VersionStatus.PUBLISHED).exists():
            raise PublishedVersionIsImmutable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if GuidelineVersion.objects.filter(pk=self.version_id, status=VersionStatus.PUBLISHED).exists():
            raise PublishedVersionIsImmutable()
        return super().delete(*args, **kwargs)

    @property
    def heading(self):
        return f"{self.number}. {self.title}" if self.number else self.title

    def clean(self):
        if self.version_id and self.version.is_published:
            raise PublishedVersionIsImmutable()
        if self.version_id and (
            GuidelineSection.objects.filter(version_id=self.version_id, slug=self.slug).exclude(pk=self.pk).exists()
        ):
            raise ValidationError({"slug": _("The version has a section with this anchor already.")})


class GuidelineAcknowledgement(models.Model):
    """A member of staff has read a published version of the guideline (“Olen lukenut tämän version”)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="guideline_acknowledgements",
    )
    version = models.ForeignKey(
        GuidelineVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)

    class Meta:
        verbose_name = _("guideline acknowledgement")
        verbose_name_plural = _("guideline acknowledgements")
        ordering = ["-acknowledged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="guideline_acknowledged_once_per_version"),
        ]

    def __str__(self):
        return f"{self.user} – {self.version}"

    def clean(self):
        if self.version_id and (not self.version.is_published or self.version.is_translation):
            raise ValidationError({"version": _("Only a published original version can be acknowledged.")})
