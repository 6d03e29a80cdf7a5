"""The one place this app touches file storage: the project's private storage (no URL, random names)."""


def private_storage():
    from applications.storage import PrivateStorage

    return PrivateStorage()
