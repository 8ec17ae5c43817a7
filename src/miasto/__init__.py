"""Miasto — integrated, data-driven spatial management of a city."""

__version__ = "0.1.0"
