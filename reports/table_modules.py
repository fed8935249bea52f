"""Modules that register report tables (``@register_table``); imported once when the app is ready."""

import importlib

TABLE_MODULES: list[str] = []

for _name in TABLE_MODULES:
    importlib.import_module(_name)
