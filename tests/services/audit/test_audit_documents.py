"""The printed self-audit: the blank checklist and the filled audit (text checks with pypdf)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from models import Role
from models.audit import RiskLevel
from services.app import Services
from services.audit.demo import AuditDemo
from services.core.errors import Invalid
from services.core.progress import NullProgress
from services.documents.registry import DocOptions, available, get_spec

TODAY = date(2026, 11, 20)


def pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


def render(services: Services, kind: str, out: Path, year: int | None = None) -> str:
    spec = get_spec(kind, Role.SCHOOL, out)
    spec.render(services, out, DocOptions(year=year), NullProgress())
    return pdf_text(out)


def test_both_kinds_registered_for_a_school(school: Services) -> None:
    kinds = {s.kind for s in available(Role.SCHOOL)}
    assert {"audit-blank", "audit"} <= kinds
    with pytest.raises(Invalid):
        get_spec("audit", Role.SCHOOL, Path("x.xlsx"))


def test_blank_lists_every_criterion_with_boxes_and_signatures(
    school: Services, tmp_path: Path
) -> None:
    text = render(school, "audit-blank", tmp_path / "blank.pdf", 2026)
    catalogue = school.audit.catalogue()
    assert "МОУ Лодейнинская СОШ" in text
    assert "Лист самоаудита по факторам риска за 2026 год" in text
    assert "Дата заполнения: «___»" in text
    for factor in catalogue.factors:
        assert f"{factor.code}. " in text
        for c in factor.criteria:
            assert f"{c.code} " in text or f"{c.code}\n" in text, c.code
    assert text.count("□ 0 — нет") == sum(
        1 for f in catalogue.factors for c in f.criteria if c.is_scale
    )
    assert "от 0 до 100 %" in text and "□" in text
    assert "Итоги по факторам риска" in text and "Рабочая группа:" in text
    assert "(должность, подпись, расшифровка подписи)" in text
    assert "от 40 % до 60 % — средний" in text


def test_filled_audit_shows_profile_overrides_comments_measures(
    school: Services, tmp_path: Path
) -> None:
    AuditDemo(school.audit).fill_demo(Role.SCHOOL, TODAY)
    text = render(school, "audit", tmp_path / "audit.pdf", 2026)
    assert "УТВЕРЖДАЮ" in text
    assert "Результаты самоаудита по факторам риска за 2026 год" in text
    assert "Отвечено критериев: 60 из 62" in text
    assert "Рисковый профиль" in text and "2025 г." in text  # the chart legend and last year
    view = school.audit.view(2026)
    assert view is not None
    for code, result in view.results.items():
        assert code in text
        assert result.level is not None
    assert "высокий *" in text  # R02 set by hand
    assert "Две вакансии (математика, английский язык)" in text
    assert "12 компьютеров на 230 обучающихся" in text  # a comment
    assert "подтверждение: Инвентарная ведомость" in text
    assert "Антирисковые меры в дорожной карте" in text
    assert "Прогноз кадровой потребности" in text and "Запланировано" in text
    assert "И.С. Белова" in text  # the working group
    assert view.results["R02"].override is RiskLevel.HIGH


def test_latest_audit_by_default_and_missing_year_refused(school: Services, tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="Самоаудит ещё не проводился"):
        render(school, "audit", tmp_path / "none.pdf")
    AuditDemo(school.audit).fill_demo(Role.SCHOOL, TODAY)
    assert "за 2026 год" in render(school, "audit", tmp_path / "latest.pdf")
    older = render(school, "audit", tmp_path / "2025.pdf", 2025)
    assert "за 2025 год" in older and "Уровни риска вручную не изменялись" in older
    with pytest.raises(Invalid, match="Есть самоаудиты за: 2026, 2025"):
        render(school, "audit", tmp_path / "x.pdf", 2019)
    assert not (tmp_path / "x.pdf").exists()
