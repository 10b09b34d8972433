"""The first-run wizard speaks to the role chosen: a district is not shown a school's examples."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWizardPage
from pytestqt.qtbot import QtBot

from ui.gui.dialogs.first_run import FirstRunWizard

SCHOOL_WORDS = ("СОШ", "sch", "ФИС ОКО", "общеобразовательн", "Средняя школа", "для школы")


def _visible_texts(page: QWizardPage) -> list[str]:
    texts = [page.title(), page.subTitle()]
    for label in page.findChildren(QLabel):
        if label.isVisible():
            texts.append(label.text())
    for edit in page.findChildren(QLineEdit):
        if edit.isVisible():
            texts += [edit.placeholderText(), edit.text()]
    return texts


def _walk(qtbot: QtBot, district: bool) -> dict[str, list[str]]:
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    (wizard.role_page.district if district else wizard.role_page.school).setChecked(True)
    wizard.next()
    page = wizard.org_page
    seen = {"org": _visible_texts(page)}
    page.full_name.setText("Управление образования Кольского района" if district else "МОУ СОШ")
    page.code.setText("5105000001")
    wizard.next()
    if not district:
        wizard.next()
    assert wizard.currentPage() is wizard.finish_page
    seen["finish"] = _visible_texts(wizard.finish_page)
    return seen


def test_the_district_branch_shows_district_wording_only(qtbot: QtBot) -> None:
    seen = _walk(qtbot, district=True)
    for page, texts in seen.items():
        for text in texts:
            assert not any(word in text for word in SCHOOL_WORDS), (page, text)
    assert any("Управление образования" in t for t in seen["org"])  # its own example


def test_the_school_branch_keeps_the_school_examples(qtbot: QtBot) -> None:
    seen = _walk(qtbot, district=False)
    assert any("СОШ" in t for t in seen["org"]) and any("sch" in t for t in seen["org"])
