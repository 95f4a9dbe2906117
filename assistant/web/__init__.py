"""The web app (Streamlit): the leaders' chat, the coach's page and the source cards. Only this package imports streamlit."""
