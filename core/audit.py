"""Recording the use of the portal: call ``record`` wherever personal data is shown, exported or imported.

Log-ins, log-outs and failed log-ins are recorded by the signal receivers below (connected in
``SomegovConfig.ready``). Recording never breaks the action it records.
"""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.models import AuditAction, AuditEvent, AuditResult

logger = logging.getLogger(__name__)


def _client_address(request):
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _text(value, length):
    """Text as the log can keep it: what a visitor typed may hold NUL, which PostgreSQL's text refuses."""
    return str(value).replace("\x00", "\ufffd")[:length]


def record(
    request, action, obj=None, *, result=AuditResult.SUCCESS, detail="", actor=None, object_repr="", object_type=""
):
    """Add one entry to the audit log; ``obj`` may be a model instance or None.

    Without ``obj`` (an export of a list, an import of a file), ``object_type`` names the kind of rows (a model
    label such as ``channels.Channel``) and ``object_repr`` what was exported or imported.
    """
    actor = actor or (getattr(request, "user", None) if request is not None else None)
    if actor is not None and not actor.is_authenticated:
        actor = None
    try:
        return AuditEvent.objects.create(
            actor=actor,
            actor_name=actor.get_username() if actor else "",
            action=action,
            object_type=_text(obj._meta.label if obj is not None else object_type, 100),
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=_text(object_repr or (str(obj) if obj is not None else ""), 300),
            result=result,
            detail=_text(detail, 500),
            ip_address=_client_address(request),
        )
    except Exception:  # the log must not take the action down with it; the failure is logged instead
        logger.exception("could not write the audit log entry %s", action)
        return None


@receiver(user_logged_in, dispatch_uid="core.audit.login")
def _logged_in(sender, request, user, **kwargs):
    record(request, AuditAction.LOGIN, user, actor=user)


@receiver(user_logged_out, dispatch_uid="core.audit.logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(request, AuditAction.LOGOUT, user, actor=user)


@receiver(user_login_failed, dispatch_uid="core.audit.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # The username typed is kept (it may be mistyped); the password never is.
    record(request, AuditAction.LOGIN_FAILED, result=AuditResult.FAILURE, object_repr=credentials.get("username", ""))
