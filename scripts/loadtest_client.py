"""The load test's client: one browser, a cookie jar over plain http.client connections (scripts/loadtest.py)."""

import http.client
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HOST = "127.0.0.1"
# The portal runs with DEBUG off here, where it refuses the demo's published password (somegov/passwords.py):
# loadtest_cluster.prepare_database gives the demo's logins this one instead.
LOAD_PASSWORD = "kuormatesti-salasana-2026"  # noqa: S105 - a throwaway database's logins
REQUEST_TIMEOUT = 30
CONNECTION_ERRORS = (OSError, http.client.HTTPException)


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class Client:
    """One browser: a cookie jar over plain http.client connections (gunicorn's sync workers close each)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, form=None):
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "somegov-loadtest"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.msg, raw.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response

    def log_in(self, username):
        """GET the form, POST it; returns the POST's response."""
        page = self.request("GET", "/accounts/login/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status != 200 or not match:
            return page
        form = {"csrfmiddlewaretoken": match.group(1), "username": username, "password": LOAD_PASSWORD, "next": "/"}
        return self.request("POST", "/accounts/login/", form)
