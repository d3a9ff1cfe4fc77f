"""Django's JSON serialisation format, keeping times to the microsecond.

Django's encoder cuts times to milliseconds (the JavaScript convention), so a backup made with
``dumpdata`` would not restore the exact times of the history and the audit log. Registered as the
``json`` format in ``SERIALIZATION_MODULES``; it only writes more digits, and reads the same files.
"""

import datetime

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class PreciseJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = PreciseJSONEncoder


Deserializer = django_json.Deserializer
