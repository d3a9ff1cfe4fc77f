from django.conf import settings
from django.utils import timezone


class PermissionsPolicyMiddleware:
    """Tell browsers that no page of ours uses the camera, microphone, location and the like."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SlidingSessionMiddleware:
    """Keep a session alive while it is used, writing it at most once every ``SESSION_REFRESH_INTERVAL`` seconds.

    A login expires after ``SESSION_COOKIE_AGE`` seconds of inactivity. Django's way to have that
    (``SESSION_SAVE_EVERY_REQUEST``) writes the session, an ``UPDATE`` and a commit, on every page a signed-in
    person opens. Here the session records when its expiry was last pushed forward and is written (a new expiry
    in the database and a new cookie) only when that is older than the interval, or when the request changed it
    anyway (a login): so it expires between ``SESSION_COOKIE_AGE - SESSION_REFRESH_INTERVAL`` and
    ``SESSION_COOKIE_AGE`` after the last request. Sessions that hold nothing (anonymous visitors, a logout) are
    never written. Between ``SessionMiddleware`` and everything that reads the session.
    """

    KEY = "_somegov_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        if session.session_key is None and not session.modified:
            return response  # no session and none made: nothing to load or keep
        if not session.keys():
            return response  # empty, expired or unknown: nothing to keep alive
        now = int(timezone.now().timestamp())
        refreshed = session.get(self.KEY)
        if session.modified or refreshed is None or not 0 <= now - refreshed < settings.SESSION_REFRESH_INTERVAL:
            session[self.KEY] = now  # SessionMiddleware saves it with a new expiry and sends a new cookie
        return response


def mark_refreshed(sender, request, user, **kwargs):
    """At login the session is written anyway: record it as refreshed (``user_logged_in`` receiver)."""
    if request is not None and hasattr(request, "session"):
        request.session[SlidingSessionMiddleware.KEY] = int(timezone.now().timestamp())
