"""What a newcomer at a 1024 × 768 screen would notice, measured on real widgets.

Each check returns readable problems («Сводка: кнопка «…» за краем экрана»), so one run
lists them all instead of stopping at the first.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QHeaderView,
    QTabBar,
    QTableView,
    QToolBar,
    QToolButton,
    QWidget,
)

# The column a person reads a row by: it must show at least this much of its text.
MAIN_COLUMNS = ("Мероприятие", "ФИО", "Школа", "Название", "Отправитель", "Показатель")
MAIN_MIN = 200


def window_fits(window: QWidget, screen: QRect, where: str) -> list[str]:
    frame = window.frameGeometry()
    if frame.width() > screen.width() or frame.height() > screen.height():
        return [f"{where}: окно {frame.width()}×{frame.height()} больше экрана "
                f"{screen.width()}×{screen.height()}"]  # fmt: skip
    return []


def _visible_rect(widget: QWidget, top: QWidget) -> QRect:
    origin = widget.mapTo(top, widget.rect().topLeft())
    return QRect(origin, widget.size())


def buttons_reachable(area: QWidget, top: QWidget, where: str) -> list[str]:
    """Every button meant to show is on screen: inside the window and not clipped away."""
    problems = []
    bounds = top.rect()
    for button in area.findChildren(QAbstractButton):
        if not button.isVisibleTo(area) or not button.text().strip():
            continue
        if button.visibleRegion().isEmpty() and button.isVisible():
            problems.append(f"{where}: кнопка «{button.text()}» закрыта другими")
            continue
        rect = _visible_rect(button, top)
        if not bounds.contains(rect):
            problems.append(f"{where}: кнопка «{button.text()}» за краем окна ({rect.right()} px)")
    return problems


def toolbars_whole(area: QWidget, where: str) -> list[str]:
    """No toolbar hides actions behind its «»» extension button: a newcomer never opens it."""
    problems = []
    for toolbar in area.findChildren(QToolBar):
        if not toolbar.isVisible():
            continue
        chevron = toolbar.findChild(QAbstractButton, "qt_toolbar_ext_button")
        if chevron is not None and chevron.isVisible():
            hidden = [
                action.text()
                for action in toolbar.actions()
                if action.isVisible()
                and not action.isSeparator()
                and not _shown(toolbar.widgetForAction(action))
            ]
            problems.append(f"{where}: панель скрывает за «»» {', '.join(hidden)}")
    return problems


def tabs_whole(area: QWidget, where: str) -> list[str]:
    """No tab bar needs its scroll arrows: a tab behind them is as hidden as a button."""
    problems = []
    for bar in area.findChildren(QTabBar):
        if not bar.isVisible():
            continue
        if any(arrow.isVisible() for arrow in bar.findChildren(QToolButton)):
            tabs = ", ".join(bar.tabText(i) for i in range(bar.count()))
            problems.append(f"{where}: вкладки ({tabs}) не помещаются, видны стрелки прокрутки")
    return problems


def _shown(widget: QWidget | None) -> bool:
    return widget is not None and widget.isVisible()


def _header_text(view: QTableView, section: int) -> str:
    model = view.model()
    if model is None:
        return ""
    from PySide6.QtCore import Qt

    return str(model.headerData(section, Qt.Orientation.Horizontal) or "")


def headers_readable(area: QWidget, where: str) -> list[str]:
    """No visible column header is cut; the main text column shows ≥ MAIN_MIN px."""
    problems = []
    for view in area.findChildren(QTableView):
        if not view.isVisible() or view.model() is None:
            continue
        header: QHeaderView = view.horizontalHeader()
        if not header.isVisible():
            continue
        metrics = header.fontMetrics()
        from PySide6.QtWidgets import QStyle

        margins = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        for section in range(header.count()):
            if header.isSectionHidden(section):
                continue
            text = _header_text(view, section)
            if not text:
                continue
            size = header.sectionSize(section)
            longest = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
            if longest + margins > size:
                problems.append(f"{where}: заголовок «{text}» обрезан ({size} px из {longest})")
            if text in MAIN_COLUMNS and size < MAIN_MIN:
                problems.append(f"{where}: столбец «{text}» шириной {size} px (< {MAIN_MIN})")
    return problems


def _table_name(view: QTableView) -> str:
    titles = [_header_text(view, s) for s in range(view.horizontalHeader().count())]
    shown = [t.replace("\n", " ") for t in titles if t][:3]
    return "«" + ", ".join(shown) + (", …" if len(titles) > 3 else "") + "»"


def no_sideways_scroll(area: QWidget, where: str) -> list[str]:
    """No table needs a horizontal scroll bar: a column behind it is as hidden as a button.

    Only «Сводка» may scroll sideways (the caller leaves it out): it keeps its school names in
    view while it scrolls.
    """
    problems = []
    for view in area.findChildren(QTableView):
        if not view.isVisible() or view.model() is None or view.objectName() == "frozen_column":
            continue
        bar = view.horizontalScrollBar()
        width = view.viewport().width()
        hidden = view.horizontalHeader().length() - width
        if bar.maximum() > 0 and hidden > 0:
            problems.append(
                f"{where}: таблица {_table_name(view)} прокручивается вбок "
                f"(за краем {hidden} px при ширине {width} px)"
            )
    return problems


STATUS_HEADERS = ("Отметка о выполнении",)


def status_in_view(area: QWidget, where: str) -> list[str]:
    """A roadmap table needs no sideways scroll: its status column ends inside the viewport.

    A deputy director reads a row by its title and its status; with the status behind a
    scroll bar an overdue item looked like any other.
    """
    problems = []
    for view in area.findChildren(QTableView):
        if not view.isVisible() or view.model() is None:
            continue
        header = view.horizontalHeader()
        texts = [_header_text(view, s) for s in range(header.count())]
        status = next((n for n, t in enumerate(texts) if t in STATUS_HEADERS), None)
        if status is None:
            continue
        if view.horizontalScrollBar().isVisible():
            problems.append(f"{where}: таблица «{texts[status]}» прокручивается вбок")
        right = header.sectionViewportPosition(status) + header.sectionSize(status)
        if header.isSectionHidden(status) or right > view.viewport().width():
            problems.append(f"{where}: столбец «{texts[status]}» не виден целиком "
                            f"({right} px из {view.viewport().width()})")  # fmt: skip
    return problems
