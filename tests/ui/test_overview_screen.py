"""«Обзор» with pytest-qt: cards from canned data, links to screens, real demo data."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from models import Role
from models.audit import RiskLevel
from models.catalogue import Comparison
from models.roadmap import RoadmapBase
from services.app import Services
from services.core.ratio import Ratio
from services.indicators.compute import IndicatorValue
from services.indicators.thresholds import ThresholdRead
from services.overview import CoverageLine, OverdueItem, OverviewData, RiskLine
from services.results.rules import TargetEntry
from services.roadmap import ItemFields
from ui.gui.screens.overview import OverviewScreen


def _value(code: str, ratio: Ratio, **kw: object) -> IndicatorValue:
    base: dict[str, object] = dict(
        code=code, name=f"Показатель {code}", unit="%", better="lower", subject=None,
        ratio=ratio, previous=None, target=None, baseline=None, threshold=None, flagged=False,
    )  # fmt: skip
    base.update(kw)
    return IndicatorValue(**base)  # type: ignore[arg-type]


def canned() -> OverviewData:
    threshold = ThresholdRead(2025, "REPEATERS", Comparison.GT, 1.0)
    flagged = _value("REPEATERS", Ratio(3, 100), threshold=threshold, flagged=True)
    off = _value("VPR_FAIL", Ratio(20, 100), target=15.0)
    return OverviewData(
        as_of=date(2025, 11, 20),
        year=2025,
        execution=Ratio(6, 8),
        overdue_total=7,
        overdue=tuple(OverdueItem(f"Мероприятие {i}", "Октябрь 2025") for i in range(5)),
        risk_year=2025,
        risks=(RiskLine("R01", "Низкая учебная мотивация", RiskLevel.HIGH),
               RiskLine("R05", "Высокая доля обучающихся с ОВЗ", RiskLevel.MEDIUM)),
        risk_completeness=Ratio(40, 50),
        attention=(flagged, off),
        key_values=(flagged, off),
        coverage=(CoverageLine("Повышение квалификации за 3 года", Ratio(9, 12)),),
    )  # fmt: skip


class FakeWindow(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []

    def show_screen(self, key: str) -> None:
        self.shown.append(key)


def test_cards_show_the_data(qtbot: QtBot) -> None:
    screen = OverviewScreen(canned)
    qtbot.addWidget(screen)
    assert "75,0 %" in screen.roadmap_card.body.text()
    assert "Просрочено: 7" in screen.roadmap_card.body.text()
    assert "…и ещё 2" in screen.roadmap_card.body.text()
    risk = screen.risk_card.body.text()
    assert "высокий" in risk and "R01" in risk and "заполнено 80 %" in risk
    indicators = screen.indicators_card.body.text()
    assert "Требуют внимания (2)" in indicators
    assert "порог &gt; 1" in indicators and "цель 15" in indicators
    assert "9 из 12" in screen.staff_card.body.text()
    assert "20.11.2025" in screen.heading.text()


def test_links_open_their_screens(qtbot: QtBot) -> None:
    window = FakeWindow()
    qtbot.addWidget(window)
    screen = OverviewScreen(canned, parent=window)
    QVBoxLayout(window).addWidget(screen)
    with qtbot.waitSignal(screen.navigate_requested) as signal:
        screen.risk_card.link.linkActivated.emit("audit")
    assert signal.args == ["audit"]
    for card in screen.cards():
        href = card.link.text().split('"')[1]
        card.link.linkActivated.emit(href)
    assert window.shown == ["audit", "roadmap", "audit", "results", "staff"]


def test_reminds_of_changes_not_sent_to_the_district(qtbot: QtBot) -> None:
    window = FakeWindow()
    qtbot.addWidget(window)
    unsent = [True]
    screen = OverviewScreen(canned, lambda: unsent[0], parent=window)
    QVBoxLayout(window).addWidget(screen)
    assert not screen.export_reminder.isHidden()
    assert "не переданы в управление" in screen.export_reminder.text()
    screen.export_reminder.linkActivated.emit("exchange")
    assert window.shown == ["exchange"]
    unsent[0] = False
    screen.refresh()
    assert screen.export_reminder.isHidden()


def test_empty_school(school: Services, qtbot: QtBot) -> None:
    screen = OverviewScreen(school.results.overview)
    qtbot.addWidget(screen)
    assert "Самоаудит ещё не проводился" in screen.risk_card.body.text()
    assert "Результатов пока нет" in screen.indicators_card.body.text()


def test_demo_school_lists_off_target_indicators(school: Services, qtbot: QtBot) -> None:
    school.results.fill_demo(Role.SCHOOL)
    screen = OverviewScreen(school.results.overview)
    qtbot.addWidget(screen)
    data = school.results.overview()
    assert data.attention and all(v.flagged or v.off_target for v in data.attention)
    assert f"Требуют внимания ({len(data.attention)})" in screen.indicators_card.body.text()
    # refresh picks up new data
    year = data.year
    school.results.save_target(TargetEntry(year, "CONDITIONAL", None, 0.0))
    screen.refresh()
    assert f"Требуют внимания ({len(data.attention) + 1})" in screen.indicators_card.body.text()


def test_new_school_sees_no_false_comfort_and_a_start_checklist(
    school: Services, qtbot: QtBot
) -> None:
    screen = OverviewScreen(school.results.overview, school.exchange.changed_since_export)
    qtbot.addWidget(screen)
    assert screen.export_reminder.isHidden()  # nothing typed yet: nothing to send
    assert "Все показатели в пределах" not in screen.indicators_card.body.text()
    assert "нет данных (нет данных)" not in screen.staff_card.body.text()
    assert not screen.start_card.isHidden()
    checklist = screen.start_card.body.text()
    assert "Сделано 0 из 5" in checklist and checklist.count("☐") == 5
    year = date.today().year - 1  # one overdue item, nothing done: 0 % execution
    rid = school.roadmap.save_roadmap(RoadmapBase(title="План", period_start=date(year, 1, 1),
                                                  period_end=date(year, 12, 31)))  # fmt: skip
    school.roadmap.add_item(rid, None, ItemFields("Семинар", deadline_text=f"март {year}"))
    assert school.results.overview().execution.value == 0
    screen.refresh()
    assert "Все показатели в пределах" not in screen.indicators_card.body.text()
    assert "Сделано 1 из 5" in screen.start_card.body.text()
    assert "✓" in screen.start_card.body.text()
    assert not screen.export_reminder.isHidden()  # now there is something to send


def test_checklist_ticks_what_the_demo_filled(school: Services) -> None:
    school.demo.fill()
    data = school.results.overview()
    assert [s.done for s in data.start] == [True, True, True, True, False]
