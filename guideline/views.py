"""The guideline pages: reading (public), acknowledging (staff), drafting and publishing (ICT secretary).

The reading pages are public: the guideline is a public document under the Act on the Openness of
Government Activities (621/1999), and residents may want to know the rules the municipality's accounts
follow. Acknowledging needs a login; drafts, the acknowledgement report and publishing are for the
ICT secretary only.
"""

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from channels.models import Person
from core import audit
from core.access import is_ict_secretary, require_ict_secretary
from core.forms import add_service_error
from core.models import AuditAction, AuditResult
from guideline import services
from guideline.diffing import SECTION_REMOVED, SECTION_UNCHANGED
from guideline.forms import (
    FROM_FILE,
    ImportForm,
    NewSectionForm,
    PublishForm,
    SectionForm,
    TranslationForm,
    TranslationPublishForm,
)
from guideline.hooks import citations_for
from guideline.models import GuidelineAcknowledgement, GuidelineVersion
from guideline.rendering import render_markdown

PEOPLE_PER_PAGE = 50


@dataclasses.dataclass
class RenderedSection:
    section: object
    html: str
    citations: list


def _draft_for(request, pk, *, structure=False):
    """The draft with this pk, for the ICT secretary only (403 for others, 404 for no such draft).

    A language version's draft too, unless the page changes the sections' structure (``structure``): a
    language version keeps its original's sections.
    """
    require_ict_secretary(request.user)
    drafts = GuidelineVersion.objects.drafts()
    if structure:
        drafts = drafts.originals()
    return get_object_or_404(drafts.select_related("based_on", "translation_of"), pk=pk)


def _version_url(version):
    current = GuidelineVersion.objects.current()
    if current is not None and version.pk == current.pk:
        return reverse("guideline")
    return reverse("guideline_version", args=[version.pk])


def _reading_context(request, version, *, preview=False):
    """Everything the reading page shows; a constant number of queries whatever the length of the text."""
    sections = list(version.sections.all())
    citations = citations_for(sections, request.user)
    original = version.original
    current = GuidelineVersion.objects.current()
    is_current = current is not None and original.pk == current.pk
    if is_current and version.is_translation and version.is_published:
        # A re-drafted language version replaces the earlier one: only the newest is the one in force.
        is_current = GuidelineVersion.objects.language_version(original, version.language) == version
    language = get_language() or "fi"
    reading_aid = None  # the language version in the reader's language, offered on the original's page
    if not version.is_translation and version.is_published and language != version.language:
        reading_aid = GuidelineVersion.objects.language_version(version, language)
    acknowledgement = None
    if request.user.is_authenticated and version.is_published:
        acknowledgement = GuidelineAcknowledgement.objects.filter(user=request.user, version=original).first()
    return {
        "version": version,
        "original": original,
        "current": current,
        "is_current": is_current,
        "preview": preview,
        "sections": [RenderedSection(s, render_markdown(s.body), citations.get(s.slug, [])) for s in sections],
        "reading_aid": reading_aid,
        # The original's own page: /ohje/ would show this language version again to this reader.
        "original_url": reverse("guideline_version", args=[original.pk]) if version.is_translation else "",
        "acknowledgement": acknowledgement,
        "needs_acknowledgement": is_current and request.user.is_authenticated and acknowledgement is None,
        "editorial_notes": version.editorial_notes_in(language),
    }


@login_not_required
def guideline(request):
    version = GuidelineVersion.objects.current()
    if version is None:
        # A fresh install: the organisation has not loaded its guideline yet (not an error, so no 404).
        ict_secretary = is_ict_secretary(request.user)
        draft = GuidelineVersion.objects.drafts().originals().first() if ict_secretary else None
        return render(request, "guideline/none.html", {"is_ict_secretary": ict_secretary, "draft": draft})
    language = get_language() or version.language
    if language != version.language:
        # A reader whose language has a published language version reads that, with a notice of its standing.
        translated = GuidelineVersion.objects.language_version(version, language)
        if translated is not None:
            translated.translation_of = version
            return render(request, "guideline/read.html", _reading_context(request, translated))
    return render(request, "guideline/read.html", _reading_context(request, version))


@login_not_required
def guideline_version(request, pk):
    version = get_object_or_404(
        GuidelineVersion.objects.published().select_related("translation_of", "published_by"), pk=pk
    )
    return render(request, "guideline/read.html", _reading_context(request, version))


