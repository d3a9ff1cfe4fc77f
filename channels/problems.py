"""What is wrong with a channel, computed from the registry's own data.

Each kind of problem is a ``ProblemKind``: a code, a label, and a *condition*, a boolean SQL expression over
``Channel`` rows for a given day. The registry list annotates every kind at once (``Channel.objects.
with_problems()``), so the "has problems" filter and the counts cost no extra queries whatever the number of
rows; one channel's problems come from the same expressions (``problems_of``), so the list and the channel page
never disagree.

Other apps add kinds without channels importing them: the approvals app registers e.g. "a maintainer has no
valid supervisor authorisation" in its ``AppConfig.ready()`` with ``register_problem``, as it registers its
grant check with ``services.register_grant_check``.
"""

import dataclasses
import datetime
from collections.abc import Callable

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A channel in use exists on its platform and needs looking after; problems of maintenance apply to these.
IN_USE = ("active", "paused")
# From the decision on, a channel needs a responsible person (§3).
DECIDED = ("approved", "active", "paused")


class Severity:
    GUIDELINE = "guideline"  # the 2016 guideline requires it
    GOOD_PRACTICE = "good_practice"  # beyond the guideline (NCSC-FI, municipal practice)


@dataclasses.dataclass(frozen=True)
class ProblemKind:
    """One kind of problem. ``condition(on)`` returns a boolean expression (a ``Q`` or ``Exists``) over Channel.

    ``section`` cites the guideline (or the source of a good practice) so the secretary knows why it matters.
    """

    code: str
    label: str
    condition: Callable[[datetime.date], object]
    severity: str = Severity.GUIDELINE
    section: str = ""
    # Extra annotations the condition refers to (e.g. a count), as a function of the day.
    annotations: Callable[[datetime.date], dict] | None = None

    @property
    def annotation(self):
        return f"problem_{self.code}"

    @property
    def is_good_practice(self):
        return self.severity == Severity.GOOD_PRACTICE


@dataclasses.dataclass(frozen=True)
class Problem:
    kind: ProblemKind

    @property
    def code(self):
        return self.kind.code

    @property
    def label(self):
        return self.kind.label

    def __str__(self):
        return str(self.kind.label)


PROBLEM_KINDS: list[ProblemKind] = []


def register_problem(kind: ProblemKind) -> ProblemKind:
    """Add a kind of problem (idempotent by code: registering a code again replaces the earlier kind)."""
    for index, existing in enumerate(PROBLEM_KINDS):
        if existing.code == kind.code:
            PROBLEM_KINDS[index] = kind
            return kind
    PROBLEM_KINDS.append(kind)
    return kind


def unregister_problem(code: str) -> None:
    PROBLEM_KINDS[:] = [kind for kind in PROBLEM_KINDS if kind.code != code]


def _current_rights():
    from channels.models import UpdateRight

    return UpdateRight.objects.filter(channel=OuterRef("pk"), revoked_at__isnull=True)


def _left(field, on):
    # A subquery rather than a join: a join on a nullable person would need care to stay a LEFT JOIN in
    # every combination of conditions, and a lost row would hide a channel from the registry.
    from channels.models import Person

    return Exists(Person.objects.filter(pk=OuterRef(field), left_on__lte=on))


def _active_holder(on):
    return Q(person__left_on__isnull=True) | Q(person__left_on__gt=on)


def _no_responsible(on):
    return Q(status__in=DECIDED) & (Q(responsible_person__isnull=True) | _left("responsible_person", on))


def _no_maintainer(on):
    return Q(status__in=IN_USE) & ~Exists(_current_rights().filter(_active_holder(on)))


def _review_overdue(on):
    return Q(status__in=IN_USE, next_review_on__lt=on)


def _leaver_holds_right(on):
    return Exists(_current_rights().filter(person__left_on__lte=on))


def _administrator_count(on):
    from channels.models import UpdateRole

    administrators = (
        _current_rights()
        .filter(_active_holder(on), role=UpdateRole.ADMINISTRATOR)
        .order_by()
        .values("channel")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {"administrator_count": Coalesce(Subquery(administrators), Value(0))}


def _too_few_administrators(on):
    return Q(status__in=IN_USE, administrator_count__lt=2)


def _no_holiday_cover(on):
    return (
        Q(status__in=IN_USE)
        & (Q(holiday_cover_person__isnull=True) | _left("holiday_cover_person", on))
        & Q(holiday_cover_arrangement="")
    )


for _kind in [
    ProblemKind("no_responsible", _("No responsible person (or the responsible person has left)"), _no_responsible,
                section="§3"),
    ProblemKind("no_maintainer", _("No current maintainer"), _no_maintainer, section="§3, §4"),
    ProblemKind("review_overdue", _("Review overdue"), _review_overdue, section="§4"),
    ProblemKind("leaver_holds_right", _("A person who has left still holds an update right"), _leaver_holds_right,
                section="§3"),
    ProblemKind("too_few_administrators", _("Fewer than two administrators"), _too_few_administrators,
                severity=Severity.GOOD_PRACTICE, section=_("NCSC-FI, municipal practice"),
                annotations=_administrator_count),
    ProblemKind("no_holiday_cover", _("No holiday cover recorded"), _no_holiday_cover, section="§4"),
]:  # fmt: skip
    register_problem(_kind)


def annotate_problems(queryset, on=None):
    """Annotate ``problem_<code>`` booleans, ``has_problems`` and the day they were computed for."""
    on = on or timezone.localdate()
    helpers, flags = {}, {}
    for kind in PROBLEM_KINDS:
        if kind.annotations:
            helpers.update(kind.annotations(on))
        flags[kind.annotation] = ExpressionWrapper(kind.condition(on), output_field=BooleanField())
    if helpers:
        queryset = queryset.annotate(**helpers)
    queryset = queryset.annotate(**flags)
    any_problem = Q()
    for name in flags:
        any_problem |= Q(**{name: True})
    has = ExpressionWrapper(any_problem, output_field=BooleanField()) if flags else Value(False)
    return queryset.annotate(has_problems=has)


def problems_of(channel, on=None):
    """The problems of one channel, as a list of ``Problem`` in the order the kinds were registered.

    Reads the annotations when ``channel`` came from ``with_problems()``; otherwise asks the database once.
    """
    if not all(hasattr(channel, kind.annotation) for kind in PROBLEM_KINDS):
        from channels.models import Channel

        channel = annotate_problems(Channel.objects.filter(pk=channel.pk), on).get()
    return [Problem(kind) for kind in PROBLEM_KINDS if getattr(channel, kind.annotation)]


def kind_choices():
    return [(kind.code, kind.label) for kind in PROBLEM_KINDS]


def kind_by_code(code):
    return next((kind for kind in PROBLEM_KINDS if kind.code == code), None)
