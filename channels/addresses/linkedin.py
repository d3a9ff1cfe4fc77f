"""LinkedIn, the professional network: pages are ``linkedin.com/<kind>/<name>``.

The kind (company, school, showcase, in, groups) is part of the key, since the same name may be a company page
and a person. LinkedIn has no public handles, so only web addresses are read.
"""

import re

from channels.addresses.errors import not_account, single_content
from channels.addresses.parsing import account_path, checked_name

_LINKEDIN_NAME = re.compile(r"(?=.*\w)[\w.\-%&]{1,150}")
_LINKEDIN_ACCOUNT_KINDS = frozenset({"company", "school", "showcase", "in", "groups"})
_LINKEDIN_CONTENT = frozenset({"posts", "pulse", "events", "jobs", "video", "embed", "newsletters"})


def linkedin_key(url, known):
    first, rest = account_path(url, "linkedin")
    if first in _LINKEDIN_CONTENT or (first == "feed" and rest[:1] == ("update",)):
        raise single_content("linkedin")
    if first not in _LINKEDIN_ACCOUNT_KINDS or not rest:
        raise not_account("linkedin")
    return f"linkedin.com/{first}/{checked_name(rest[0], _LINKEDIN_NAME, 'linkedin')}"
