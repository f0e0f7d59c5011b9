"""The MkDocs adapter: thin on purpose. All loading, checking and rendering lives in the core."""

from .plugin import LchcPlugin

__all__ = ["LchcPlugin"]
