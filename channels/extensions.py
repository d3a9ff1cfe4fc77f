"""Places on the registry's pages where other apps add their own sections, without channels importing them.

The approvals app adds, for example, a person's supervisor authorisations to the person page::

    # approvals/apps.py, in ready()
    from channels.extensions import register_person_section
    register_person_section(authorisations_section)

A section function takes ``(request, obj)`` and returns ``None`` (nothing to show) or a ``Section``, whose
``html`` it renders itself (usually with ``render_to_string`` of its own template). The function must keep the
page's number of queries constant: one or two queries of its own, whatever the data.
"""

import dataclasses
from collections.abc import Callable

PERSON_SECTIONS: list[Callable] = []
CHANNEL_SECTIONS: list[Callable] = []


@dataclasses.dataclass(frozen=True)
class Section:
    title: str
    html: str  # already rendered and escaped (a SafeString)
    slug: str = ""


def register_person_section(function):
    if function not in PERSON_SECTIONS:
        PERSON_SECTIONS.append(function)
    return function


def register_channel_section(function):
    if function not in CHANNEL_SECTIONS:
        CHANNEL_SECTIONS.append(function)
    return function


def _collect(functions, request, obj):
    sections = []
    for function in functions:
        section = function(request, obj)
        if section is not None:
            sections.append(section)
    return sections


def person_sections(request, person):
    return _collect(PERSON_SECTIONS, request, person)


def channel_sections(request, channel):
    return _collect(CHANNEL_SECTIONS, request, channel)
