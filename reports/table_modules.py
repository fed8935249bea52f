"""Modules that register report tables (``@register_table``); imported once when the app is ready."""

import importlib

TABLE_MODULES = ["reports.dashboard.tables", "reports.plan.tables"]

for _name in TABLE_MODULES:
    importlib.import_module(_name)
