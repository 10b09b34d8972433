"""Exceptions whose message is safe, and meant, to be shown to the user (in Russian)."""

from __future__ import annotations


class AppError(Exception):
    """An expected failure; `str(err)` says what happened and what to do, in Russian."""

    def __init__(self, message: str, *, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class NotFound(AppError):
    """The requested row or file does not exist."""


class Invalid(AppError):
    """The input was refused; nothing was changed."""


class Conflict(AppError):
    """The action clashes with the current state (a duplicate, a row in use...)."""


class Cancelled(AppError):
    """The user cancelled a long job; nothing is shown."""

    def __init__(self) -> None:
        super().__init__("Операция отменена.")


class StorageError(AppError):
    """The database or the data directory cannot be used safely."""


class NewerDatabase(StorageError):
    """The database was written by a newer version of Опора; it is left untouched."""


class DatabaseCorrupt(StorageError):
    """The database file is damaged or is not a database at all."""


class ServerUnreachable(StorageError):
    """The workspace's PostgreSQL server did not answer; trying again may help."""


class AlreadyRunning(StorageError):
    """Another copy of Опора already works with this data directory."""


class ChangedByOther(Conflict):
    """Another staff member saved the row after this editor read it; nothing was written.

    `theirs` and `yours` are the two versions as the user reads them; `stamp` is the row's
    version now (save again with it to keep yours), "" when the other removed the row.
    """

    def __init__(self, what: str, theirs: str, yours: str, stamp: str) -> None:
        super().__init__(
            f"Изменено другим сотрудником: {what}. Пока вы редактировали, коллега сохранил "
            f"свой вариант: «{theirs}». Ваш вариант: «{yours}». Ничего не перезаписано: "
            "сохраните свой вариант поверх или возьмите вариант коллеги."
        )
        self.what = what
        self.theirs = theirs
        self.yours = yours
        self.stamp = stamp

    @property
    def removed(self) -> bool:
        """The other removed the row: there is no version to save over."""
        return not self.stamp
