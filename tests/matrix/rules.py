"""The policy rules' pages: only the ICT secretary reads and manages the organisation's rule set."""

from approvals.models import PolicyRule, RuleKind
from tests.matrix import Row, logged_in, only


def _automatic(org):
    return [PolicyRule.objects.filter(kind=RuleKind.AUTOMATIC).order_by("pk").first().pk]


def _attested(org):
    return [PolicyRule.objects.filter(kind=RuleKind.ATTESTED, is_good_practice=False).order_by("pk").first().pk]


def _new_rule(org):
    return {"title": "Kanavalla on kansikuva", "sections": "5", "stage": "ongoing", "reason": "Uusi käytäntö"}


ROWS = [
    Row("approvals:rule_list", only("ict_secretary")),
    Row("approvals:rule_list", logged_in(405), method="POST", note="read only"),
    Row("approvals:rule_add", only("ict_secretary")),
    Row("approvals:rule_add", only("ict_secretary", code=302), method="POST", data=_new_rule, note="added"),
    Row(
        "approvals:rule_add",
        only("ict_secretary"),
        method="POST",
        data=lambda org: {"title": "", "stage": "ongoing", "reason": "x"},
        note="no title: a form error",
    ),
    Row("approvals:rule_detail", only("ict_secretary"), args=_automatic),
    Row("approvals:rule_detail", logged_in(405), method="POST", args=_automatic, note="read only"),
    Row("approvals:rule_edit", only("ict_secretary"), args=_attested),
    Row("approvals:rule_edit", only("ict_secretary", code=404), args=_automatic, note="automatic: not edited"),
    Row(
        "approvals:rule_edit",
        only("ict_secretary", code=302),
        method="POST",
        args=_attested,
        data=lambda org: {**_new_rule(org), "title": "Muokattu"},
        note="edited",
    ),
    Row("approvals:rule_status", only("ict_secretary"), args=_automatic),
    Row(
        "approvals:rule_status",
        only("ict_secretary", code=302),
        method="POST",
        args=_automatic,
        data=lambda org: {"reason": "Ei tarvita"},
        note="switched off",
    ),
    Row(
        "approvals:rule_status",
        only("ict_secretary"),
        method="POST",
        args=_automatic,
        data=lambda org: {"reason": ""},
        note="no reason: a form error",
    ),
]
