"""The public directory, the account check and the open data API: the same answer for everyone.

Logged in or not, every role gets what a resident gets; nothing here depends on a role. Bad input gets
the same 400 for everyone, and only reading is allowed (POST gets 405).
"""

from tests.matrix import Row, everyone

ROWS = [
    Row("public:directory", everyone(200)),
    Row("public:directory", everyone(200), query="?platform=instagram&unit=abc", note="bad filter: form error"),
    Row("public:directory", everyone(405), method="POST", note="read only"),
    Row("public:verify", everyone(200)),
    Row("public:verify", everyone(200), query="?address=%40suomussalmi", note="a check"),
    Row("public:verify", everyone(200), query="?address=%00", note="bad address: form error"),
    Row("public:api_docs", everyone(200)),
    Row("public:api_channels", everyone(200)),
    Row("public:api_channels", everyone(400), query="?page=0", note="bad page"),
    Row("public:api_channels", everyone(405), method="POST", note="read only"),
    Row("public:api_channels_csv", everyone(200)),
    Row("public:api_verify", everyone(200), query="?address=https%3A%2F%2Fwww.facebook.com%2Fsuomussalmi"),
    Row("public:api_verify", everyone(400), note="no address"),
    Row("public:api_verify", everyone(400), query="?address=" + "a" * 1200, note="too long"),
    Row("public:api_verify", everyone(405), method="POST", note="read only"),
    Row("public:api_schema", everyone(200)),
]
