"""The guideline (versions, sections, acknowledgements) and accessibility feedback. The 2016 text is loaded by 0003."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("somegov", "0001_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="GuidelineVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                (
                    "label",
                    models.CharField(
                        blank=True,
                        help_text="How the version is known, e.g. “Luonnos 31.12.2015”.",
                        max_length=200,
                        verbose_name="label",
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("fi", "Finnish"), ("en", "English")],
                        default="fi",
                        max_length=10,
                        verbose_name="language",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("published", "Published")],
                        default="draft",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "is_translation",
                    models.BooleanField(
                        default=False,
                        help_text="An unofficial reading aid; the original text is authoritative.",
                        verbose_name="translation",
                    ),
                ),
                ("approved_by", models.CharField(blank=True, max_length=200, verbose_name="approved by")),
                ("approved_on", models.DateField(blank=True, null=True, verbose_name="approved on")),
                ("note", models.TextField(blank=True, verbose_name="note")),
                (
                    "editorial_notes",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="How the text was restored from its source: a list of {“fi”: …, “en”: …}.",
                        verbose_name="editorial notes",
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="created at")),
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="published at")),
                (
                    "based_on",
                    models.ForeignKey(
                        blank=True,
                        help_text="The published version this one was copied from; changes are shown against it.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="revisions",
                        to="somegov.guidelineversion",
                        verbose_name="based on",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty for the 2016 version, which was loaded from its source document.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="published by",
                    ),
                ),
                (
                    "translation_of",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="translations",
                        to="somegov.guidelineversion",
                        verbose_name="translation of",
                    ),
                ),
            ],
            options={
                "verbose_name": "guideline version",
                "verbose_name_plural": "guideline versions",
                "ordering": ["-published_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="GuidelineSection",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("order", models.PositiveSmallIntegerField(verbose_name="order")),
                (
                    "number",
                    models.CharField(
                        blank=True, help_text="Empty for unnumbered parts.", max_length=10, verbose_name="number"
                    ),
                ),
                ("slug", models.SlugField(max_length=100, verbose_name="anchor")),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                (
                    "title_is_editorial",
                    models.BooleanField(
                        default=False,
                        help_text="The source has no heading here; the title was added.",
                        verbose_name="editorial title",
                    ),
                ),
                ("body", models.TextField(verbose_name="text (Markdown)")),
                ("updated_at", models.DateTimeField(blank=True, null=True, verbose_name="updated at")),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="updated by",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sections",
                        to="somegov.guidelineversion",
                        verbose_name="version",
                    ),
                ),
            ],
            options={
                "verbose_name": "guideline section",
                "verbose_name_plural": "guideline sections",
                "ordering": ["version", "order"],
            },
        ),
        migrations.CreateModel(
            name="GuidelineAcknowledgement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "acknowledged_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="acknowledged at"),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="guideline_acknowledgements",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="acknowledgements",
                        to="somegov.guidelineversion",
                        verbose_name="version",
                    ),
                ),
            ],
            options={
                "verbose_name": "guideline acknowledgement",
                "verbose_name_plural": "guideline acknowledgements",
                "ordering": ["-acknowledged_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="AccessibilityFeedback",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(blank=True, max_length=200, verbose_name="name")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                ("message", models.TextField(verbose_name="message")),
                ("page_url", models.CharField(blank=True, max_length=500, verbose_name="page address")),
                (
                    "language",
                    models.CharField(
                        choices=[("fi", "Finnish"), ("en", "English")],
                        default="fi",
                        max_length=10,
                        verbose_name="language",
                    ),
                ),
                ("received_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="received at")),
                ("due_on", models.DateField(verbose_name="answer due on")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("answered", "Answered")],
                        default="open",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                ("answered_on", models.DateField(blank=True, null=True, verbose_name="answered on")),
                ("answer_note", models.TextField(blank=True, verbose_name="answer note")),
                ("answered_marked_at", models.DateTimeField(blank=True, null=True, verbose_name="marked answered at")),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="marked answered by",
                    ),
                ),
            ],
            options={
                "verbose_name": "accessibility feedback",
                "verbose_name_plural": "accessibility feedback",
                "ordering": ["-received_at", "-pk"],
                "indexes": [models.Index(fields=["status", "due_on"], name="feedback_status_due_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("answered_on__isnull", True), ("status", "open")),
                            models.Q(("answered_on__isnull", False), ("status", "answered")),
                            _connector="OR",
                        ),
                        name="feedback_answered_has_answer_date",
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="guidelineversion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("is_translation", False), ("translation_of__isnull", True)),
                    models.Q(("is_translation", True), ("translation_of__isnull", False)),
                    _connector="OR",
                ),
                name="guideline_translation_names_its_original",
            ),
        ),
        migrations.AddConstraint(
            model_name="guidelineversion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("published_at__isnull", True), ("status", "draft")),
                    models.Q(("published_at__isnull", False), ("status", "published")),
                    _connector="OR",
                ),
                name="guideline_published_version_has_date",
            ),
        ),
        migrations.AddConstraint(
            model_name="guidelineversion",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_translation", False), ("status", "draft")),
                fields=("status",),
                name="guideline_one_draft_at_a_time",
            ),
        ),
        migrations.AddConstraint(
            model_name="guidelineversion",
            constraint=models.UniqueConstraint(
                fields=("translation_of", "language"), name="guideline_one_translation_per_language"
            ),
        ),
        migrations.AddConstraint(
            model_name="guidelinesection",
            constraint=models.UniqueConstraint(
                fields=("version", "slug"), name="guideline_section_slug_unique_in_version"
            ),
        ),
        migrations.AddConstraint(
            model_name="guidelinesection",
            constraint=models.UniqueConstraint(
                fields=("version", "order"), name="guideline_section_order_unique_in_version"
            ),
        ),
        migrations.AddConstraint(
            model_name="guidelineacknowledgement",
            constraint=models.UniqueConstraint(
                fields=("user", "version"), name="guideline_acknowledged_once_per_version"
            ),
        ),
    ]
