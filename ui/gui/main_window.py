"""The main window: left navigation for the role, one screen per area, status bar (DESIGN §9).

The window can be painted before the data layer is loaded: it is built from a light identity
(role and name) and gets its services through `attach()`; screens are built on first use.
This module imports nothing heavy at load time for that reason, and no Qt type it does not need
before that paint (PySide6 builds each type on first use, ≈ 0.5–4 ms each).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from services.core.quickstate import QuickIdentity
from ui.gui.navigation import NAVIGATION
from ui.gui.notifier import Change, Notifier
from ui.gui.widgets.elided_label import ElidedLabel

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QPaintEvent

    from services.app import Services
    from services.core.notify import ChangeNotice
    from ui.gui.server_changes import ServerChanges


NAV_WIDTH, NAV_MAX_WIDTH = 230, 250  # px: the navigation list; longer titles wrap
TITLE_BAR = 40  # px left for the window's title bar, which `resize` does not count
FRAME_SIDES = 12  # px left for the window manager's left and right borders


def initial_size(room_width: int, room_height: int) -> tuple[int, int]:
    """1200 × 760, but no larger than the screen's free area less a title bar.

    `room_*` is the screen without the taskbar; old school PCs often have 1366 × 768 or
    1024 × 768 screens, where 760 px of contents would push the status bar under the taskbar.
    """
    return min(1200, room_width - FRAME_SIDES), min(760, room_height - TITLE_BAR)


class MainWindow(QMainWindow):
    """Navigation on the left, the current screen on the right."""

    first_painted = Signal()
    ready = Signal()
    restored = Signal()

    def __init__(
        self,
        identity: QuickIdentity,
        version: str | Callable[[], str],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._identity = identity
        self._version = version
        self._services: Services | None = None
        self._nav: tuple[tuple[str, str], ...] = NAVIGATION[identity.role]
        self._screens: dict[str, QWidget] = {}
        self._painted = False
        # The app's one change notification: tasks and edits announce, screens refresh.
        self.notifier = Notifier(self)
        self.server_changes: ServerChanges | None = None  # on a server workspace: `follow_server`
        self._build_ui()
        self._connect()

    # -- layout ------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.setWindowTitle(self.tr("Опора — {0}").format(self._identity.short_name))
        room = self.screen().availableGeometry()
        self.resize(*initial_size(room.width(), room.height()))
        self.nav = QListWidget(self)
        self.nav.setIconSize(QSize(16, 16))
        self.nav.setStyleSheet("QListWidget::item { padding: 8px 10px; }")
        for _key, title in self._nav:  # the row number is the key: self._nav[row]
            QListWidgetItem(title, self.nav)
        self._fit_nav()
        self.nav.setEnabled(False)
        self.stack = QStackedWidget(self)
        self.loading = QLabel(self.tr("Загрузка данных…"), self)
        # Through the style sheet: the `Qt` enum namespace costs ≈ 15 ms to load before the
        # first paint (tests/bench/startup.py), and nothing else needs it until then.
        self.loading.setStyleSheet("qproperty-alignment: AlignCenter;")
        self.stack.addWidget(self.loading)
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        # A long legal name must not widen the window: at most 420 px, and less (ending in «…»)
        # when the window is narrow and the font large.
        self.org_label = ElidedLabel(self._identity.short_name, self)
        self.org_label.setToolTip(self._identity.short_name)
        self.org_label.setMaximumWidth(420)
        self.role_label = QLabel(self._identity.role_name, self)
        self.saved_label = QLabel(self.tr("Все изменения сохраняются автоматически"), self)
        bar = self.statusBar()
        bar.addWidget(self.org_label)
        bar.addWidget(QLabel("·", self))
        bar.addWidget(self.role_label)
        self.unsent_label = QLabel(self)
        self.unsent_label.setStyleSheet("color: #B00020")
        self.unsent_label.setVisible(False)
        bar.addPermanentWidget(self.unsent_label)
        bar.addPermanentWidget(self.saved_label)

        menu = self.menuBar().addMenu(self.tr("&Файл"))
        self.backup_action = QAction(self.tr("Сделать резервную копию"), self)
        self.restore_action = QAction(self.tr("Резервные копии и восстановление…"), self)
        self.portable_action = QAction(self.tr("Резервная копия на флешку…"), self)
        self.portable_restore_action = QAction(self.tr("Восстановить с флешки…"), self)
        self.quit_action = QAction(self.tr("Выход"), self)
        self.profile_action = QAction(self.tr("Профиль организации…"), self)
        menu.addActions([self.profile_action, self.backup_action, self.restore_action])
        menu.addActions([self.portable_action, self.portable_restore_action])
        self.key_action = QAction(self.tr("Сменить ключ управления…"), self)
        self.key_action.setEnabled(False)
        self.passphrase_action = QAction(self.tr("Сменить парольную фразу…"), self)
        self.passphrase_action.setEnabled(False)
        if self._identity.role == "district":
            menu.addActions([self.key_action, self.passphrase_action])
        menu.addSeparator()
        menu.addAction(self.quit_action)
        view_menu = self.menuBar().addMenu(self.tr("&Вид"))
        self.large_font_action = QAction(self.tr("Крупный шрифт"), self)
        self.large_font_action.setCheckable(True)
        view_menu.addAction(self.large_font_action)
        help_menu = self.menuBar().addMenu(self.tr("&Справка"))
        self.help_action = QAction(self.tr("Руководство пользователя"), self)
        self.about_action = QAction(self.tr("О программе"), self)
        help_menu.addActions([self.help_action, self.about_action])
        for action in (self.backup_action, self.restore_action, self.about_action, *self._flash):
            action.setEnabled(False)
        self.profile_action.setEnabled(False)
        self.large_font_action.setEnabled(False)

    def _connect(self) -> None:
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        self.backup_action.triggered.connect(self._on_backup_action_triggered)
        self.restore_action.triggered.connect(self._on_restore_action_triggered)
        self.portable_action.triggered.connect(self._on_portable_action_triggered)
        self.portable_restore_action.triggered.connect(self._on_portable_restore_action_triggered)
        self.quit_action.triggered.connect(self.close)
        self.about_action.triggered.connect(self._on_about_action_triggered)
        self.profile_action.triggered.connect(self._on_profile_action_triggered)
        self.key_action.triggered.connect(self._on_key_action_triggered)
        self.passphrase_action.triggered.connect(self._on_passphrase_action_triggered)
        self.notifier.changed.connect(self._on_notifier_changed)
        self.help_action.triggered.connect(self._on_help_action_triggered)
        self.large_font_action.toggled.connect(self._on_large_font_action_toggled)

    def attach(self, services: Services) -> None:
        """Give the window its services: enable navigation and show the first screen."""
        self._services = services
        # Not in _build_ui: converting a StandardKey makes PySide6 build ≈ 90 enum types
        # (≈ 10 ms), and the first `QAction.setShortcut` call costs 20–30 ms even for "F1";
        # neither shortcut can do anything before the services are here.
        from PySide6.QtGui import QKeySequence

        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.help_action.setShortcut("F1")
        for action in (self.backup_action, self.restore_action, self.about_action, *self._flash):
            action.setEnabled(True)
        self.profile_action.setEnabled(True)
        self.key_action.setEnabled(True)
        self.passphrase_action.setEnabled(True)
        self._lock_writes(services)
        from ui.gui.comfort import large_font_on

        self.large_font_action.setChecked(large_font_on(services.paths.data_dir))
        self.large_font_action.setEnabled(True)
        self.nav.setEnabled(True)
        self.org_label.start_eliding()
        self.update_unsent_reminder()
        self.nav.setCurrentRow(0)
        from ui.gui.screens import preload

        self.preloading = preload(services.site.profile().role)  # imports, after the first paint
        self.ready.emit()

    def _lock_writes(self, services: Services) -> None:
        """A read-only login sees the menu's writing actions, disabled (`read_only`)."""
        from ui.gui.widgets.read_only import lock, may_write, reason

        if not may_write(services):
            lock([self.profile_action, self.restore_action, self.portable_restore_action,
                  self.key_action, self.passphrase_action])  # fmt: skip
            # «Все изменения сохраняются автоматически» would promise what this login cannot do
            self.saved_label.setText(self.tr("Только просмотр"))
            self.saved_label.setToolTip(reason())

    def follow_server(self, url: str) -> None:
        """Listen for the changes other staff make on the server workspace (`ServerChanges`)."""
        from ui.gui.server_changes import ServerChanges

        self.server_changes = ServerChanges(url, self)
        self.server_changes.changed.connect(self._on_server_changed)
        self.server_changes.start()

    def stop_following(self) -> None:
        if self.server_changes is not None:
            self.server_changes.stop()

    def _on_server_changed(self, notice: ChangeNotice) -> None:
        """Hidden screens reload when they are shown (`_on_nav_current_row_changed`)."""
        from ui.gui.server_changes import show_changes

        widget = self.stack.currentWidget()
        if self._services is not None and widget in self._screens.values():
            show_changes(self._services, widget, notice)
            self.statusBar().showMessage(self.tr("Показаны изменения, сделанные коллегами"), 5000)

    # -- navigation ----------------------------------------------------------------------------

    def screen_widget(self, key: str) -> QWidget:
        """The screen of `key`, built on first use."""
        if key not in self._screens:
            from ui.gui.screens import screens_for

            assert self._services is not None
            role = self._services.site.profile().role
            spec = next(s for s in screens_for(role) if s.key == key)
            widget = spec.factory(self._services, self.notifier)
            from ui.gui.widgets.read_only import lock_screen

            lock_screen(widget, self._services)
            self._screens[key] = widget
            self.stack.addWidget(widget)
        return self._screens[key]

    def show_screen(self, key: str) -> None:
        row = next(i for i, (k, _title) in enumerate(self._nav) if k == key)
        self.nav.setCurrentRow(row)

    def current_key(self) -> str:
        return self._nav[self.nav.currentRow()][0]

    def _on_nav_current_row_changed(self, row: int) -> None:
        if row < 0 or self._services is None:
            return
        built = self._nav[row][0] not in self._screens
        widget = self.screen_widget(self._nav[row][0])
        self.stack.setCurrentWidget(widget)
        refresh = getattr(widget, "refresh", None)
        # A screen that read its data while it was built need not read it again at once.
        if callable(refresh) and not (built and getattr(widget, "loads_when_built", False)):
            refresh()
        self.update_unsent_reminder()

    def _fit_nav(self) -> None:
        """Size the navigation list for the current font.

        Wide enough for the longest title (the district's «Муниципальная дорожная карта» is), so
        that no title is cut off and no horizontal scroll bar appears; but with «Крупный шрифт»
        that title wraps instead of taking 296 px of a 1024 px screen.
        """
        self.nav.setWordWrap(False)  # measured on one line
        self.nav.ensurePolished()
        fit = self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 6
        self.nav.setWordWrap(fit > NAV_MAX_WIDTH)
        self.nav.setFixedWidth(min(max(NAV_WIDTH, fit), NAV_MAX_WIDTH))

    # -- status and menu -------------------------------------------------------------------------

    def _on_notifier_changed(self, _change: Change) -> None:
        from datetime import datetime

        if self._services is None:
            return
        self.saved_label.setText(self.tr("Сохранено в {0}").format(f"{datetime.now():%H:%M}"))
        self.update_unsent_reminder()

    def update_unsent_reminder(self) -> None:
        """A school sees in the status bar that it has changes the district has not received."""
        if self._services is None or self._identity.role != "school":
            return
        from ui.gui.tasks import run_task

        exchange = self._services.exchange
        # A scan of every synced table (≈ 50 ms on a 500-item roadmap): in the background.
        run_task(self, lambda _p: exchange.changed_since_export(), self._show_unsent)

    def _show_unsent(self, unsent: bool) -> None:
        self.unsent_label.setVisible(unsent)
        self.unsent_label.setText(self.tr("Изменения не переданы в управление") if unsent else "")

    def _on_backup_action_triggered(self) -> None:
        from ui.gui.tasks import run_task

        assert self._services is not None
        backups = self._services.backups

        def done(info: Any) -> None:
            self.backup_action.setEnabled(True)
            message = self.tr("Резервная копия сохранена: {0}").format(info.path.name)
            self.statusBar().showMessage(message, 8000)

        def failed(exc: BaseException) -> None:
            from ui.gui.errors import show_error

            self.backup_action.setEnabled(True)
            show_error(self, exc)

        self.backup_action.setEnabled(False)  # a copy of a large database takes seconds
        run_task(self, lambda _p: backups.create("manual"), done, on_error=failed,
                 title=self.tr("Резервная копия…"))  # fmt: skip

    def _on_restore_action_triggered(self) -> None:
        from ui.gui.dialogs.backups import BackupsDialog

        assert self._services is not None
        if BackupsDialog.ask(self, self._services.backups):
            self._after_restore()

    @property
    def _flash(self) -> tuple[QAction, QAction]:
        return self.portable_action, self.portable_restore_action

    def _on_portable_action_triggered(self) -> None:
        from ui.gui.dialogs.portable import PortableBackupDialog

        assert self._services is not None
        PortableBackupDialog(self._services.portable, self).exec()

    def _on_portable_restore_action_triggered(self) -> None:
        from ui.gui.dialogs.portable import PortableRestoreDialog

        assert self._services is not None
        dialog = PortableRestoreDialog(self._services.portable, self)
        if dialog.exec() and dialog.restored is not None:
            # The organisation, its role and its keys may all be another's now: the screens
            # are built for the old ones, so the window closes and the user starts it again.
            self.close()

    def _after_restore(self) -> None:
        for widget in self._screens.values():
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self._screens.clear()
        self._on_nav_current_row_changed(self.nav.currentRow())
        self.restored.emit()

    def _on_about_action_triggered(self) -> None:
        from ui.gui.dialogs.about import AboutDialog

        assert self._services is not None
        version = self._version() if callable(self._version) else self._version
        AboutDialog(version, self._services.paths.data_dir, self).exec()

    def _on_profile_action_triggered(self) -> None:
        from ui.gui.dialogs.profile import ProfileDialog

        assert self._services is not None
        ProfileDialog(self._services.site, self).exec()

    def _on_key_action_triggered(self) -> None:
        from ui.gui.dialogs.district_key import change_district_key

        assert self._services is not None
        change_district_key(self, self._services, self.notifier)

    def _on_passphrase_action_triggered(self) -> None:
        from ui.gui.dialogs.keys_passphrase import change_passphrase

        assert self._services is not None
        change_passphrase(self, self._services.keys)

    def _on_help_action_triggered(self) -> None:
        from ui.gui.dialogs.help import HelpDialog, help_page

        if self._services is None:
            return
        help_dir = self._services.paths.resources_dir / "help"
        HelpDialog(help_page(help_dir, self.current_key()), self).exec()

    def _on_large_font_action_toggled(self, on: bool) -> None:
        from ui.gui.comfort import large_font_on, set_large_font

        if self._services is not None and on != large_font_on(self._services.paths.data_dir):
            set_large_font(self._services.paths.data_dir, on)
            self._fit_nav()  # the titles were measured in the other font

    # -- events ----------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        from ui.gui.tasks import wait_all

        self.stop_following()
        wait_all()
        super().closeEvent(event)
