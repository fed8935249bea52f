"""Plan-item tables (registered with reports.tables.register_table)."""
