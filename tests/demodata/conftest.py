from pathlib import Path

import pytest

from tests.demodata import miniwheels


@pytest.fixture
def mini_wheels(tmp_path: Path) -> Path:
    """Miniature pinned wheels (same layout as the real ones) in a temporary directory."""
    return miniwheels.build(tmp_path / "wheels")
