"""The book's own Sphinx extensions (book/_ext/<name>.py), loaded as modules for the tests of what they write."""
import importlib.util
from types import ModuleType

from project_root import ROOT


def load(name: str) -> ModuleType:
    """book/_ext/<name>.py, loaded afresh (it reads the active dataset when it is called)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "book" / "_ext" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
