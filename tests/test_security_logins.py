"""Logins: a login without a role sees only the public pages and its own account; the demo password is refused
on a real server; a forgotten password is reset by e-mail, rate-limited, without telling whether an address has
a login."""

import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from approvals import proposal_services, review_services
from approvals.models import ChecklistAnswer, Proposal, ProposalStatus, Review
from somegov.demo import DEMO_PASSWORD
from tests.factories import PASSWORD, make_user
from tests.proposal_builders import complete_answers, complete_fields, make_draft, other_area_staff
from tests.registry_helpers import make_channel

pytestmark = pytest.mark.django_db


def _roleless(org):
    """The outsider: a login without any role, who is nevertheless a channel's responsible person."""
    return org.users["outsider"]


def _fresh(user):
    """The login again from the database, without the roles cached on the object."""
    return get_user_model().objects.get(pk=user.pk)


def _drop_roles(user):
    user.groups.clear()
    return _fresh(user)


# --- A login without a role ----------------------------------------------------------------------------------


def test_a_login_without_a_role_cannot_start_a_review_of_a_channel_that_names_it(org):
    channel = make_channel(org.other_unit, responsible_person=org.person("outsider"))
    assert review_services.is_responsible(_roleless(org), channel)
    with pytest.raises(PermissionDenied):
        review_services.start_review(channel, actor=_roleless(org))
    assert not Review.objects.exists()


def test_a_login_that_lost_its_roles_cannot_answer_or_submit_its_review(org):
    channel = make_channel(org.unit, responsible_person=org.person("staff"))
    review = review_services.start_review(channel, actor=org.users["staff"])
    staff = _drop_roles(org.users["staff"])
    answers = {rule.code: (ChecklistAnswer.MET, "") for rule in review_services.rules_to_answer(channel)}
    with pytest.raises(PermissionDenied):
        review_services.answer_rules(review, answers, actor=staff)
    with pytest.raises(PermissionDenied):
        review_services.submit_review(review, actor=staff)
    assert not review.answers.exists()


def test_a_login_without_a_role_cannot_draft_a_proposal(org):
    with pytest.raises(PermissionDenied):
        proposal_services.create_draft(
            actor=_roleless(org),
            fields=complete_fields(org, unit=org.other_unit),
            answers=complete_answers(),
        )
    assert not Proposal.objects.exists()


def test_a_login_that_lost_its_roles_cannot_submit_its_draft_and_no_decider_is_mailed(org):
    draft = make_draft(org, proposer=other_area_staff(org), unit=org.other_unit)
    proposer = _drop_roles(org.users["other_staff"])
    mail.outbox.clear()
    with pytest.raises(PermissionDenied):
        proposal_services.submit(draft, actor=proposer)
    draft.refresh_from_db()
    assert draft.status == ProposalStatus.DRAFT
    assert mail.outbox == []


def test_through_http_a_login_without_a_role_gets_403_on_its_own_channels_review(org, client_for):
    channel = make_channel(org.other_unit, responsible_person=org.person("outsider"))
    client = client_for("outsider")
    assert client.get(reverse("approvals:review_list")).status_code == 403
    assert client.get(reverse("approvals:review_channel", args=[channel.pk])).status_code == 403
    assert client.post(reverse("approvals:review_start", args=[channel.pk])).status_code == 403
    assert not Review.objects.exists()


def test_through_http_a_login_without_a_role_cannot_propose_and_no_one_is_mailed(org, client_for):
    client = client_for("outsider")
    assert client.get(reverse("approvals:proposal_create")).status_code == 403
    data = {"name": "Ulkopuolisen kanava", "platform": complete_fields(org)["platform"].pk, "submit": "1"}
    assert client.post(reverse("approvals:proposal_create"), data).status_code == 403
    assert not Proposal.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "name", ["home", "guideline", "public:directory", "approvals:my_page", "password_change", "password_reset"]
)
def test_a_login_without_a_role_keeps_the_public_pages_and_its_own_account(org, client_for, name):
    assert client_for("outsider").get(reverse(name)).status_code == 200


