"""Start the GUI: display check, instance lock, database (with recovery), wizard, main window."""

from __future__ import annotations

import logging
import os
import sys
import time

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from services.app import Services, open_services
from services.backup import newest_good_backup, replace_damaged_database
from services.config import AppPaths
from services.errors import AlreadyRunning, AppError, DatabaseCorrupt
from services.instance import InstanceLock
from ui.gui.dialogs.first_run import FirstRunChoice, FirstRunWizard
from ui.gui.errors import install_excepthook, show_error
from ui.gui.main_window import MainWindow

log = logging.getLogger(__name__)
PERIODIC_BACKUP_CHECK_MS = 60_000


def has_display() -> bool:
    """On Linux a window needs X11 or Wayland, unless a Qt platform is forced (offscreen)."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(
        os.environ.get("QT_QPA_PLATFORM")
        or os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
    )


def tr(text: str) -> str:
    return QApplication.translate("app", text)


def _install_qt_translations(app: QApplication) -> None:
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Russian), "qtbase", "_", path):
        app.installTranslator(translator)


def open_with_recovery(paths: AppPaths, parent: QWidget | None = None) -> Services | None:
    """Open the database; if it is damaged, offer the newest good backup. None = give up."""
    try:
        return open_services(paths)
    except DatabaseCorrupt as exc:
        backup = newest_good_backup(paths.backups_dir)
        if backup is None:
            show_error(parent, exc)
            return None
        answer = QMessageBox.question(
            parent,
            tr("Опора — база данных повреждена"),
            tr(
                "{0}\n\nНайдена исправная резервная копия от {1}. Восстановить данные из неё? "
                "Повреждённый файл не удаляется, а сохраняется рядом для специалиста."
            ).format(str(exc), f"{backup.created:%d.%m.%Y %H:%M}"),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        try:
            replace_damaged_database(paths.db_path, backup.path)
            return open_services(paths)
        except AppError as again:
            show_error(parent, again)
            return None


def apply_first_run(services: Services, choice: FirstRunChoice) -> None:
    """Carry out the wizard's choice through the services."""
    services.site.initialize(
        choice.role, choice.full_name, choice.code, short_name=choice.short_name
    )
    if choice.fill_demo:
        services.demo.fill()


def ensure_initialized(services: Services) -> bool:
    """Run the first-run wizard if needed; False if the user cancelled it."""
    if services.site.is_initialized():
        return True
    wizard = FirstRunWizard()
    while wizard.exec():
        try:
            apply_first_run(services, wizard.choice())
            return True
        except AppError as exc:
            show_error(wizard, exc)
    return False


def build_main_window(services: Services, version: str) -> MainWindow:
    """The main window on initialized services (also used by end-to-end tests)."""
    return MainWindow(services, version)


def run_gui(paths: AppPaths, *, version: str, started: float, exit_after_paint: bool) -> int:
    if not has_display():
        print(  # noqa: T201
            "Опора: нет графического экрана (DISPLAY не задан); для работы без окна "
            "используйте команды, см. «python main.py --help».",
            file=sys.stderr,
        )
        return 1
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Опора")
    app.setApplicationVersion(version)
    _install_qt_translations(app)
    install_excepthook(paths.log_dir / "opora.log")
    lock = InstanceLock(paths.lock_path)
    try:
        paths.data_dir.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except (AlreadyRunning, OSError) as exc:
        show_error(None, exc if isinstance(exc, AppError) else AppError(str(exc)))
        return 1
    try:
        services = open_with_recovery(paths)
        if services is None or not ensure_initialized(services):
            return 1
        return _run_main_window(app, services, version, started, exit_after_paint)
    finally:
        lock.release()


def _run_main_window(
    app: QApplication, services: Services, version: str, started: float, exit_after_paint: bool
) -> int:
    try:
        services.backups.create("start")
    except AppError as exc:
        log.warning("start-up backup failed: %s", exc)
    window = build_main_window(services, version)
    timer = QTimer(window)
    timer.setInterval(PERIODIC_BACKUP_CHECK_MS)
    timer.timeout.connect(lambda: _periodic_backup(window, services))
    timer.start()
    if exit_after_paint:

        def report() -> None:
            print(f"painted {time.perf_counter() - started:.3f}", flush=True)  # noqa: T201
            QTimer.singleShot(0, app.quit)

        window.first_painted.connect(report)
    window.show()
    try:
        return app.exec()
    finally:
        services.db.close()


def _periodic_backup(window: MainWindow, services: Services) -> None:
    try:
        info = services.backups.backup_if_due()
    except AppError as exc:
        window.statusBar().showMessage(str(exc), 15000)
        return
    if info is not None:
        window.statusBar().showMessage(tr("Сделана резервная копия"), 5000)
