"""Authorisation pages: who gets what. Supervisors see only their own line (others' people: 404),
the ICT secretary handles everyone's; staff and people without a role get 403.

None of these views is POST-only: each state change has a confirmation page (GET) at the same URL
and the POST carries the CSRF token and the reason; so there are GET and POST rows, no 405 rows.
"""

import datetime

from django.utils import timezone

from tests.authorisation_factories import authorise, make_channel, make_right
from tests.factories import make_person
from tests.matrix import LOGIN, Row, only, own_account

SUPERVISORS = ("supervisor", "area_head", "municipal_manager")


def _expect(**codes):
    """Everyone logged in gets 403 unless named; anonymous users go to log in."""
    base = only()
    base.update(codes)
    base["anonymous"] = LOGIN
    return base


def in_line(code=200, ict=200):
    """The person is in the line of all three supervisors; the ICT secretary handles everyone."""
    return _expect(supervisor=code, area_head=code, municipal_manager=code, ict_secretary=ict)


def outside_line(ict=200):
    return _expect(supervisor=404, area_head=404, municipal_manager=404, ict_secretary=ict)


def _staff(org):
    return [org.person("staff").pk]


def _outsider(org):
    return [org.person("outsider").pk]


def _staff_authorisation(org):
    return [authorise(org.person("staff"), valid_until=timezone.localdate() + datetime.timedelta(days=5)).pk]


def _outsider_authorisation(org):
    """An authorisation in another line: the outsider under a boss of their own in another area."""
    outsider = org.person("outsider")
    outsider.supervisor = make_person("Oona", "Oksanen", org.other_unit)
    outsider.save(update_fields=["supervisor"])
    return [authorise(outsider, valid_until=timezone.localdate() + datetime.timedelta(days=5)).pk]


def _own_authorisation(org):
    """The supervisor's own authorisation (from the area head): the supervisor cannot touch it."""
    return [authorise(org.person("supervisor"), valid_until=timezone.localdate() + datetime.timedelta(days=5)).pk]


def _grant_data(org):
    return {
        "scope": "all",
        "valid_from": timezone.localdate().isoformat(),
        "granted_by": org.person("supervisor").pk,  # read only from the ICT secretary
        "decision_reference": "Sähköposti 3.2.2026",
    }


def _extend_data(org):
    return {"valid_until": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(), "reason": "Jatkuu"}


def _reason(org):
    return {"reason": "Tehtävät muuttuivat"}


def _right(org):
    channel = make_channel(unit=org.unit)
    return [make_right(org.person("staff"), channel).pk]


def _channel(org):
    return [make_channel("Matriisikanava", unit=org.unit).pk]


def _grant_right_data(org):
    staff = org.person("staff")
    staff.commitment_signed_on = timezone.localdate()
    staff.save(update_fields=["commitment_signed_on"])
    authorise(staff)
    return {"person": staff.pk, "role": "editor", "weekly_hours": "2"}


ROWS = [
    Row("approvals:my_team", _expect(**dict.fromkeys(SUPERVISORS, 200))),
    Row("approvals:my_page", own_account(200), note="one's own account: a login without a role too"),
    # Granting: the staff member is in every supervisor's line; the outsider in nobody's.
    Row("approvals:authorisation_grant", in_line(), args=_staff),
    Row("approvals:authorisation_grant", outside_line(), args=_outsider, note="outside the line"),
    Row(
        "approvals:authorisation_grant",
        _expect(supervisor=302, area_head=302, municipal_manager=302, ict_secretary=302),
        method="POST",
        args=_staff,
        data=_grant_data,
    ),
    Row(
        "approvals:authorisation_grant",
        outside_line(ict=200),
        method="POST",
        args=_outsider,
        data=_grant_data,
        note="outside the line: the ICT secretary's form refuses a supervisor from another line",
    ),
    # Extending and revoking: the same line rule, on the authorisation's person.
    Row("approvals:authorisation_extend", in_line(), args=_staff_authorisation),
    Row("approvals:authorisation_extend", outside_line(), args=_outsider_authorisation, note="outside the line"),
    Row(
        "approvals:authorisation_extend",
        _expect(supervisor=404, area_head=200, municipal_manager=200, ict_secretary=200),
        args=_own_authorisation,
        note="the supervisor's own",
    ),
    Row(
        "approvals:authorisation_extend",
        in_line(302, ict=302),
        method="POST",
        args=_staff_authorisation,
        data=_extend_data,
    ),
    Row(
        "approvals:authorisation_extend",
        outside_line(ict=302),
        method="POST",
        args=_outsider_authorisation,
        data=_extend_data,
        note="outside the line",
    ),
    Row("approvals:authorisation_revoke", in_line(), args=_staff_authorisation),
    Row("approvals:authorisation_revoke", outside_line(), args=_outsider_authorisation, note="outside the line"),
    Row(
        "approvals:authorisation_revoke",
        _expect(supervisor=404, area_head=200, municipal_manager=200, ict_secretary=200),
        args=_own_authorisation,
        note="the supervisor's own",
    ),
    Row(
        "approvals:authorisation_revoke", in_line(302, ict=302), method="POST", args=_staff_authorisation, data=_reason
    ),
    Row(
        "approvals:authorisation_revoke",
        outside_line(ict=302),
        method="POST",
        args=_outsider_authorisation,
        data=_reason,
        note="outside the line",
    ),
    # The ICT secretary's pages.
    Row("approvals:rights_problems", only("ict_secretary")),
    Row("approvals:right_revoke", only("ict_secretary"), args=_right),
    Row("approvals:right_revoke", only("ict_secretary", code=302), method="POST", args=_right, data=_reason),
    Row("approvals:right_grant", only("ict_secretary"), args=_channel),
    Row(
        "approvals:right_grant",
        only("ict_secretary", code=302),
        method="POST",
        args=_channel,
        data=_grant_right_data,
    ),
    Row("approvals:who_may_act", only("ict_secretary")),
    Row("approvals:who_may_act_export", only("ict_secretary"), args=lambda org: ["csv"], note="csv"),
    Row("approvals:who_may_act_export", only("ict_secretary"), args=lambda org: ["xlsx"], note="xlsx"),
]
