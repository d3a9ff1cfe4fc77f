"""The OpenAPI 3.1 description of the open data API (served at /api/v1/schema/).

Written by hand, as plain data; ``tests/test_public_api.py`` validates real answers of every endpoint
against it (openapi-core), so it cannot drift from what the views return.
"""

_NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}

_ERROR_RESPONSE = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_RATE_LIMITED = {
    "description": "Too many requests from this address; wait for the number of seconds in Retry-After.",
    "headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}},
    **_ERROR_RESPONSE,
}
_NOT_MODIFIED = {
    "description": "Not modified: the answer is the same as the one whose ETag was sent in If-None-Match.",
    "headers": {"ETag": {"schema": {"type": "string"}}},
}
_ETAG = {"ETag": {"description": "Changes whenever the registry changes.", "schema": {"type": "string"}}}

_FILTERS = [
    {
        "name": "platform",
        "in": "query",
        "required": False,
        "description": "Only the channels of this platform (its identifier, e.g. facebook, instagram, website).",
        "schema": {"type": "string", "maxLength": 30},
    },
    {
        "name": "unit",
        "in": "query",
        "required": False,
        "description": (
            "Only the channels of this unit (its id) and of the units under it. "
            "The municipality's own id matches only the channels it owns directly."
        ),
        "schema": {"type": "integer", "minimum": 1},
    },
]

