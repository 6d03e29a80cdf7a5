"""Kept for the import path of earlier migrations: the storage lives in mobility.uploads."""
from mobility.uploads.storage import PrivateStorage

__all__ = ["PrivateStorage"]
