"""Plain builders for test data. Each returns a saved object; keyword arguments override defaults."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from channels.models import Person, Unit, UnitKind
from core.roles import Role

PASSWORD = "test-password-1234"
_seq = itertools.count(1)


def make_user(username=None, *roles, is_staff=None, **extra):
    username = username or f"user{next(_seq)}"
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        is_staff=Role.ICT_SECRETARY in roles if is_staff is None else is_staff,
        **extra,
    )
    user.groups.set([Group.objects.get_or_create(name=role.value)[0] for role in roles])
    return user


def make_unit(name=None, kind=UnitKind.SERVICE_UNIT, parent=None, **extra):
    if kind != UnitKind.MUNICIPALITY and parent is None:
        parent = Unit.objects.filter(kind=UnitKind.MUNICIPALITY).first() or make_unit(
            "Testikunta", UnitKind.MUNICIPALITY
        )
    return Unit.objects.create(name=name or f"Yksikkö {next(_seq)}", kind=kind, parent=parent, **extra)


def make_person(first_name=None, last_name=None, unit=None, **extra):
    n = next(_seq)
    return Person.objects.create(
        first_name=first_name or f"Etu{n}",
        last_name=last_name or f"Suku{n}",
        title=extra.pop("title", "suunnittelija"),
        unit=unit or make_unit(),
        work_email=extra.pop("work_email", f"person{n}@suomussalmi.invalid"),
        **extra,
    )
