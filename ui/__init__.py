"""Ahoy Desktop's widgets: the main window and one module per tab."""
