from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEED = CORPUS / "seed" / "000_67534b0f1fd28a14.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def needs_corpus() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not SEED.is_file(), reason="../shared/corpus is not present")


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The command's pattern cache (``reportlint._recache``) goes to a folder of the test
    session, for the commands the tests run as subprocesses too."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
