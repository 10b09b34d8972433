"""This installation: its organisation, backups, self-check and the demo.

The names below are what the front ends may use; they load on first use, so importing the
package costs nothing (the window paints before any area is loaded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from services.site.backup import (
        BackupInfo as BackupInfo,
    )
    from services.site.backup import (
        BackupService as BackupService,
    )
    from services.site.backup import (
        list_backups as list_backups,
    )
    from services.site.backup import (
        newest_good_backup as newest_good_backup,
    )
    from services.site.backup import (
        replace_damaged_database as replace_damaged_database,
    )
    from services.site.portable import (
        PortableResult as PortableResult,
    )
    from services.site.portable import (
        PortableService as PortableService,
    )
    from services.site.portable import (
        RestoreResult as RestoreResult,
    )
    from services.site.portable_format import (
        MIN_PASSPHRASE as MIN_PASSPHRASE,
    )
    from services.site.portable_format import (
        check_passphrase as check_passphrase,
    )
    from services.site.profile import (
        SiteService as SiteService,
    )
    from services.site.profile import (
        validate_fisoko_login as validate_fisoko_login,
    )
    from services.site.profile import (
        validate_identity as validate_identity,
    )
    from services.site.selfcheck import (
        run_self_check as run_self_check,
    )
    from services.site.server_setup import (
        Probe as Probe,
    )
    from services.site.server_setup import (
        drop_blank_local as drop_blank_local,
    )
    from services.site.server_setup import (
        probe_server as probe_server,
    )
    from services.site.server_setup import (
        server_url as server_url,
    )
    from services.site.server_setup import (
        use_password as use_password,
    )
    from services.site.workspace import (
        Created as Created,
    )
    from services.site.workspace import (
        create_workspace as create_workspace,
    )
    from services.site.workspace import (
        join_workspace as join_workspace,
    )
    from services.site.workspace import (
        move_to_server as move_to_server,
    )
    from services.site.workspace import (
        open_new_workspace as open_new_workspace,
    )

_EXPORTS = {
    "BackupInfo": "services.site.backup",
    "BackupService": "services.site.backup",
    "list_backups": "services.site.backup",
    "newest_good_backup": "services.site.backup",
    "replace_damaged_database": "services.site.backup",
    "PortableResult": "services.site.portable",
    "PortableService": "services.site.portable",
    "RestoreResult": "services.site.portable",
    "MIN_PASSPHRASE": "services.site.portable_format",
    "check_passphrase": "services.site.portable_format",
    "SiteService": "services.site.profile",
    "validate_fisoko_login": "services.site.profile",
    "validate_identity": "services.site.profile",
    "run_self_check": "services.site.selfcheck",
    "Probe": "services.site.server_setup",
    "drop_blank_local": "services.site.server_setup",
    "probe_server": "services.site.server_setup",
    "server_url": "services.site.server_setup",
    "use_password": "services.site.server_setup",
    "Created": "services.site.workspace",
    "create_workspace": "services.site.workspace",
    "join_workspace": "services.site.workspace",
    "move_to_server": "services.site.workspace",
    "open_new_workspace": "services.site.workspace",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
