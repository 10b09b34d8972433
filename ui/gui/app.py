"""Start the GUI: display check, instance lock, window first, then the data layer.

On an installation that is already set up, the main window is painted from a light identity
read with sqlite3 alone, and the data layer (SQLAlchemy, migrations, integrity check, services)
is loaded right after the first paint. Everything heavy is imported inside functions for that.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QWidget

from services.core.config import AppPaths
from services.core.instance import InstanceLock
from services.core.quickstate import (
    QuickIdentity,
    on_server,
    read_identity,
    read_server_identity,
)
from ui.gui.errors import install_excepthook, show_error
from ui.gui.main_window import MainWindow

if TYPE_CHECKING:
    from services.app import Services
    from services.core.progress import Progress
    from ui.gui.dialogs.first_run import FirstRunChoice

log = logging.getLogger(__name__)
PERIODIC_BACKUP_CHECK_MS = 60_000
PRELOAD_JOIN_S = 60  # the screens' imports take a second or two; never wait forever at exit


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
    from PySide6.QtWidgets import QMessageBox

    from services.app import open_services
    from services.core.errors import AppError, DatabaseCorrupt, ServerUnreachable
    from services.site import newest_good_backup, replace_damaged_database

    try:
        return open_services(paths)
    except ServerUnreachable as exc:
        from ui.gui.server_login import retry_server

        return retry_server(paths, parent, exc)
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
    except AppError as exc:
        show_error(parent, exc)
        return None


def apply_first_run(
    services: Services, choice: FirstRunChoice, parent: QWidget | None = None
) -> None:
    """Carry out the wizard's choice through the services.

    The district demo builds seven school installations (several seconds): it runs as a task
    with its progress dialog over `parent`, and this function returns when it is done.
    """
    card = None
    if choice.district_card is not None:
        from services.packages import read_card

        card = read_card(choice.district_card)  # checked before anything is written
    services.site.initialize(
        choice.role,
        choice.full_name,
        choice.code,
        short_name=choice.short_name,
        fisoko_login=choice.fisoko_login,
    )
    services.exchange.own_card()  # generate this site's keys now
    if card is not None:
        services.exchange.trust_district_card(card)
    if choice.fill_demo:
        run_and_wait(parent, services.demo.fill, tr("Заполнение демонстрационных данных…"))


def run_and_wait(parent: QWidget | None, job: Callable[[Progress], object], title: str) -> None:
    """Run `job` as a task with its progress dialog, waiting for it in a local event loop.

    For the steps before the main window exists; a failure is raised here, to the caller.
    """
    from PySide6.QtCore import QEventLoop

    from services.core.errors import Cancelled
    from ui.gui.tasks import run_task

    loop = QEventLoop()
    failure: list[BaseException] = []

    def failed(exc: object) -> None:
        assert isinstance(exc, BaseException)
        failure.append(exc)
        loop.quit()

    # the caller shows a failure (the wizard stays open); a cancel leaves it with no demo
    signals = run_task(parent, job, lambda _result: loop.quit(), title=title,
                       on_error=lambda _exc: None)  # fmt: skip
    signals.failed.connect(failed)
    loop.exec()
    if failure and not isinstance(failure[0], Cancelled):
        raise failure[0]


def ensure_initialized(services: Services) -> Services | None:
    """Run the first-run wizard if needed: the services to work with, None if it was cancelled.

    A district set up on a server gets services on the server workspace instead of `services`.
    """
    from services.core.errors import AppError
    from ui.gui.dialogs.first_run import FirstRunWizard
    from ui.gui.server_setup import reopen_local, set_up_on_server

    if services.site.is_initialized():
        return services
    wizard = FirstRunWizard()
    while wizard.exec():
        choice = wizard.choice()
        try:
            if choice.server is not None:
                return set_up_on_server(services, choice)  # None: the user chose «Выйти»
            apply_first_run(services, choice, wizard)
            return services
        except AppError as exc:
            if choice.server is not None:
                services = reopen_local(services)
            show_error(wizard, exc)
    return None


def identity_of(services: Services) -> QuickIdentity:
    profile = services.site.profile()
    return QuickIdentity(profile.role.value, profile.site.short_name or profile.site.full_name)


def build_main_window(services: Services, version: str) -> MainWindow:
    """The main window on initialized services (also used by end-to-end tests)."""
    window = MainWindow(identity_of(services), version)
    window.attach(services)
    return window


class GuiSession:
    """The life of one GUI run: window, deferred loading, backups."""

    def __init__(
        self,
        app: QApplication,
        paths: AppPaths,
        version: Callable[[], str],
        started: float,
        lock: InstanceLock,
        open_log: Callable[[], None],
    ):
        self.app = app
        self.paths = paths
        self.version = version
        self.started = started
        self.lock = lock
        self.open_log = open_log
        self.services: Services | None = None
        self.window: MainWindow | None = None
        self.exit_code = 0

    def start(self, exit_after_paint: bool) -> None:
        # read-only: no lock needed yet. A server workspace paints from what the last start
        # remembered and connects in `_load`, after the paint.
        server = on_server(self.paths.data_dir)
        identity = (
            read_server_identity(self.paths.data_dir)
            if server
            else read_identity(self.paths.db_path)
        )
        if identity is None:  # first run, or something to check slowly: full path first
            if not self._take_lock():
                return
            services = open_with_recovery(self.paths)
            if services is not None and exit_after_paint and not services.site.is_initialized():
                self.services = services
                self._show_wizard_once()  # smoke test of a fresh install: the wizard shows
                return
            services = ensure_initialized(services) if services is not None else None
            if services is None:
                self.exit_code = 1
                return
            self.services = services
            identity = identity_of(services)
        self.window = MainWindow(identity, self.version)
        if server and self.services is None:
            self.window.loading.setText(self.window.tr("Подключение к серверу…"))
        self.window.first_painted.connect(self._on_first_painted)
        if exit_after_paint:
            self.window.first_painted.connect(lambda: self._report("painted"))
            self.window.ready.connect(lambda: self._report("ready", quit_after=True))
        self.window.show()

    def _show_wizard_once(self) -> None:
        from ui.gui.dialogs.first_run import FirstRunWizard

        wizard = FirstRunWizard()
        wizard.show()
        self.app.processEvents()
        self._report("wizard" if wizard.isVisible() else "wizard-not-shown")
        self.exit_code = 0 if wizard.isVisible() else 1
        wizard.close()

    def _take_lock(self) -> bool:
        """Before the database is opened for writing: one running copy per data directory."""
        from services.core.errors import AlreadyRunning, AppError

        self.open_log()  # the log file too, before anything is written
        try:
            self.paths.data_dir.mkdir(parents=True, exist_ok=True)
            self.lock.acquire()
        except (AlreadyRunning, OSError) as exc:
            show_error(self.window, exc if isinstance(exc, AppError) else AppError(str(exc)))
            self.exit_code = 1
            return False
        return True

    def _report(self, what: str, *, quit_after: bool = False) -> None:
        print(f"{what} {time.perf_counter() - self.started:.3f}", flush=True)  # noqa: T201
        if quit_after:
            QTimer.singleShot(0, self.app.quit)

    def _on_first_painted(self) -> None:
        QTimer.singleShot(0, self._load)

    def _load(self) -> None:
        assert self.window is not None
        if not self.lock.held and not self._take_lock():
            self.app.quit()
            return
        self.app.setApplicationVersion(self.version())
        if self.services is None:
            self.services = open_with_recovery(self.paths, self.window)
            if self.services is None:
                self.exit_code = 1
                self.app.quit()
                return
        self._start_backups(self.services, self.window)
        self.window.attach(self.services)
        if self.services.db.server is not None:  # other staff's changes show without a restart
            self.window.follow_server(self.services.db.server.url)
            self._remember_identity(self.services)

    def _remember_identity(self, services: Services) -> None:
        """For the next start's first paint (`read_server_identity`); a failure costs only that."""
        from services.core.db_pg import remember_identity

        identity = identity_of(services)
        try:
            remember_identity(self.paths.data_dir, identity.role, identity.short_name)
        except OSError:
            log.warning("could not keep the workspace's name for the next start", exc_info=True)

    def _start_backups(self, services: Services, window: MainWindow) -> None:
        """The start-up copy in the background (a large database takes seconds to copy)."""
        from ui.gui.tasks import run_task

        if services.db.is_server:  # a server's backups are pg_dump's job (`backup` says so)
            return

        def failed(exc: BaseException) -> None:
            log.warning("start-up backup failed: %s", exc)
            window.statusBar().showMessage(str(exc), 15000)

        run_task(window, lambda _p: services.backups.create("start"), lambda _info: None,
                 on_error=failed)  # fmt: skip
        timer = QTimer(window)
        timer.setInterval(PERIODIC_BACKUP_CHECK_MS)
        timer.timeout.connect(lambda: _periodic_backup(window, services))
        timer.start()

    def close(self) -> None:
        """After the event loop: let the background work end, then close the database.

        `app.quit()` (`--exit-after-paint`, a refused start) skips the window's `closeEvent`,
        which waits for the tasks; and a window closed right after the start leaves the screens'
        modules being imported in their thread. Python shutting down under either crashed the
        process now and then (exit code 139, after «ready»).
        """
        if self.window is not None:
            from ui.gui.tasks import wait_all

            self.window.stop_following()  # `app.quit()` skips the window's closeEvent
            wait_all()
            preloading = getattr(self.window, "preloading", None)
            if preloading is not None:
                preloading.join(PRELOAD_JOIN_S)
        if self.services is not None:
            self.services.db.close()


