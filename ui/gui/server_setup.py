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
    from models import Role
    from services.app import build_services
    from services.core.db_pg import save_workspace
    from services.site import drop_blank_local, join_workspace, open_new_workspace

    assert choice.server is not None
    paths = services.paths
    drop_blank_local(paths, services.db)
    if choice.server.join:
        join_workspace(paths, choice.server.url)
        from ui.gui.app import open_with_recovery

        return open_with_recovery(paths)
    db, ws = open_new_workspace(paths, choice.server.url)
    try:
        on_server = build_services(db, paths)
        on_server.site.initialize(
            Role.DISTRICT, choice.full_name, choice.code, short_name=choice.short_name
        )
        on_server.exchange.own_card()  # this district's keys, as `init --database` makes them
        save_workspace(paths.data_dir, ws)
    except BaseException:
        db.close()
        raise
    return on_server


def reopen_local(services: Services) -> Services:
    """After a refused server step: the blank local database again, for the wizard's retry."""
    from services.app import open_services
    from services.core.db_pg import load_workspace

    if load_workspace(services.paths.data_dir) is None and services.paths.db_path.exists():
        return services  # the local database was never dropped: still open
    return open_services(services.paths)
