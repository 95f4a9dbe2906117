"""The entry point of ``streamlit run`` (``assistant serve``): the page setup and the navigation.

streamlit run assistant/web/app.py
"""

from __future__ import annotations

import streamlit as st

from assistant.errors import ConfigError
from assistant.web import resources
from assistant.web.cards import escape_markdown

# "auto": open on a wide screen, closed on a phone, where an open sidebar would cover most of the page.
st.set_page_config(page_title="Kompas", page_icon="🧭", layout="centered", initial_sidebar_state="auto")

try:
    resources.settings()
except ConfigError as error:  # a bad ASSISTANT_* value: say which, instead of a traceback on every page
    st.error(f"Kompas kan niet starten, een instelling klopt niet. {escape_markdown(str(error))}")
    st.stop()

page = st.navigation(
    [
        st.Page("chat.py", title="Vraag het Kompas", icon="💬", default=True),
        st.Page("coach.py", title="Beheer", icon="🔒", url_path="beheer"),
    ]
)
page.run()
