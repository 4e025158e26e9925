"""Maps the repository's top-level folders onto the ``cairn.*`` import names.

``core/`` becomes ``cairn.core``, ``plugins/`` becomes ``cairn.plugins`` and
``graphql/`` becomes ``cairn.graphql``. ``graphql/`` deliberately has no
``__init__.py`` (it would shadow graphql-core from the repo root), so its
sub-packages are found as namespace packages.
"""

from setuptools import find_namespace_packages, setup

FOLDERS = {"core": "cairn.core", "plugins": "cairn.plugins", "graphql": "cairn.graphql"}


def _packages() -> tuple[list[str], dict[str, str]]:
    packages: list[str] = []
    package_dir: dict[str, str] = {}
    for folder, name in FOLDERS.items():
        packages.append(name)
        package_dir[name] = folder
        for sub in find_namespace_packages(where=folder, exclude=["*__pycache__*"]):
            packages.append(f"{name}.{sub}")
    return packages, package_dir


PACKAGES, PACKAGE_DIR = _packages()
setup(packages=PACKAGES, package_dir=PACKAGE_DIR, package_data={"": ["*.html", "*.js", "*.css", "*.j2", "*.json"]})
