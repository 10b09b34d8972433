"""The selected factor's level on the self-audit screen: computed level and manual override."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.audit import RiskLevel
from services.audit import LEVEL_TITLES, FactorResult, level_title
from ui.gui.widgets.flow_layout import FlowLayout

BADGE: dict[RiskLevel, QColor] = {  # level badges of the factor list
    RiskLevel.HIGH: QColor("#F5B7B1"),
    RiskLevel.MEDIUM: QColor("#FAD7A0"),
    RiskLevel.LOW: QColor("#FCF3CF"),
    RiskLevel.NONE: QColor("#D5F5E3"),
}


class LevelPanel(QGroupBox):
    """Shows «По расчёту: …»; `apply_requested(level or None, reason)` when «Применить» is hit."""

    apply_requested = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Уровень риска фактора"))
        self.computed = QLabel(self)
        self.combo = QComboBox(self)
        self.combo.addItem(self.tr("по расчёту"), None)
        for level, title in LEVEL_TITLES.items():
            self.combo.addItem(title, level)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Причина изменения уровня (обязательно)"))
        self.button = QPushButton(self.tr("Применить"), self)
        self.button.clicked.connect(
            lambda: self.apply_requested.emit(self.combo.currentData(), self.reason.text())
        )
        self.reason.returnPressed.connect(self.button.click)
        self.computed.setWordWrap(True)
        self.reason.setMinimumWidth(200)
        row = FlowLayout()
        row.addWidget(QLabel(self.tr("Установить вручную:"), self))
        row.addWidget(self.combo)
        row.addWidget(self.reason)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.computed)
        layout.addLayout(row)

    def show_result(self, result: FactorResult | None) -> None:
        for widget in (self.combo, self.reason, self.button):
            widget.setEnabled(result is not None)
        if result is None:
            self.computed.setText("")
            return
        share = "—" if result.share is None else f"{result.share:.0f} %"
        self.computed.setText(
            self.tr("По расчёту: {0} (доля риска {1}, отвечено {2}).").format(
                level_title(result.computed), share, result.completeness.detail()
            )
        )
        self.combo.setCurrentIndex(max(self.combo.findData(result.override), 0))
        self.reason.setText(result.reason)
