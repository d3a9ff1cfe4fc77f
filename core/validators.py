"""Validators every app's forms and services share."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def single_line(value):
    """Names, titles and addresses are one line: no line breaks or other control characters (a "\\r\\nBcc:" in a
    name must not reach an e-mail header or a spreadsheet row)."""
    if any(ord(character) < 32 or ord(character) == 127 for character in str(value)):
        raise ValidationError(
            _("Give this on one line, without line breaks or control characters."), code="single_line"
        )
