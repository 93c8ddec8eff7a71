"""lamha_desktop: records the admission of outstanding high-school students into the Party."""

__version__ = "0.1.0"
APP_NAME = "lamha_desktop"
ORG_NAME = "LamHa"
