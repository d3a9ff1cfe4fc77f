"""The organisation and the registry: units, people, platforms, channels, update rights.

One module per part of the registry; each model is imported here so Django and other code find it
as ``channels.models.X``.
"""

from channels.models.channels import *  # noqa: F403  channels, their statuses and purposes (see its __all__)
from channels.models.organisation import *  # noqa: F403  units and people (see its __all__)
from channels.models.platforms import *  # noqa: F403  the services channels live on (see its __all__)
from channels.models.rights import *  # noqa: F403  update rights (see its __all__)
from channels.models.version import *  # noqa: F403  the public registry's version row (see its __all__)
