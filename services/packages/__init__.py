"""The `.opora` package format, minisign signatures, this site's keys and cards.

The names below are what the front ends may use; they load on first use, so importing the
package costs nothing (the window paints before any area is loaded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from services.packages.key_source import (
        KeysLocked as KeysLocked,
    )
    from services.packages.keys import (
        KeyStore as KeyStore,
    )
    from services.packages.keys import (
        read_card as read_card,
    )
    from services.packages.keys import (
        write_card as write_card,
    )
    from services.packages.types import (
        PackageError as PackageError,
    )
    from services.packages.types import (
        SiteCard as SiteCard,
    )
    from services.packages.types import (
        VerifiedPackage as VerifiedPackage,
    )
    from services.packages.vault import (
        WrongPassphrase as WrongPassphrase,
    )
    from services.packages.vault import (
        check_new_passphrase as check_new_passphrase,
    )
    from services.packages.vault import (
        seal_files as seal_files,
    )
    from services.packages.vault import (
        seal_leftovers as seal_leftovers,
    )
    from services.packages.vault import (
        seal_new_keys as seal_new_keys,
    )

_EXPORTS = {
    "KeysLocked": "services.packages.key_source",
    "check_new_passphrase": "services.packages.vault",
    "WrongPassphrase": "services.packages.vault",
    "seal_new_keys": "services.packages.vault",
    "seal_files": "services.packages.vault",
    "seal_leftovers": "services.packages.vault",
    "KeyStore": "services.packages.keys",
    "read_card": "services.packages.keys",
    "write_card": "services.packages.keys",
    "PackageError": "services.packages.types",
    "SiteCard": "services.packages.types",
    "VerifiedPackage": "services.packages.types",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
