"""«Обзор», the school's home screen (DESIGN §9): roadmap, risk profile, indicators, teachers.

Each card links to its screen: the link emits `navigate_requested(key)` and asks the main window
to show that screen.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from models.audit import RiskLevel
from services.core.formatting import NO_DATA, date_short
from services.overview import OverviewData
from ui.gui.tasks import Notifier

LEVEL_TEXT = {RiskLevel.HIGH: "высокий", RiskLevel.MEDIUM: "средний"}
LEVEL_COLOUR = {RiskLevel.HIGH: "#B00020", RiskLevel.MEDIUM: "#B26A00"}
MAX_INDICATORS = 8


class Card(QGroupBox):
    """A titled block: a rich-text body and a link to the screen it summarises."""

    def __init__(self, title: str, link_text: str, key: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        self.body = QLabel(self)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.link = QLabel(f'<a href="{key}">{escape(link_text)} →</a>', self)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.link, 0, Qt.AlignmentFlag.AlignRight)


class OverviewScreen(QWidget):
    navigate_requested = Signal(str)  # the key of the screen to show

    def __init__(
        self,
        load: Callable[[], OverviewData],
        unsent_changes: Callable[[], bool] | None = None,
        parent: QWidget | None = None,
        *,
        notifier: Notifier | None = None,
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._unsent_changes = unsent_changes
        self._build_ui()
        self._connect()
        self.refresh()
        if notifier is not None:  # the overview sums up every area
            areas = ["roadmap", "audit", "staff", "results", "bulletin"]
            notifier.follow(self, areas, self.refresh)

    def _build_ui(self) -> None:
        self.heading = QLabel(f"<h2>{self.tr('Обзор')}</h2>", self)
        self.export_reminder = QLabel(self)
        self.export_reminder.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.export_reminder.setVisible(False)
        self.start_card = Card(self.tr("С чего начать"), "", "")
        self.start_card.link.setVisible(False)
        self.start_card.body.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.roadmap_card = Card(self.tr("Дорожная карта"), self.tr("Дорожная карта"), "roadmap")
        self.risk_card = Card(self.tr("Рисковый профиль"), self.tr("Самоаудит"), "audit")
        self.indicators_card = Card(self.tr("Показатели"), self.tr("Результаты"), "results")
        self.staff_card = Card(self.tr("Педагоги"), self.tr("Педагоги и ИППР"), "staff")
        grid = QGridLayout()
        grid.addWidget(self.roadmap_card, 0, 0)
        grid.addWidget(self.risk_card, 0, 1)
        grid.addWidget(self.indicators_card, 1, 0)
        grid.addWidget(self.staff_card, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        inner = QWidget(self)
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.heading)
        inner_layout.addWidget(self.export_reminder)
        inner_layout.addWidget(self.start_card)
        inner_layout.addLayout(grid)
        inner_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # not a Tab stop of its own (it came after its contents): the cards' links take focus
        # and the area scrolls to the focused one
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.addWidget(scroll)

    def cards(self) -> list[Card]:
        return [self.roadmap_card, self.risk_card, self.indicators_card, self.staff_card]

    def _connect(self) -> None:
        for card in self.cards():
            card.link.linkActivated.connect(self._on_link_activated)
        self.export_reminder.linkActivated.connect(self._on_link_activated)
        self.start_card.body.linkActivated.connect(self._on_link_activated)

    def refresh(self) -> None:
        data = self._load()
        self.heading.setText(
            f"<h2>{self.tr('Обзор')}</h2>"
            + self.tr("Данные на {0}; результаты {1} года.").format(
                date_short(data.as_of), data.year
            )
        )
        self.roadmap_card.body.setText(roadmap_html(data))
        self.risk_card.body.setText(risk_html(data))
        self.indicators_card.body.setText(indicators_html(data))
        self.staff_card.body.setText(staff_html(data))
        pending = any(not step.done for step in data.start)
        self.start_card.setVisible(pending)
        if pending:
            self.start_card.body.setText(start_html(data))
        unsent = self._unsent_changes is not None and self._unsent_changes()
        self.export_reminder.setVisible(unsent)
        if unsent:
            self.export_reminder.setText(
                '<span style="color:#B00020">'
                + escape(self.tr("Есть изменения, которые ещё не переданы в управление."))
                + '</span> <a href="exchange">'
                + escape(self.tr("Выгрузить пакет"))
                + " →</a>"
            )

    def _on_link_activated(self, key: str) -> None:
        self.navigate_requested.emit(key)
        show_screen = getattr(self.window(), "show_screen", None)
        if callable(show_screen):
            show_screen(key)


def start_html(data: OverviewData) -> str:
    """The checklist of a new school: a mark and a word for each step, not colour alone."""
    lines = []
    for step in data.start:
        if step.done:
            lines.append(f"<li>✓ <s>{escape(step.title)}</s> — сделано</li>")
        else:
            lines.append(f'<li>☐ <a href="{step.screen}">{escape(step.title)}</a></li>')
    done = sum(step.done for step in data.start)
    return f"<p>Сделано {done} из {len(data.start)}:</p><ol>{''.join(lines)}</ol>"


def roadmap_html(data: OverviewData) -> str:
    if data.execution.value is None:
        parts = ["<p>Мероприятий со сроком до сегодня нет, или дорожная карта ещё не внесена.</p>"]
    else:
        parts = [
            f"<p><span style='font-size:20pt'>{escape(data.execution.text())}</span><br/>"
            f"выполнено мероприятий со сроком до сегодня ({escape(data.execution.detail())})</p>"
        ]
    if data.overdue_total:
        items = "".join(
            f"<li>{escape(i.title)} <i>({escape(i.deadline)})</i></li>" for i in data.overdue
        )
        more = data.overdue_total - len(data.overdue)
        tail = f"<p>…и ещё {more}</p>" if more > 0 else ""
        parts.append(
            f"<p style='color:#B00020'>Просрочено: {data.overdue_total}</p><ul>{items}</ul>{tail}"
        )
    else:
        parts.append("<p>Просроченных мероприятий нет.</p>")
    return "".join(parts)


def risk_html(data: OverviewData) -> str:
    if data.risk_year is None:
        return "<p>Самоаудит ещё не проводился: заполните анкету по факторам риска.</p>"
    head = (
        f"<p>Самоаудит {data.risk_year} года, заполнено "
        f"{escape(data.risk_completeness.text(0))}.</p>"
    )
    if not data.risks:
        return head + "<p>Факторов среднего и высокого риска нет.</p>"
    lines = "".join(
        f"<li><span style='color:{LEVEL_COLOUR[r.level]}'>{LEVEL_TEXT[r.level]}</span> — "
        f"{escape(r.code)} {escape(r.title)}</li>"
        for r in data.risks
    )
    return head + f"<ul>{lines}</ul>"


def indicators_html(data: OverviewData) -> str:
    if not data.attention:
        if not data.results_known:
            return "<p>Результатов пока нет: внесите их или загрузите отчёты ФИС ОКО.</p>"
        if not data.compared:
            return (
                "<p>Целей школы и порогов управления пока нет: показателям не с чем "
                "сравниваться. Цели задаются на экране «Результаты».</p>"
            )
        return "<p>Все показатели в пределах целей школы и порогов управления.</p>"
    lines = []
    for v in data.attention[:MAX_INDICATORS]:
        notes = []
        if v.flagged and v.threshold is not None:
            notes.append(f"порог {escape(v.threshold.text())}")
        if v.off_target and v.target is not None:
            notes.append(f"цель {v.target:g}".replace(".", ","))
        colour = "#B00020" if v.flagged else "#B26A00"
        lines.append(
            f"<li>{escape(v.title)}: <b style='color:{colour}'>{escape(v.ratio.text())}</b> "
            f"({'; '.join(notes)})</li>"
        )
    more = len(data.attention) - MAX_INDICATORS
    tail = f"<p>…и ещё {more}</p>" if more > 0 else ""
    return f"<p>Требуют внимания ({len(data.attention)}):</p><ul>{''.join(lines)}</ul>{tail}"


def staff_html(data: OverviewData) -> str:
    if not data.coverage:
        return f"<p>Охват педагогов: {NO_DATA}.</p>"
    rows = "".join(
        f"<tr><td>{escape(c.title)}</td><td align='right'><b>{escape(c.ratio.text())}</b></td>"
        f"<td>&nbsp;{escape(c.ratio.detail() if c.ratio.value is not None else '')}</td></tr>"
        for c in data.coverage
    )
    return f"<table cellspacing='4'>{rows}</table>"
