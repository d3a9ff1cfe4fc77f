"""How the organisation manages its policy rules: switch an automatic rule off (and on), add, edit and retire
the rules a person attests.

Every change is made here, in a transaction with the rule locked, as the ICT secretary; each one needs a reason,
which the rule's history keeps (``PolicyRule.history``, with the user and the time) beside what changed, and each
one is written to the audit log. Rules are never deleted: reviews and proposals refer to them. How the rules are
evaluated is not this module's business (``approvals.compliance``).
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from approvals.models import PolicyRule, RuleKind
from core import audit
from core.access import require_ict_secretary
from core.models import AuditAction
from core.validators import single_line
from guideline.models import GuidelineVersion

# The fields of an attested rule that its form edits (the platforms are set beside them).
EDITABLE_FIELDS = [
    "title",
    "title_en",
    "explanation",
    "explanation_en",
    "sections",
    "is_good_practice",
    "source",
    "source_en",
    "stage",
]
SINGLE_LINE_FIELDS = ["title", "title_en", "source", "source_en"]
REASON_MAX_LENGTH = 2000


class RuleRefused(ValidationError):
    """A change of the rules that is not allowed; the message says why."""


def sections_in_force():
    """``(version, {number: section})``: the guideline in force and its numbered sections; ``(None, {})``
    when no guideline is in force."""
    version = GuidelineVersion.objects.current()
    if version is None:
        return None, {}
    numbered = {}
    for section in version.sections.exclude(number="").order_by("order"):
        number = section.number.strip().rstrip(".")
        if number.isdigit():
            numbered.setdefault(str(int(number)), section)
    return version, numbered


def check_sections(sections):
    """Refuse (``ValidationError``) numbers that the guideline in force does not have.

    Without a guideline in force the numbers cannot be checked, and are accepted."""
    version, numbered = sections_in_force()
    if version is None or not sections:
        return
    missing = [number for number in re.findall(r"\d+", sections) if str(int(number)) not in numbered]
    if missing:
        raise ValidationError(
            _("The guideline in force (%(version)s) has no section %(numbers)s. Its sections are %(existing)s.")
            % {
                "version": version,
                "numbers": ", ".join(missing),
                "existing": ", ".join(sorted(numbered, key=int)) or "–",
            },
            code="no_such_section",
        )


def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise RuleRefused({"reason": _("Say why: the reason is kept in the rule's history.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise RuleRefused(
            {"reason": _("The reason is too long (at most %(limit)d characters).") % {"limit": REASON_MAX_LENGTH}}
        )
    return reason


def _validate(rule):
    """The rule as the model and the guideline allow it; ``ValidationError`` by field otherwise."""
    errors = {}
    for field in SINGLE_LINE_FIELDS:
        try:
            single_line(getattr(rule, field))
        except ValidationError as error:
            errors[field] = list(error.messages)
    try:
        rule.full_clean(exclude=["code", "position"] if rule.pk is None else None, validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if "sections" not in errors:
        try:
            check_sections(rule.sections)
        except ValidationError as error:
            errors["sections"] = error.messages
    if errors:
        raise RuleRefused(errors)


def _new_code(title):
    base = (slugify(title)[:50].strip("-") or "rule")[:50]
    taken = set(PolicyRule.objects.filter(code__startswith=base).values_list("code", flat=True))
    code, number = base, 2
    while code in taken:
        code = f"{base}-{number}"
        number += 1
    return code


def _save(rule, *, actor, reason):
    rule._history_user = actor
    rule._change_reason = reason
    rule.save()


def _set_platforms(rule, platforms, *, actor, reason):
    platforms = list(platforms)
    if {platform.pk for platform in rule.platforms.all()} == {platform.pk for platform in platforms}:
        return False
    rule._history_user = actor
    rule._change_reason = reason
    rule.platforms.set(platforms)
    return True


def add_attested_rule(values, platforms=(), *, reason, actor, request=None):
    """A new rule that a person attests, in use at once, after the other rules; returns it."""
    require_ict_secretary(actor)
    reason = _reason(reason)
    rule = PolicyRule(kind=RuleKind.ATTESTED, **{field: values[field] for field in EDITABLE_FIELDS if field in values})
    _validate(rule)
    with transaction.atomic():
        rule.code = _new_code(rule.title)
        rule.position = (PolicyRule.objects.aggregate(last=Max("position"))["last"] or 0) + 10
        _save(rule, actor=actor, reason=reason)
        _set_platforms(rule, platforms, actor=actor, reason=reason)
        audit.record(request, AuditAction.CHANGE, rule, actor=actor, detail=f"rule added: {rule.code}")
    return rule


def edit_attested_rule(rule, values, platforms=None, *, reason, actor, request=None):
    """Change an attested rule's texts, citation, stage and platforms; returns the names of the changed fields
    (nothing is saved when nothing changed)."""
    require_ict_secretary(actor)
    with transaction.atomic():
        rule = PolicyRule.objects.select_for_update().get(pk=rule.pk)
        if rule.kind != RuleKind.ATTESTED:
            raise RuleRefused(_("A rule checked from the registry's data is not edited here; switch it off instead."))
        changed = [field for field in EDITABLE_FIELDS if field in values and getattr(rule, field) != values[field]]
        platforms_changed = platforms is not None and {p.pk for p in rule.platforms.all()} != {p.pk for p in platforms}
        if not changed and not platforms_changed:
            return []
        reason = _reason(reason)
        for field in changed:
            setattr(rule, field, values[field])
        _validate(rule)
        if changed:
            _save(rule, actor=actor, reason=reason)
        if platforms_changed:
            _set_platforms(rule, platforms, actor=actor, reason=reason)
            changed.append("platforms")
        audit.record(request, AuditAction.CHANGE, rule, actor=actor, detail="rule changed: " + ", ".join(changed))
    return changed


def take_out_of_use(rule, *, reason, actor, request=None):
    """Switch an automatic rule off, or retire an attested one: inactive, with the reason shown on the list."""
    require_ict_secretary(actor)
    reason = _reason(reason)
    with transaction.atomic():
        rule = PolicyRule.objects.select_for_update().get(pk=rule.pk)
        if not rule.is_active:
            raise RuleRefused(_("The rule is not in use already."))
        rule.is_active = False
        rule.disabled_reason = reason
        _save(rule, actor=actor, reason=reason)
        verb = "switched off" if rule.is_automatic else "retired"
        audit.record(request, AuditAction.CHANGE, rule, actor=actor, detail=f"rule {verb}: {reason}")
    return rule


def put_back_in_use(rule, *, reason, actor, request=None):
    """Switch an automatic rule on again, or bring a retired attested rule back; the reason joins the history."""
    require_ict_secretary(actor)
    reason = _reason(reason)
    with transaction.atomic():
        rule = PolicyRule.objects.select_for_update().get(pk=rule.pk)
        if rule.is_active:
            raise RuleRefused(_("The rule is in use already."))
        rule.is_active = True
        rule.disabled_reason = ""
        _save(rule, actor=actor, reason=reason)
        audit.record(request, AuditAction.CHANGE, rule, actor=actor, detail=f"rule back in use: {reason}")
    return rule
