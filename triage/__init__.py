"""salsatam: GitLab-native automation for customer account teams."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("salsatam")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"
