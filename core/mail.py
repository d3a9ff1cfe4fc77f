"""Who an e-mail goes to and in which language: one rule for every message the portal sends.

The address is the person's work e-mail, the registry's official work contact, else the login's own
address. The language is the person's preferred language; a login without a person in the registry gets
the caller's fallback or the portal's default (``LANGUAGE_CODE``). People are duck-typed (``work_email``,
``preferred_language``, ``user``, and a login's ``person``), so this bottom layer imports no app.
"""

from django.conf import settings

from core.roles import Role, active_users_with


def recipient(user=None, person=None, *, language=None):
    """``(address, language)`` for a login and/or their person in the registry; None when neither has an address.

    Given only a login, its person (``user.person``) is used when it has one; given only a person, their login.
    ``language`` is for a login without a person (e.g. the language they drafted something in).
    """
    if person is None and user is not None:
        person = getattr(user, "person", None)  # a login without a person raises an AttributeError subclass
    address = getattr(person, "work_email", "")
    if not address:
        if user is None and getattr(person, "user_id", None):
            user = person.user  # only now: a person with a work e-mail costs no query for their login
        address = getattr(user, "email", "")
    if not address:
        return None
    if person is not None:
        return address, person.preferred_language
    return address, language or settings.LANGUAGE_CODE


def ict_secretary_recipients():
    """``(address, language)`` of each active ICT secretary (by ``recipient``), each address once."""
    recipients = {}
    for user in active_users_with(Role.ICT_SECRETARY).select_related("person"):
        found = recipient(user=user)
        if found is not None:
            recipients.setdefault(found[0].lower(), found)
    return list(recipients.values())
