"""The app as ``assistant serve`` serves it: ``app.py``, with the coach's login routes beside it.

``st.App`` is Streamlit's documented way to add HTTP routes to the server it runs the app in (Starlette, under
uvicorn). ``streamlit run`` finds the ``app`` below and serves it, so either command works:

    assistant serve
    streamlit run assistant/web/asgi.py
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from assistant.web import login_routes

app = st.App(Path(__file__).with_name("app.py"), routes=login_routes.routes(), lifespan=login_routes.lifespan)
