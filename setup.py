"""Ship the built-in library (the YAML of each kind and the Word templates) as package data.

The library lives at the repository root so that a checkout is itself a library root; a
regular (non-editable) install copies it into ``requete/library`` inside the wheel, with the
reference document its notes cite (``docs/faits-verifies.md`` → ``library/faits-verifies.md``).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LIBRARY_DIRS = ("arguments", "precedents", "sets", "facts", "procedures", "templates")
# Single files shipped with the library: (source in the repository, name in requete/library).
# The notes of the blocks, precedents and procedures cite the verified facts by section name.
LIBRARY_FILES = (("docs/faits-verifies.md", "faits-verifies.md"),)


class BuildWithLibrary(build_py):
    """build_py that also copies the built-in library into the package."""

    def run(self) -> None:
        super().run()
        root = Path(__file__).parent
        target = Path(self.build_lib) / "requete" / "library"
        for name in LIBRARY_DIRS:
            source = root / name
            if source.is_dir():
                shutil.copytree(source, target / name, dirs_exist_ok=True)
        for source_name, target_name in LIBRARY_FILES:
            source = root / source_name
            if source.is_file():
                target.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target / target_name)


setup(cmdclass={"build_py": BuildWithLibrary})