def run_gui(
    paths: AppPaths,
    *,
    version: Callable[[], str],
    started: float,
    exit_after_paint: bool,
    open_log: Callable[[], None] = lambda: None,
) -> int:
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
    _install_qt_translations(app)
    from ui.gui.comfort import apply_font_scale, large_font_on

    apply_font_scale(app, large_font_on(paths.data_dir))  # before any window is laid out
    install_excepthook(paths.log_dir / "opora.log")
    # The lock is taken right before the database is opened for writing (after the first paint
    # on an installation that is set up); a second copy shows the refusal and quits.
    lock = InstanceLock(paths.lock_path)
    session = GuiSession(app, paths, version, started, lock, open_log)
    try:
        session.start(exit_after_paint)
        if session.window is None:
            return session.exit_code
        code = app.exec()
        return session.exit_code or code
    finally:
        session.close()
        lock.release()


def _periodic_backup(window: MainWindow, services: Services) -> None:
    """Every 30 minutes of editing, in the background (`backup_if_due` decides)."""
    from ui.gui.tasks import run_task

    def done(info: object) -> None:
        if info is not None:
            window.statusBar().showMessage(tr("Сделана резервная копия"), 5000)

    def failed(exc: BaseException) -> None:
        window.statusBar().showMessage(str(exc), 15000)

    run_task(window, lambda _p: services.backups.backup_if_due(), done, on_error=failed)
