"""django-axes settings that need code."""

from django.conf import settings

# The length of django-axes' AccessAttempt.username column.
STORED_USERNAME_LENGTH = 255


def lockout_username(request, credentials=None):
    """``AXES_USERNAME_CALLABLE``: the username typed at a log-in, cut to what axes can store.

    Django's log-in form does not limit the username's length (only the browser's ``maxlength``
    does), so a long one reached axes' 255-character column and PostgreSQL refused it with a 500.
    A name that long matches no login anyway; the lockout counts its first 255 characters.
    """
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    username = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    return username[:STORED_USERNAME_LENGTH] if isinstance(username, str) else username