@login_not_required
def guideline_versions(request):
    translations = GuidelineVersion.objects.published().order_by("language", "published_at")
    versions = (
        GuidelineVersion.objects.published()
        .originals()
        .select_related("published_by")
        .prefetch_related(Prefetch("translations", queryset=translations))
        .order_by("-published_at", "-pk")
    )
    page = Paginator(versions, 20).get_page(request.GET.get("page"))
    ict_secretary = is_ict_secretary(request.user)
    draft = GuidelineVersion.objects.drafts().originals().first() if ict_secretary else None
    current = GuidelineVersion.objects.current()
    translation_drafts, missing, redraft = [], [], []
    if ict_secretary and current is not None:
        # "Lisää kieliversio" for each configured language the version in force lacks; a new draft for the others.
        translation_drafts = list(current.translations.drafts())
        drafting = {draft_.language for draft_ in translation_drafts}
        missing = services.missing_languages(current)
        redraft = [
            (code, name)
            for code, name in services.translation_languages(current)
            if code not in drafting and (code, name) not in missing
        ]
    return render(
        request,
        "guideline/versions.html",
        {
            "page": page,
            "current": current,
            "draft": draft,
            "is_ict_secretary": ict_secretary,
            "translation_drafts": translation_drafts,
            "missing_languages": missing,
            "redraft_languages": redraft,
        },
    )


def _changes_page(request, version, *, template="guideline/changes.html"):
    changes = services.changes_of(version)
    return render(request, template, {"version": version, "base": version.based_on, "changes": changes})


@login_not_required
def guideline_version_changes(request, pk):
    version = get_object_or_404(GuidelineVersion.objects.published().originals().select_related("based_on"), pk=pk)
    return _changes_page(request, version)


