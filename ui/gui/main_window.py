"""The main window: left navigation for the role, one screen per area, status bar (DESIGN §9)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from services.app import Services
from services.site import SiteProfile
from ui.gui.dialogs.about import AboutDialog
from ui.gui.dialogs.backups import BackupsDialog
from ui.gui.screens import ScreenSpec, screens_for


class MainWindow(QMainWindow):
    """Navigation on the left, the current screen on the right; screens are built on first use."""

    first_painted = Signal()
    restored = Signal()

    def __init__(self, services: Services, version: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._version = version
        self._profile: SiteProfile = services.site.profile()
        self._specs: list[ScreenSpec] = screens_for(self._profile.role)
        self._screens: dict[str, QWidget] = {}
        self._painted = False
        self._seen_changes = services.db.change_count
        self._build_ui()
        self._connect()
        self.nav.setCurrentRow(0)

    # -- layout ------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.setWindowTitle(self.tr("Опора — {0}").format(self._profile.site.short_name))
        self.resize(1200, 760)
        self.nav = QListWidget(self)
        self.nav.setFixedWidth(230)
        self.nav.setIconSize(QSize(16, 16))
        self.nav.setStyleSheet("QListWidget::item { padding: 8px 10px; }")
        for spec in self._specs:
            item = QListWidgetItem(spec.title, self.nav)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
        self.stack = QStackedWidget(self)
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.org_label = QLabel(self._profile.site.short_name, self)
        self.role_label = QLabel(self._profile.role_name, self)
        self.saved_label = QLabel(self.tr("Все изменения сохраняются автоматически"), self)
        bar = self.statusBar()
        bar.addWidget(self.org_label)
        bar.addWidget(QLabel("·", self))
        bar.addWidget(self.role_label)
        bar.addPermanentWidget(self.saved_label)

        menu = self.menuBar().addMenu(self.tr("&Файл"))
        self.backup_action = QAction(self.tr("Сделать резервную копию"), self)
        self.restore_action = QAction(self.tr("Резервные копии и восстановление…"), self)
        self.quit_action = QAction(self.tr("Выход"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        menu.addActions([self.backup_action, self.restore_action])
        menu.addSeparator()
        menu.addAction(self.quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Справка"))
        self.about_action = QAction(self.tr("О программе"), self)
        help_menu.addAction(self.about_action)

        self.save_timer = QTimer(self)
        self.save_timer.setInterval(1000)

    def _connect(self) -> None:
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        self.backup_action.triggered.connect(self._on_backup_action_triggered)
        self.restore_action.triggered.connect(self._on_restore_action_triggered)
        self.quit_action.triggered.connect(self.close)
        self.about_action.triggered.connect(self._on_about_action_triggered)
        self.save_timer.timeout.connect(self._on_save_timer_timeout)
        self.save_timer.start()

    # -- navigation ----------------------------------------------------------------------------

    def screen_widget(self, key: str) -> QWidget:
        """The screen of `key`, built on first use."""
        if key not in self._screens:
            spec = next(s for s in self._specs if s.key == key)
            widget = spec.factory(self._services)
            self._screens[key] = widget
            self.stack.addWidget(widget)
        return self._screens[key]

    def show_screen(self, key: str) -> None:
        row = next(i for i, s in enumerate(self._specs) if s.key == key)
        self.nav.setCurrentRow(row)

    def current_key(self) -> str:
        return self._specs[self.nav.currentRow()].key

    def _on_nav_current_row_changed(self, row: int) -> None:
        if row < 0:
            return
        widget = self.screen_widget(self._specs[row].key)
        self.stack.setCurrentWidget(widget)
        refresh = getattr(widget, "refresh", None)
        if callable(refresh):
            refresh()

    # -- status --------------------------------------------------------------------------------

    def _on_save_timer_timeout(self) -> None:
        count = self._services.db.change_count
        if count != self._seen_changes:
            self._seen_changes = count
            self.saved_label.setText(self.tr("Сохранено в {0}").format(f"{datetime.now():%H:%M}"))

    def _on_backup_action_triggered(self) -> None:
        from ui.gui.errors import show_error

        try:
            info = self._services.backups.create("manual")
        except Exception as exc:
            show_error(self, exc)
            return
        self.statusBar().showMessage(
            self.tr("Резервная копия сохранена: {0}").format(info.path.name), 8000
        )

    def _on_restore_action_triggered(self) -> None:
        if BackupsDialog.ask(self, self._services.backups):
            self._after_restore()

    def _after_restore(self) -> None:
        for widget in self._screens.values():
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self._screens.clear()
        self._on_nav_current_row_changed(self.nav.currentRow())
        self.restored.emit()

    def _on_about_action_triggered(self) -> None:
        AboutDialog(self._version, self._services.paths.data_dir, self).exec()

    # -- events ----------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        from ui.gui.tasks import wait_all

        wait_all()
        self.save_timer.stop()
        super().closeEvent(event)
