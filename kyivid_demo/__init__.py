"""A stand-in for KyivID on a development machine: a small OpenID Connect provider.

`make run` serves it beside Sadok (its own process, port and SQLite file) so that
"Увійти через KyivID" works in the demo exactly as against the real one:
discovery, the authorization code flow with PKCE, RS256-signed ID tokens, userinfo.
The protocol is django-allauth's own provider (`allauth.idp.oidc`); this package
adds only a page to pick one of a few demo Kyivans and the claims KyivID gives
(names with the patronymic, a verified e-mail and phone).

A development tool: its settings refuse to load without SADOK_DEBUG=1, and Sadok's
settings never install it.
"""