@require_POST
def guideline_acknowledge(request, pk):
    version = get_object_or_404(GuidelineVersion.objects.published().select_related("translation_of"), pk=pk)
    try:
        services.acknowledge(request.user, version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: you have acknowledged that you have read this version."))
    return redirect(_version_url(version) + "#acknowledge")


def guideline_acknowledgements(request):
    """Who has and has not acknowledged the guideline in force, per unit (people with a login)."""
    require_ict_secretary(request.user)
    current = GuidelineVersion.objects.current()
    if current is None:
        draft = GuidelineVersion.objects.drafts().originals().first()
        return render(request, "guideline/none.html", {"is_ict_secretary": True, "draft": draft})
    people = Person.objects.active().filter(user__isnull=False, user__is_active=True)
    units = (
        people.values("unit__pk", "unit__name")
        .annotate(
            total=Count("pk", distinct=True),
            acknowledged=Count("pk", filter=Q(user__guideline_acknowledgements__version=current), distinct=True),
        )
        .order_by("unit__name")
    )
    units = [{**unit, "missing": unit["total"] - unit["acknowledged"]} for unit in units]
    acknowledged_at = GuidelineAcknowledgement.objects.filter(version=current, user=OuterRef("user")).values(
        "acknowledged_at"
    )[:1]
    listed = people.select_related("unit").annotate(acknowledged_at=Subquery(acknowledged_at))
    show = request.GET.get("show", "all")
    if show == "missing":
        listed = listed.filter(acknowledged_at__isnull=True)
    elif show == "acknowledged":
        listed = listed.filter(acknowledged_at__isnull=False)
    else:
        show = "all"
    unit_pk = request.GET.get("unit", "")
    if unit_pk.isdigit():
        listed = listed.filter(unit__pk=int(unit_pk))
    else:
        unit_pk = ""
    listed = listed.order_by("unit__name", "last_name", "first_name", "pk")
    page = Paginator(listed, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    totals = {
        "total": sum(unit["total"] for unit in units),
        "acknowledged": sum(unit["acknowledged"] for unit in units),
    }
    totals["missing"] = totals["total"] - totals["acknowledged"]
    return render(
        request,
        "guideline/acknowledgements.html",
        {
            "version": current,
            "units": units,
            "totals": totals,
            "page": page,
            "show": show,
            "unit_pk": unit_pk,
        },
    )


# --- The ICT secretary's drafts ------------------------------------------------------------------------


@require_POST
def guideline_draft_start(request):
    actor = require_ict_secretary(request.user)
    existing = GuidelineVersion.objects.drafts().originals().first()
    if existing is not None:
        messages.info(request, _("There is a draft already; continue editing it."))
        return redirect("guideline_draft", pk=existing.pk)
    try:
        draft = services.start_draft(actor)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("guideline_versions")
    messages.success(request, _("A new draft was made from the published guideline. Edit its sections below."))
    return redirect("guideline_draft", pk=draft.pk)


def guideline_import(request):
    """Upload an organisation's own guideline (Markdown or Word); it becomes the draft, split at its headings."""
    actor = require_ict_secretary(request.user)
    existing = GuidelineVersion.objects.drafts().originals().first()
    if existing is not None and request.method == "POST":
        messages.error(request, _("There is a draft already; edit or publish it first."))
        return redirect("guideline_draft", pk=existing.pk)
    form = ImportForm(*([request.POST, request.FILES] if request.method == "POST" else []))
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["file"].name
        parsed = form.cleaned_data["parsed"]
        try:
            draft = services.import_guideline(
                actor, parsed, title=form.cleaned_data["title"], label=form.cleaned_data["label"], source=name
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            audit.record(
                request, AuditAction.IMPORT, draft, detail=f"{name}: {len(parsed.sections)} sections, as a draft"
            )
            messages.success(
                request,
                _(
                    "The guideline was imported as a draft with %(count)d sections. Check the sections, edit them "
                    "and publish the draft when it is ready."
                )
                % {"count": len(parsed.sections)},
            )
            return redirect("guideline_draft", pk=draft.pk)
    if request.method == "POST" and not form.is_valid():
        name = request.FILES["file"].name if "file" in request.FILES else ""
        audit.record(
            request,
            AuditAction.IMPORT,
            object_type=GuidelineVersion._meta.label,
            object_repr=name,
            result=AuditResult.REFUSED,
            detail="; ".join(message for messages_ in form.errors.values() for message in messages_),
        )
    return render(
        request,
        "guideline/import.html",
        {"form": form, "draft": existing, "limit_mb": ImportForm.limit_mb()},
    )


def guideline_draft(request, pk):
    draft = _draft_for(request, pk)
    changes = services.changes_of(draft)
    status_by_slug = {change.slug: change.status for change in changes.sections} if changes else {}
    sections = [(section, status_by_slug.get(section.slug, SECTION_UNCHANGED)) for section in draft.sections.all()]
    return render(
        request,
        "guideline/draft.html",
        {
            "draft": draft,
            "sections": sections,
            "changes": changes,
            "removed": [change for change in changes.sections if change.status == SECTION_REMOVED] if changes else [],
        },
    )


def guideline_draft_section(request, pk, slug):
    draft = _draft_for(request, pk)
    section = get_object_or_404(draft.sections, slug=slug)
    preview = None
    if request.method == "POST":
        form = SectionForm(request.POST)
        if form.is_valid():
            if "preview" in request.POST:
                preview = render_markdown(form.cleaned_data["body"])
            else:
                try:
                    services.edit_section(request.user, section, **form.cleaned_data)
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    messages.success(request, _("The section “%(title)s” was saved.") % {"title": section.heading})
                    return redirect(reverse("guideline_draft", args=[draft.pk]) + f"#section-{section.slug}")
    else:
        form = SectionForm(initial={"title": section.title, "body": section.body})
    return render(
        request,
        "guideline/section_form.html",
        {"draft": draft, "section": section, "form": form, "preview": preview},
    )


def guideline_draft_section_add(request, pk):
    draft = _draft_for(request, pk, structure=True)
    preview = None
    if request.method == "POST":
        form = NewSectionForm(request.POST)
        if form.is_valid():
            if "preview" in request.POST:
                preview = render_markdown(form.cleaned_data["body"])
            else:
                try:
                    section = services.add_section(request.user, draft, **form.cleaned_data)
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    messages.success(request, _("The section “%(title)s” was added.") % {"title": section.heading})
                    return redirect(reverse("guideline_draft", args=[draft.pk]) + f"#section-{section.slug}")
    else:
        form = NewSectionForm()
    return render(
        request,
        "guideline/section_form.html",
        {"draft": draft, "section": None, "form": form, "preview": preview},
    )


def guideline_draft_section_remove(request, pk, slug):
    """Confirmation page (GET) and removal (POST) of a draft's section; the rules citing it are shown first."""
    draft = _draft_for(request, pk, structure=True)
    section = draft.sections.filter(slug=slug).first()
    if section is None:
        if request.method == "POST":  # a second click, or another tab removed it: nothing is lost
            messages.info(request, _("The section is no longer in the draft; it was removed already."))
            return redirect("guideline_draft", pk=draft.pk)
        raise Http404
    if request.method == "POST":
        try:
            services.remove_section(request.user, section)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The section “%(title)s” was removed from the draft. The version in force keeps it.")
                % {"title": section.heading},
            )
        return redirect("guideline_draft", pk=draft.pk)
    citations = citations_for([section], request.user).get(section.slug, [])
    return render(
        request,
        "guideline/section_remove.html",
        {"draft": draft, "section": section, "citations": citations, "only_section": draft.sections.count() == 1},
    )


@require_POST
def guideline_draft_section_move(request, pk, slug):
    draft = _draft_for(request, pk, structure=True)
    section = get_object_or_404(draft.sections, slug=slug)
    try:
        services.move_section(request.user, section, request.POST.get("direction", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The section “%(title)s” was moved.") % {"title": section.heading})
    return redirect(reverse("guideline_draft", args=[draft.pk]) + f"#section-{section.slug}")


def guideline_draft_preview(request, pk):
    draft = _draft_for(request, pk)
    return render(request, "guideline/read.html", _reading_context(request, draft, preview=True))


def guideline_draft_changes(request, pk):
    draft = _draft_for(request, pk)
    return _changes_page(request, draft)


def guideline_draft_publish(request, pk):
    """Confirmation page (GET) and publishing (POST) of a draft."""
    draft = _draft_for(request, pk)
    changes = services.changes_of(draft)
    form_class = TranslationPublishForm if draft.is_translation else PublishForm
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                version = services.publish_version(request.user, draft, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                if version.is_translation:
                    audit.record(
                        request,
                        AuditAction.CHANGE,
                        version,
                        detail=f"published the {version.language} language version ({version.standing}) "
                        f"of guideline version {version.translation_of_id}",
                    )
                    messages.success(
                        request,
                        _("The %(language)s language version was published.")
                        % {"language": version.get_language_display()},
                    )
                    return redirect("guideline_version", pk=version.pk)
                messages.success(
                    request,
                    _("The new version was published. Everyone is asked to read and acknowledge it."),
                )
                return redirect(_version_url(version))
    else:
        base = draft.based_on
        form = form_class(initial={"title": draft.title, "approved_by": base.approved_by if base else ""})
    return render(
        request,
        "guideline/publish.html",
        {"draft": draft, "form": form, "changes": changes},
    )


# --- Language versions ---------------------------------------------------------------------------------------


def guideline_translation_add(request, pk):
    """A new language version of the version in force (“Lisää kieliversio”): from a copy or a translated file.

    A language that has a published language version gets a new draft of it (a copy of that one); the
    published one stays readable until the draft is published.
    """
    actor = require_ict_secretary(request.user)
    original = get_object_or_404(GuidelineVersion.objects.published().originals(), pk=pk)
    current = GuidelineVersion.objects.current()
    if current is None or current.pk != original.pk:
        messages.error(request, _("A language version can be added only to the version in force."))
        return redirect("guideline_versions")
    drafting = set(original.translations.drafts().values_list("language", flat=True))
    languages = [(code, name) for code, name in services.translation_languages(original) if code not in drafting]
    if not languages:
        messages.info(request, _("Every language of the portal has a language version or a draft of one already."))
        return redirect("guideline_versions")
    initial = {"language": request.GET.get("language", "")}
    form = TranslationForm(
        *([request.POST, request.FILES] if request.method == "POST" else []), languages=languages, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        parsed, upload = form.cleaned_data["parsed"], form.cleaned_data.get("file")
        try:
            draft = services.start_translation(
                actor,
                original,
                language=form.cleaned_data["language"],
                standing=form.cleaned_data["standing"],
                parsed=parsed,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            source = upload.name if parsed is not None else "a copy"
            audit.record(
                request,
                AuditAction.IMPORT if parsed is not None else AuditAction.CHANGE,
                draft,
                detail=f"{draft.language} language version ({draft.standing}) of guideline version {original.pk} "
                f"started from {source}, as a draft",
            )
            messages.success(
                request,
                _("A draft %(language)s language version was made. Translate or check its sections and publish it.")
                % {"language": draft.get_language_display()},
            )
            return redirect("guideline_draft", pk=draft.pk)
    if request.method == "POST" and not form.is_valid() and form.data.get("source") == FROM_FILE:
        audit.record(
            request,
            AuditAction.IMPORT,
            object_type=GuidelineVersion._meta.label,
            object_repr=request.FILES["file"].name if "file" in request.FILES else "",
            result=AuditResult.REFUSED,
            detail="; ".join(message for messages_ in form.errors.values() for message in messages_),
        )
    return render(
        request,
        "guideline/translation_add.html",
        {"form": form, "original": original, "limit_mb": ImportForm.limit_mb()},
    )
