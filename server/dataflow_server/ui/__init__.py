"""The web console, served by the HTTP app under /ui/ (see `ui_routes`).

It is a static single-page app (Preact + htm, `vendor.js` says why) on top of the
public HTTP API and its server-sent events only: nothing here reads the store.
"""

from .routes import CONTENT_SECURITY_POLICY, STATIC_DIR, ui_routes

__all__ = ["CONTENT_SECURITY_POLICY", "STATIC_DIR", "ui_routes"]
