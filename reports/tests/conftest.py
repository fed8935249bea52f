import pytest


@pytest.fixture
def export_root(settings, tmp_path):
    """Export files go to a temporary folder (``tmp_path`` keeps room for sibling folders)."""
    settings.REPORTS_EXPORT_ROOT = str(tmp_path / "exports")
    return tmp_path / "exports"
