"""A small but real OpenID Connect provider for integration tests.

It serves discovery, authorize, token, userinfo and JWKS endpoints over HTTP on
127.0.0.1 (random free port) from a daemon thread, so that a test can drive an
OpenID Connect client (django-allauth) through a complete authorization-code
login with PKCE: real redirects, real HTTP requests, RS256-signed id_tokens.

The provider has no login screen: every valid authorize request is approved at
once for the one configured ``OIDCUser``. Knobs on the provider simulate a
misbehaving or hostile identity provider (wrong issuer, tampered id_token, id_token
signed with a key that is not published).

    with LocalOIDCProvider(client_id="sadok", client_secret="s3cret", user=user) as idp:
        ...  # configure the client with idp.issuer
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import secrets
import threading
import time
import warnings
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

# Authlib 1.x warns on import that authlib.jose will move to joserfc in 2.0. The
# warning is noise in test output; importing authlib.deprecate first lets our
# "ignore" filter take precedence over the "always" filter it installs.
import authlib.deprecate  # noqa: F401

with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore", message="authlib.jose module is deprecated", category=DeprecationWarning
    )
    from authlib.jose import JsonWebKey, JsonWebToken
    from authlib.jose.errors import BadSignatureError

# authlib.jose names are re-exported so that tests can import them without the warning.
__all__ = [
    "BadSignatureError",
    "JsonWebKey",
    "JsonWebToken",
    "LocalOIDCProvider",
    "OIDCUser",
    "follow_authorize",
    "s256_challenge",
]

ISSUER_PATH = "/oidc"
TOKEN_LIFETIME = 300  # seconds, for access tokens and id_tokens
CODE_LIFETIME = 60  # seconds

_jwt = JsonWebToken(["RS256"])


@dataclass
class OIDCUser:
    sub: str
    email: str
    email_verified: bool = True
    given_name: str = ""
    family_name: str = ""
    middle_name: str = ""  # patronymic
    phone_number: str = ""
    phone_number_verified: bool = False

    @property
    def name(self) -> str:
        parts = (self.given_name, self.middle_name, self.family_name)
        return " ".join(part for part in parts if part)

    def claims(self) -> dict[str, Any]:
        """The identity claims, as put in the id_token and returned by userinfo."""
        return {
            "sub": self.sub,
            "email": self.email,
            "email_verified": self.email_verified,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "middle_name": self.middle_name,
            "name": self.name,
            "phone_number": self.phone_number,
            "phone_number_verified": self.phone_number_verified,
        }


@dataclass
class _AuthorizationCode:
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    scope: str
    expires_at: float
    used: bool = False
    access_token: str | None = None


@dataclass
class _AccessToken:
    client_id: str
    scope: str
    expires_at: float


class _OIDCError(Exception):
    def __init__(self, status: HTTPStatus, error: str, description: str = "") -> None:
        super().__init__(f"{error}: {description}")
        self.status = status
        self.error = error
        self.description = description


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def s256_challenge(code_verifier: str) -> str:
    """BASE64URL(SHA256(code_verifier)) without padding (RFC 7636, method S256)."""
    return _b64url(hashlib.sha256(code_verifier.encode("ascii")).digest())


class LocalOIDCProvider:
    """An OpenID Connect provider on http://127.0.0.1:<port>/oidc, run in a thread."""

    def __init__(self, *, client_id: str, client_secret: str, user: OIDCUser) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.user = user
        # Knobs a test may flip before or during a login.
        self.advertised_issuer: str | None = None
        self.tamper_id_token = False
        self.sign_with_unknown_key = False
        self.id_token_nonce: str | None = None
        # What happened, for assertions.
        self.token_requests: list[dict[str, str]] = []
        self.authorize_requests: list[dict[str, str]] = []

        self.kid = f"test-{secrets.token_hex(4)}"
        self._key = JsonWebKey.generate_key("RSA", 2048, is_private=True, options={"kid": self.kid})
        self._unknown_key: Any = None  # generated on first use: keygen is not free
        self._codes: dict[str, _AuthorizationCode] = {}
        self._access_tokens: dict[str, _AccessToken] = {}
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> None:
        if self._server is not None:
            raise RuntimeError("the OIDC provider is already running")
        server = _Server(("127.0.0.1", 0), _Handler)
        server.provider = self
        self._server = server
        self._thread = threading.Thread(
            # A short poll interval keeps stop() quick (shutdown waits for one poll).
            target=server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"oidc-provider-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> LocalOIDCProvider:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the OIDC provider is not running: call start() first")
        return int(self._server.server_address[1])

    @property
    def issuer(self) -> str:
        """The real issuer URL, which is also the base of every endpoint."""
        return f"http://127.0.0.1:{self.port}{ISSUER_PATH}"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def jwks(self) -> dict[str, Any]:
        """The public JSON Web Key Set, as served at jwks_uri."""
        public = self._key.as_dict(is_private=False, alg="RS256", use="sig")
        return {"keys": [public]}

    # -- protocol ----------------------------------------------------------------

    def _effective_issuer(self) -> str:
        return self.advertised_issuer if self.advertised_issuer is not None else self.issuer

    def discovery_document(self) -> dict[str, Any]:
        base = self.issuer
        return {
            "issuer": self._effective_issuer(),
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "jwks_uri": f"{base}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "scopes_supported": ["openid", "profile", "email", "phone"],
            "grant_types_supported": ["authorization_code"],
            "claims_supported": ["iss", "aud", "exp", "iat", "nonce", *self.user.claims()],
        }

    def authorize(self, params: dict[str, str]) -> str:
        """Validate an authorization request; return the redirect to the client."""
        with self._lock:
            self.authorize_requests.append(dict(params))
        if params.get("client_id") != self.client_id:
            raise _OIDCError(HTTPStatus.BAD_REQUEST, "unauthorized_client", "unknown client_id")
        redirect_uri = params.get("redirect_uri", "")
        if not redirect_uri:
            raise _OIDCError(HTTPStatus.BAD_REQUEST, "invalid_request", "redirect_uri missing")
        if params.get("response_type") != "code":
            raise _OIDCError(
                HTTPStatus.BAD_REQUEST, "unsupported_response_type", "only 'code' is supported"
            )
        scope = params.get("scope", "")
        if "openid" not in scope.split():
            raise _OIDCError(HTTPStatus.BAD_REQUEST, "invalid_scope", "scope must include openid")
        code_challenge = params.get("code_challenge", "")
        if not code_challenge or params.get("code_challenge_method") != "S256":
            raise _OIDCError(
                HTTPStatus.BAD_REQUEST, "invalid_request", "PKCE with method S256 is required"
            )

        code = secrets.token_urlsafe(32)
        with self._lock:
            self._codes[code] = _AuthorizationCode(
                client_id=self.client_id,
                redirect_uri=redirect_uri,
                code_challenge=code_challenge,
                nonce=params.get("nonce"),
                scope=scope,
                expires_at=time.time() + CODE_LIFETIME,
            )
        response = {"code": code}
        if "state" in params:
            response["state"] = params["state"]
        parts = urlsplit(redirect_uri)
        query = f"{parts.query}&{urlencode(response)}" if parts.query else urlencode(response)
        return urlunsplit(parts._replace(query=query))

    def token(self, form: dict[str, str], authorization: str | None) -> dict[str, Any]:
        """Exchange an authorization code for tokens."""
        with self._lock:
            self.token_requests.append(dict(form))
        if form.get("grant_type") != "authorization_code":
            raise _OIDCError(HTTPStatus.BAD_REQUEST, "unsupported_grant_type")
        self._authenticate_client(form, authorization)

        with self._lock:
            grant = self._codes.get(form.get("code", ""))
            if grant is None:
                raise _OIDCError(HTTPStatus.BAD_REQUEST, "invalid_grant", "unknown code")
            if grant.used:
                # RFC 6749 §4.1.2: a replayed code revokes what it was exchanged for.
                if grant.access_token is not None:
                    self._access_tokens.pop(grant.access_token, None)
                raise _OIDCError(HTTPStatus.BAD_REQUEST, "invalid_grant", "code already used")
            # Single use: any exchange attempt burns the code, even a failed one.
            grant.used = True
        if grant.expires_at < time.time():
            raise _OIDCError(HTTPStatus.BAD_REQUEST, "invalid_grant", "code expired")
        if grant.client_id != self.client_id:
            raise _OIDCError(HTTPStatus.BAD_REQUEST, "invalid_grant", "code of another client")
        if form.get("redirect_uri") != grant.redirect_uri:
            raise _OIDCError(HTTPStatus.BAD_REQUEST, "invalid_grant", "redirect_uri mismatch")
        verifier = form.get("code_verifier", "")
        if not verifier:
            raise _OIDCError(HTTPStatus.BAD_REQUEST, "invalid_request", "code_verifier missing")
        try:
            challenge = s256_challenge(verifier)
        except UnicodeEncodeError:
            challenge = ""
        if not secrets.compare_digest(challenge, grant.code_challenge):
            raise _OIDCError(HTTPStatus.BAD_REQUEST, "invalid_grant", "PKCE verification failed")

        now = int(time.time())
        access_token = secrets.token_urlsafe(32)
        with self._lock:
            grant.access_token = access_token
            self._access_tokens[access_token] = _AccessToken(
                client_id=grant.client_id, scope=grant.scope, expires_at=now + TOKEN_LIFETIME
            )
        claims: dict[str, Any] = {
            "iss": self._effective_issuer(),
            "sub": self.user.sub,
            "aud": self.client_id,
            "iat": now,
            "exp": now + TOKEN_LIFETIME,
        }
        if grant.nonce:
            claims["nonce"] = grant.nonce
        if self.id_token_nonce is not None:  # a token minted for another login
            claims["nonce"] = self.id_token_nonce
        claims.update(self.user.claims())
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME,
            "scope": grant.scope,
            "id_token": self._sign_id_token(claims),
        }

    def userinfo(self, authorization: str | None) -> dict[str, Any]:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise _OIDCError(HTTPStatus.UNAUTHORIZED, "invalid_token", "bearer token required")
        with self._lock:
            grant = self._access_tokens.get(token.strip())
        if grant is None or grant.expires_at < time.time():
            raise _OIDCError(HTTPStatus.UNAUTHORIZED, "invalid_token", "unknown or expired token")
        return self.user.claims()

    def _authenticate_client(self, form: dict[str, str], authorization: str | None) -> None:
        scheme, _, credentials = (authorization or "").partition(" ")
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
            except ValueError:  # binascii.Error and UnicodeDecodeError both are
                raise _OIDCError(
                    HTTPStatus.UNAUTHORIZED, "invalid_client", "malformed Basic credentials"
                ) from None
            raw_id, _, raw_secret = decoded.partition(":")
            # RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
            client_id, client_secret = unquote_plus(raw_id), unquote_plus(raw_secret)
            if form.get("client_id", client_id) != client_id:
                raise _OIDCError(HTTPStatus.UNAUTHORIZED, "invalid_client", "client_id mismatch")
        else:
            client_id = form.get("client_id", "")
            client_secret = form.get("client_secret", "")
        if not (
            secrets.compare_digest(client_id.encode(), self.client_id.encode())
            and secrets.compare_digest(client_secret.encode(), self.client_secret.encode())
        ):
            raise _OIDCError(HTTPStatus.UNAUTHORIZED, "invalid_client", "client authentication")

    def _sign_id_token(self, claims: dict[str, Any]) -> str:
        header = {"alg": "RS256", "kid": self.kid, "typ": "JWT"}
        key = self._key
        if self.sign_with_unknown_key:
            with self._lock:
                if self._unknown_key is None:
                    self._unknown_key = JsonWebKey.generate_key(
                        "RSA", 2048, is_private=True, options={"kid": self.kid}
                    )
                key = self._unknown_key
        token: str = _jwt.encode(header, claims, key).decode("ascii")
        if self.tamper_id_token:
            signing_input, _, signature = token.rpartition(".")
            encoded_header, _, encoded_payload = signing_input.partition(".")
            payload = json.loads(_b64url_decode(encoded_payload))
            payload["email"] = "mallory@example.com"
            payload["sub"] = f"{payload['sub']}-tampered"
            tampered = _b64url(json.dumps(payload, separators=(",", ":")).encode())
            token = f"{encoded_header}.{tampered}.{signature}"
        return token


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    provider: LocalOIDCProvider


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "SadokTestOIDC/1.0"
    # HTTP/1.0: one request per connection, so no keep-alive socket outlives stop().
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        provider = self.server.provider
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/")
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        authorization = self.headers.get("Authorization")
        try:
            if path == f"{ISSUER_PATH}/.well-known/openid-configuration" and method == "GET":
                self._send_json(HTTPStatus.OK, provider.discovery_document())
            elif path == f"{ISSUER_PATH}/jwks" and method == "GET":
                self._send_json(HTTPStatus.OK, provider.jwks)
            elif path == f"{ISSUER_PATH}/authorize" and method == "GET":
                location = provider.authorize(query)
                self._send(HTTPStatus.FOUND, b"", {"Location": location})
            elif path == f"{ISSUER_PATH}/token" and method == "POST":
                tokens = provider.token(self._read_form(), authorization)
                self._send_json(HTTPStatus.OK, tokens, {"Cache-Control": "no-store"})
            elif path == f"{ISSUER_PATH}/userinfo":  # GET and POST (OIDC Core §5.3.1)
                self._send_json(HTTPStatus.OK, provider.userinfo(authorization))
            else:
                raise _OIDCError(HTTPStatus.NOT_FOUND, "not_found", f"{method} {parts.path}")
        except _OIDCError as error:
            body: dict[str, str] = {"error": error.error}
            if error.description:
                body["error_description"] = error.description
            headers = {}
            if error.status == HTTPStatus.UNAUTHORIZED:
                scheme = "Bearer" if error.error == "invalid_token" else "Basic"
                headers["WWW-Authenticate"] = f'{scheme} error="{error.error}"'
            self._send_json(error.status, body, headers)

    def _read_form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        return dict(parse_qsl(body, keep_blank_values=True))

    def _send_json(
        self, status: HTTPStatus, payload: Any, headers: dict[str, str] | None = None
    ) -> None:
        body = json.dumps(payload).encode("utf-8")
        self._send(status, body, {"Content-Type": "application/json", **(headers or {})})

    def _send(self, status: HTTPStatus, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def follow_authorize(url: str) -> str:
    """GET the provider's authorize URL (without following redirects) and return the
    Location header: the client's callback URL with code and state."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"not an http URL: {url!r}")
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=10)
    try:
        target = f"{parts.path}?{parts.query}" if parts.query else parts.path
        connection.request("GET", target)
        response = connection.getresponse()
        body = response.read()
        location = response.getheader("Location")
    finally:
        connection.close()
    if response.status != HTTPStatus.FOUND or not location:
        raise AssertionError(
            f"authorize answered {response.status}, not a redirect: {body.decode(errors='replace')}"
        )
    return location
