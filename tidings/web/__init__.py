"""The analyst's web app and HTTP API (FastAPI + Jinja2) over a Store."""

from tidings.web.app import create_app, serve

__all__ = ["create_app", "serve"]
