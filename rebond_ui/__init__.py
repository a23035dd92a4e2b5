"""Streamlit layer: the database connection, cached calls keyed on the data version, shared widgets."""
