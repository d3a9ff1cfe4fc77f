"""Periodic reviews and the compliance dashboard. A channel's review belongs to its responsible person
(staff in the org fixture); the ICT secretary and the municipal manager read every review; others get 403.
The dashboard and its exports are for the ICT secretary and the municipal manager only."""

from approvals import review_services
from tests.matrix import LOGIN, Row, logged_in, only
from tests.registry_helpers import make_channel


def _channel(org):
    return make_channel(org.unit, responsible_person=org.people["staff"])


def _channel_args(org):
    return [_channel(org).pk]


def _review_args(org):
    return [review_services.start_review(_channel(org), actor=org.users["staff"]).pk]


READERS = only("staff", "ict_secretary", "municipal_manager")
ONLY_RESPONSIBLE_POST = {**only("staff", code=302), "anonymous": LOGIN}

ROWS = [
    Row("approvals:review_list", logged_in(200)),
    Row("approvals:review_channel", READERS, args=_channel_args),
    Row("approvals:review_start", logged_in(405), args=_channel_args, note="starting is a POST"),
    Row("approvals:review_start", ONLY_RESPONSIBLE_POST, method="POST", args=_channel_args),
    Row("approvals:review_detail", READERS, args=_review_args),
    Row("approvals:review_detail", ONLY_RESPONSIBLE_POST, method="POST", args=_review_args, data=lambda org: {}),
    Row("approvals:dashboard", only("ict_secretary", "municipal_manager")),
    Row("approvals:dashboard_csv", only("ict_secretary", "municipal_manager")),
    Row("approvals:dashboard_xlsx", only("ict_secretary", "municipal_manager")),
]
