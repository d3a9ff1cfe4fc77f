"""Channel proposals. The proposal is staff's, for their unit (Kirjastopalvelut in the head's area); the
supervisor is named in it (responsible person, maintainer, holiday cover), so sees it once submitted.
Others who may not see a proposal get 404; those who see it but may not act get 403; an action the
proposal's state no longer allows redirects back to its page with a message (302)."""

from approvals.models import ProposalStatus
from tests.matrix import LOGIN, Row, logged_in, only
from tests.proposal_builders import make_proposal


def _proposal(status):
    return lambda org: [make_proposal(org, status).pk]


def _expect(**codes):
    """Every role not named gets 404 (the proposal is hidden from them); a login without a role gets 403 (no
    proposal page is for it); anonymous users go to log in."""
    keys = ["staff", "supervisor", "area_head", "municipal_manager", "ict_secretary"]
    return {"anonymous": LOGIN, "outsider": 403, **{key: codes.get(key, 404) for key in keys}}


DRAFT = _proposal(ProposalStatus.DRAFT)
SUBMITTED = _proposal(ProposalStatus.SUBMITTED)

# Viewers of a submitted proposal who do not decide on it: the proposer, the supervisor (named), the ICT secretary.
DECIDE_GET = _expect(area_head=200, municipal_manager=200, staff=403, supervisor=403, ict_secretary=403)
DECIDE_POST = _expect(area_head=302, municipal_manager=302, staff=403, supervisor=403, ict_secretary=403)


def _approve_data(org):
    return {"responsible_person": org.person("supervisor").pk, "goals": "Tavoite", "confirm": "on"}


ROWS = [
    Row("approvals:proposal_list", logged_in(200)),
    Row("approvals:proposal_all", only("ict_secretary", "municipal_manager")),
    Row("approvals:decision_queue", only("area_head", "municipal_manager")),
    Row("approvals:proposal_create", logged_in(200), note="everyone in the org fixture has a person record"),
    Row(
        "approvals:proposal_create",
        logged_in(200),
        method="POST",
        data=lambda org: {"name": ""},
        note="incomplete form shown again",
    ),
    Row("approvals:proposal_detail", _expect(staff=200, ict_secretary=200), args=DRAFT, note="draft"),
    Row(
        "approvals:proposal_detail",
        _expect(staff=200, supervisor=200, area_head=200, municipal_manager=200, ict_secretary=200),
        args=SUBMITTED,
        note="submitted",
    ),
    Row("approvals:proposal_edit", _expect(staff=200, ict_secretary=403), args=DRAFT, note="draft"),
    Row(
        "approvals:proposal_edit",
        _expect(staff=200, ict_secretary=403),
        method="POST",
        args=DRAFT,
        data=lambda org: {"name": ""},
        note="draft-invalid",
    ),
    Row(
        "approvals:proposal_edit",
        _expect(staff=302, supervisor=403, area_head=403, municipal_manager=403, ict_secretary=403),
        args=SUBMITTED,
        note="submitted: refused",
    ),
    Row("approvals:proposal_submit", _expect(staff=200, ict_secretary=403), args=DRAFT),
    Row("approvals:proposal_submit", _expect(staff=302, ict_secretary=403), method="POST", args=DRAFT),
    Row("approvals:proposal_withdraw", _expect(staff=200, ict_secretary=403), args=DRAFT),
    Row("approvals:proposal_withdraw", _expect(staff=302, ict_secretary=403), method="POST", args=DRAFT),
    Row("approvals:proposal_approve", DECIDE_GET, args=SUBMITTED),
    Row("approvals:proposal_approve", DECIDE_POST, method="POST", args=SUBMITTED, data=_approve_data),
    Row("approvals:proposal_return", DECIDE_GET, args=SUBMITTED),
    Row("approvals:proposal_return", DECIDE_POST, method="POST", args=SUBMITTED, data=lambda org: {"comment": "Ok"}),
    Row("approvals:proposal_reject", DECIDE_GET, args=SUBMITTED),
    Row(
        "approvals:proposal_reject",
        DECIDE_POST,
        method="POST",
        args=SUBMITTED,
        data=lambda org: {"reason": "Ei", "confirm": "on"},
    ),
]
