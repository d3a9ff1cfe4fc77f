"""The registry's version: what the public pages' cache and ETags are keyed by (``channels.public``).

One row (``RegistryVersion``), changed in the same transaction as every change of a channel, platform or unit,
the models the public data is built from (no people, rights or authorisations are public). Reading it is one
primary-key probe, so it costs the same with a hundred or a million history rows.

Every change passes here:

- ``save()`` and ``delete()`` of those models, including the admin's bulk delete and cascades (Django sends
  ``post_save``/``post_delete`` for each object; django-simple-history needs the same signals, so no fast path
  skips them). Raw saves (``loaddata``) are left to the restore, which bumps once at the end.
- Paths that write rows without ``save()`` call ``bump()`` themselves: ``somegov.backup.restore_all`` and
  ``somegov.bench.generate``; a queryset ``update()`` of these models would have to do the same. Channels are
  written only by ``channels.services``, whose saves send the signal, and the bench generator
  (``tests/test_channel_writes.py`` checks both).

The bump is ``counter = counter + 1`` with a new random token in one ``UPDATE``: concurrent writers wait on the
row lock in turn, so the one that commits last has the version readers see last and no change is lost. The
token makes a version that a rolled-back transaction used (a snapshot may have been built from its uncommitted
rows and cached under it) never reappear with other data. Readers outside the transaction never see it.

The lock is held from the first change to the commit. A transaction that changes several of these rows and
locks others in between (the import) takes the version lock first (``bump()`` at its start), so two writers
cannot each hold a row the other waits for.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save

from channels.models import Channel, Platform, RegistryVersion, Unit

PUBLIC_MODELS = (Channel, Platform, Unit)


def _token():
    return secrets.token_hex(8)


def _create(using):
    """The row, when it is missing (a flushed database); a concurrent creator may win, then that one is used."""
    try:
        with transaction.atomic(using=using):
            return RegistryVersion.objects.using(using).create(pk=RegistryVersion.SINGLETON, counter=1, token=_token())
    except IntegrityError:
        return None


def bump(using="default"):
    """Mark the registry changed, in the caller's transaction."""
    updated = (
        RegistryVersion.objects.using(using)
        .filter(pk=RegistryVersion.SINGLETON)
        .update(counter=F("counter") + 1, token=_token())
    )
    if not updated and _create(using) is None:
        bump(using)


def current(using="default", *, lock=False):
    """The version as a short string (one query by primary key). ``lock``: lock the row until the transaction
    ends, so that the registry stays at this version for it (the import checks its preview's version so)."""
    row = RegistryVersion.objects.using(using).filter(pk=RegistryVersion.SINGLETON).values_list("counter", "token")
    if lock:
        row = row.select_for_update()
    found = row.first()
    if found is None:
        _create(using)
        found = row.first()
    counter, token = found
    return f"{counter}-{token}"


def _changed(sender, instance, using, raw=False, **kwargs):
    if not raw:
        bump(using)


def connect():
    for model in PUBLIC_MODELS:
        post_save.connect(_changed, sender=model, dispatch_uid=f"registry-version-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"registry-version-delete-{model.__name__}")