SCHEMA = {
    "openapi": "3.1.0",
    "info": {
        # schema_for() names the organisation in the title and the description.
        "title": "Official social media channels of the organisation",
        "version": "1.0.0",
        "description": (
            "Open data of the social media registry of the organisation: the official channels and "
            "a check of whether an address or username is one of them. Read-only, no login. "
            "Answers carry an ETag; send it back in If-None-Match to get 304 while nothing has changed. "
            "Requests are limited per client address (429 with Retry-After when exceeded). "
            "Messages follow Accept-Language (fi, en)."
        ),
    },
    "servers": [{"url": "/"}],
    "paths": {
        "/api/v1/channels/": {
            "get": {
                "operationId": "listChannels",
                "summary": "The active official channels, by name, a page at a time",
                "parameters": [
                    *_FILTERS,
                    {
                        "name": "page",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "default": 1},
                    },
                    {
                        "name": "page_size",
                        "in": "query",
                        "required": False,
                        "description": "Channels per page; larger values are lowered to 100.",
                        "schema": {"type": "integer", "minimum": 1, "default": 25},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "A page of channels.",
                        "headers": _ETAG,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ChannelPage"}}},
                    },
                    "304": _NOT_MODIFIED,
                    "400": {"description": "A parameter is not valid.", **_ERROR_RESPONSE},
                    "404": {"description": "There is no such page.", **_ERROR_RESPONSE},
                    "429": _RATE_LIMITED,
                },
            }
        },
        "/api/v1/channels.csv": {
            "get": {
                "operationId": "downloadChannels",
                "summary": "The active official channels as a CSV file",
                "description": (
                    "UTF-8 with a byte order mark, fields separated by semicolons, lines by CRLF, as Finnish "
                    "spreadsheet programs expect. Columns: id, name, platform, platform_name, url, address, "
                    "unit_id, unit, purposes (codes separated by commas), summary, official_since, "
                    "last_reviewed_on. Text that a spreadsheet would read as a formula starts with an apostrophe."
                ),
                "parameters": _FILTERS,
                "responses": {
                    "200": {
                        "description": "The CSV file.",
                        "headers": _ETAG,
                        "content": {"text/csv": {}},
                    },
                    "304": _NOT_MODIFIED,
                    "400": {"description": "A parameter is not valid.", **_ERROR_RESPONSE},
                    "429": _RATE_LIMITED,
                },
            }
        },
        "/api/v1/verify/": {
            "get": {
                "operationId": "verifyAddress",
                "summary": "Is this address or username an official account of the municipality?",
                "description": (
                    "A web address gives one match. A bare username (@name) is checked on every service that "
                    "has usernames (Instagram, X, TikTok, Threads, YouTube, Bluesky, Facebook): matches lists "
                    "each of them, and status is the strongest answer over them (official, then retired, then "
                    "unknown). channel is the registered channel when exactly one matched, otherwise null. "
                    "A paused channel is official: its own status is paused."
                ),
                "parameters": [
                    {
                        "name": "address",
                        "in": "query",
                        "required": True,
                        "description": "An address (with or without https://) or a username (@name).",
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "What the registry says about the address.",
                        "headers": _ETAG,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Verification"}}},
                    },
                    "304": _NOT_MODIFIED,
                    "400": {
                        "description": "The address is missing, too long or cannot be an address.",
                        **_ERROR_RESPONSE,
                    },
                    "429": _RATE_LIMITED,
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Channel": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "id",
                    "name",
                    "status",
                    "platform",
                    "url",
                    "address",
                    "unit",
                    "purposes",
                    "goals",
                    "summary",
                    "official_since",
                    "retired_on",
                    "last_reviewed_on",
                ],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "status": {
                        "type": "string",
                        "enum": ["active", "paused", "retired"],
                        "description": "paused: official, but not updated for now; retired: no longer in use.",
                    },
                    "platform": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["slug", "name"],
                        "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
                    },
                    "url": {"type": "string", "format": "uri", "pattern": "^https?://"},
                    "address": {
                        "type": "string",
                        "description": "The canonical form of the address: host and path, lower case, no scheme.",
                    },
                    "unit": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["id", "name"],
                        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                    },
                    "purposes": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["code", "label"],
                            "properties": {
                                "code": {
                                    "type": "string",
                                    "enum": [
                                        "external_communication",
                                        "information",
                                        "service_awareness",
                                        "feedback",
                                        "initiatives",
                                        "customer_service",
                                        "participation",
                                        "public_opinion",
                                        "service_delivery",
                                        "professional_networking",
                                        "partner_cooperation",
                                    ],
                                },
                                "label": {"type": "string"},
                            },
                        },
                    },
                    "goals": {"type": "string"},
                    "summary": {"type": "string", "description": "The purpose in a sentence."},
                    "official_since": _NULLABLE_DATE,
                    "retired_on": _NULLABLE_DATE,
                    "last_reviewed_on": _NULLABLE_DATE,
                },
            },
            "ChannelPage": {
                "type": "object",
                "additionalProperties": False,
                "required": ["count", "page", "page_size", "pages", "next", "previous", "results"],
                "properties": {
                    "count": {"type": "integer", "minimum": 0},
                    "page": {"type": "integer", "minimum": 1},
                    "page_size": {"type": "integer", "minimum": 1, "maximum": 100},
                    "pages": {"type": "integer", "minimum": 1},
                    "next": {"type": ["string", "null"], "format": "uri"},
                    "previous": {"type": ["string", "null"], "format": "uri"},
                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/Channel"}},
                },
            },
            "Match": {
                "type": "object",
                "additionalProperties": False,
                "required": ["platform", "key", "status", "channel"],
                "properties": {
                    "platform": {"type": "string"},
                    "key": {"type": "string"},
                    "status": {"$ref": "#/components/schemas/Status"},
                    "channel": {"oneOf": [{"$ref": "#/components/schemas/Channel"}, {"type": "null"}]},
                },
            },
            "Status": {
                "type": "string",
                "enum": ["official", "retired", "unknown"],
                "description": (
                    "official: the municipality's account (active or paused); retired: was official, do not "
                    "trust new posts; unknown: not in the registry."
                ),
            },
            "Verification": {
                "type": "object",
                "additionalProperties": False,
                "required": ["address", "status", "channel", "matches"],
                "properties": {
                    "address": {"type": "string"},
                    "status": {"$ref": "#/components/schemas/Status"},
                    "channel": {"oneOf": [{"$ref": "#/components/schemas/Channel"}, {"type": "null"}]},
                    "matches": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Match"}},
                },
            },
            "Error": {
                "type": "object",
                "additionalProperties": False,
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["code", "message"],
                        "properties": {
                            "code": {"type": "string", "description": "Stable, for programs."},
                            "message": {"type": "string", "description": "For people, in the request's language."},
                        },
                    }
                },
            },
        }
    },
}


def schema_for(organisation_name):
    """The description as served: ``SCHEMA`` with the organisation's (English) name in its title and text."""
    info = {
        **SCHEMA["info"],
        "title": f"Official social media channels of {organisation_name}",
        "description": SCHEMA["info"]["description"].replace("of the organisation", f"of {organisation_name}", 1),
    }
    return {**SCHEMA, "info": info}
