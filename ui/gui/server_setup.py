"""The first-run wizard's choice of a server workspace, carried out through the services."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.app import Services
    from ui.gui.dialogs.first_run import FirstRunChoice


def set_up_on_server(services: Services, choice: FirstRunChoice) -> Services | None:
    """Create or join the workspace the wizard checked; the services of it (None: gave up).

    The blank local database this start created goes first (the server steps refuse a data
    directory with one); on a failure the caller opens a blank one again (`reopen_local`).
    Once joined, the data directory is the workspace's: a server that stops answering then
    gets the start-up's «Повторить» / «Выйти».
    """
    from services.site import create_workspace, drop_blank_local, join_workspace

    assert choice.server is not None
    paths = services.paths
    drop_blank_local(paths, services.db)
    if choice.server.join:
        join_workspace(paths, choice.server.url)
        from ui.gui.app import open_with_recovery

        return open_with_recovery(paths)
    created = create_workspace(
        paths,
        choice.server.url,
        choice.full_name,
        choice.code,
        choice.short_name,
        choice.server.passphrase,
    )
    return created.services  # its keys sealed in the workspace, as `init --database` does


def reopen_local(services: Services) -> Services:
    """After a refused server step: the blank local database again, for the wizard's retry."""
    from services.app import open_services
    from services.core.db_pg import load_workspace

    if load_workspace(services.paths.data_dir) is None and services.paths.db_path.exists():
        return services  # the local database was never dropped: still open
    return open_services(services.paths)