def test_a_login_without_a_role_can_log_out(org, client_for):
    client = client_for("outsider")
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_superuser_without_a_role_keeps_the_admin(client, org):
    # core.access: being a superuser is not a role, but the admin is the superuser's own tool.
    client.force_login(make_user("paakayttaja", is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("approvals:proposal_list")).status_code == 403


# --- The demo password ---------------------------------------------------------------------------------------


def _demo_login(org):
    user = org.users["staff"]
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


def _log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_demo_password_is_refused_with_debug_off(client, org, settings, caplog):
    settings.DEBUG = False
    user = _demo_login(org)
    wrong = _log_in(client, "esihenkilo", "väärä-salasana")
    with caplog.at_level(logging.WARNING, logger="somegov.passwords"):
        response = _log_in(client, user.username, DEMO_PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors == wrong.context["form"].errors  # the same words as a wrong password
    assert "still has the demo password" in caplog.text
    assert user.username not in caplog.text


def test_the_demo_password_logs_in_with_debug_on(client, org, settings):
    settings.DEBUG = True
    user = _demo_login(org)
    assert _log_in(client, user.username, DEMO_PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_other_passwords_still_log_in_with_debug_off(client, org, settings):
    settings.DEBUG = False
    assert _log_in(client, "tyontekija", PASSWORD).status_code == 302


# --- Password reset by e-mail --------------------------------------------------------------------------------


def _with_email(user, email):
    user.email = email
    user.save(update_fields=["email"])
    return user


def _ask(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def _link(message):
    return re.search(r"https?://\S+", message.body).group(0)


def test_the_login_page_links_to_the_reset(client, db):
    page = client.get(reverse("login")).text
    assert reverse("password_reset") in page and "Unohtuiko salasana?" in page


def test_a_reset_sends_a_working_link_in_finnish(client, org, settings):
    settings.SITE_URL = "https://somegov.suomussalmi.invalid"
    user = _with_email(org.users["staff"], "teemu.tervo@suomussalmi.invalid")
    response = _ask(client, "Teemu.Tervo@suomussalmi.invalid")
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Uusi salasana sosiaalisen median portaaliin"
    link = _link(message)
    assert link.startswith("https://somegov.suomussalmi.invalid/accounts/password/reset/")
    path = link.removeprefix("https://somegov.suomussalmi.invalid")
    form = client.get(path, follow=True)
    assert form.status_code == 200 and "Aseta uusi salasana" in form.text
    new = "Uusi-pitka-salasana-42"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done["Location"] == reverse("password_reset_complete")
    assert _fresh(user).check_password(new)
    # The link works once.
    assert "Tämä linkki ei enää toimi" in client.get(path, follow=True).text


def test_a_reset_builds_the_link_on_site_url_not_the_host_header(client, org, settings):
    settings.SITE_URL = "https://somegov.suomussalmi.invalid"
    settings.ALLOWED_HOSTS = ["*"]
    _with_email(org.users["staff"], "teemu.tervo@suomussalmi.invalid")
    client.post(reverse("password_reset"), {"email": "teemu.tervo@suomussalmi.invalid"}, HTTP_HOST="evil.invalid")
    assert "evil.invalid" not in mail.outbox[0].body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, org):
    _with_email(org.users["staff"], "teemu.tervo@suomussalmi.invalid")
    known = _ask(client, "teemu.tervo@suomussalmi.invalid")
    unknown = _ask(client, "ei.ketaan@suomussalmi.invalid")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    page = client.get(unknown["Location"]).text
    assert "Tarkista sähköpostisi" in page and "Jos antamasi osoite" in page


def test_resets_are_limited_per_client(client, org, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = 2
    _with_email(org.users["staff"], "teemu.tervo@suomussalmi.invalid")
    assert _ask(client, "a@suomussalmi.invalid").status_code == 302
    assert _ask(client, "b@suomussalmi.invalid").status_code == 302
    refused = _ask(client, "teemu.tervo@suomussalmi.invalid")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Olet pyytänyt uutta salasanaa monta kertaa" in refused.text
    assert mail.outbox == []


def test_resets_are_limited_per_address_whatever_the_client(client, org, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = 2
    _with_email(org.users["staff"], "teemu.tervo@suomussalmi.invalid")
    for address in ("10.0.0.1", "10.0.0.2"):
        response = client.post(
            reverse("password_reset"), {"email": "teemu.tervo@suomussalmi.invalid"}, REMOTE_ADDR=address
        )
        assert response.status_code == 302
    refused = client.post(
        reverse("password_reset"), {"email": "TEEMU.tervo@suomussalmi.invalid"}, REMOTE_ADDR="10.0.0.3"
    )
    assert refused.status_code == 429
    assert len(mail.outbox) == 2
    # An address nobody has is counted the same way, so the limit tells nothing either.
    for address in ("10.0.0.1", "10.0.0.2"):
        client.post(reverse("password_reset"), {"email": "ei.ketaan@suomussalmi.invalid"}, REMOTE_ADDR=address)
    assert client.post(reverse("password_reset"), {"email": "ei.ketaan@suomussalmi.invalid"}).status_code == 429


def test_with_oidc_on_a_provider_login_gets_no_link_and_the_page_says_why(client, org, settings):
    settings.OIDC_ENABLED = True
    user = _with_email(make_user("uusi.kayttaja"), "uusi.kayttaja@suomussalmi.invalid")
    user.set_unusable_password()  # as somegov.oidc creates them
    user.save(update_fields=["password"])
    page = client.get(reverse("password_reset")).text
    assert "Jos kirjaudut kunnan työtililläsi, sinulla ei ole salasanaa portaalissa" in page
    response = _ask(client, "uusi.kayttaja@suomussalmi.invalid")
    assert response.status_code == 302
    assert mail.outbox == []
    assert "Kunnan työtilillä kirjautuvat eivät saa linkkiä" in client.get(response["Location"]).text


def test_with_oidc_off_the_reset_page_does_not_mention_the_work_account(client, db, settings):
    settings.OIDC_ENABLED = False
    assert "työtili" not in client.get(reverse("password_reset")).text


def test_the_password_length_rule_speaks_finnish(client, org):
    client.force_login(org.users["staff"])
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Lyhyt-1x", "new_password2": "Lyhyt-1x"},
    )
    assert response.status_code == 200
    assert "Tämä salasana on liian lyhyt. Siinä on oltava vähintään 12 merkkiä." in response.text
    assert "too short" not in response.text


def test_a_login_without_a_role_may_reset_its_password(client, org):
    _with_email(org.users["outsider"], "olli.ulkonen@suomussalmi.invalid")
    client.force_login(org.users["outsider"])
    assert _ask(client, "olli.ulkonen@suomussalmi.invalid").status_code == 302
    assert len(mail.outbox) == 1
