"""`import-xlsx ippr FILE --teacher ФИО --period …`: year-less months read in the given period."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from services.app import open_services
from services.core.config import AppPaths
from tests.conftest import REPO, RESOURCES
from tests.e2e.cli_support import run_cli

FIXTURES = REPO / "tests" / "fixtures" / "intake"
TEACHER = "Орлова Мария Викторовна"
# no period in the title: without --period the months would fall in the current school year
PLAN = (
    "№;Мероприятие;Форма;Сроки;Форма отчётности\n"
    "1;Курсы по функциональной грамотности;Курсы ПК;октябрь;Удостоверение\n"
    "2;Открытый урок;Открытый урок;ноябрь – март;Конспект\n"
)


def _school(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    assert run_cli(data, "init", "--role", "school", "--name", "МБОУ СОШ 3",
                   "--code", "5105012345").returncode == 0  # fmt: skip
    loaded = run_cli(data, "import-xlsx", "teachers", str(FIXTURES / "teachers.xlsx"))
    assert loaded.returncode == 0, loaded.stderr
    plan = tmp_path / "ippr.csv"
    plan.write_text(PLAN, encoding="utf-8")
    return data, plan


@pytest.mark.slow
def test_year_less_months_land_in_the_given_school_year(tmp_path: Path) -> None:
    data, plan = _school(tmp_path)
    dry = run_cli(data, "import-xlsx", "ippr", str(plan), "--teacher", TEACHER,
                  "--period", "2024/25", "--dry-run")  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    assert "Период плана: 01.09.2024 – 31.08.2025 (указан при загрузке)." in dry.stdout
    assert "октябрь → 01.10.2024–31.10.2024" in dry.stdout
    done = run_cli(data, "import-xlsx", "ippr", str(plan), "--teacher", TEACHER,
                   "--period", "2024/25")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Загружено в новый план 01.09.2024 – 31.08.2025: 2 мероприятия" in done.stdout
    services = open_services(AppPaths(resources_dir=RESOURCES, data_dir=data))
    try:
        [teacher] = [t for t in services.staff.teachers() if t.full_name == TEACHER]
        [plan_row] = services.staff.plans(teacher.id)
        dates = {a.deadline_text: (a.start_date, a.end_date)
                 for a in services.staff.activities(plan_row.id)}  # fmt: skip
    finally:
        services.db.close()
    assert dates == {
        "октябрь": (date(2024, 10, 1), date(2024, 10, 31)),
        "ноябрь – март": (date(2024, 11, 1), date(2025, 3, 31)),
    }


def test_a_wrong_period_is_refused_with_exit_2_in_russian(tmp_path: Path) -> None:
    data, plan = _school(tmp_path)
    for text, says in (("2024/26", "Период «2024/26» не распознан"),
                       ("31.08.2025-01.09.2024", "раньше его начала")):  # fmt: skip
        wrong = run_cli(data, "import-xlsx", "ippr", str(plan), "--teacher", TEACHER,
                        "--period", text)  # fmt: skip
        assert wrong.returncode == 2
        assert "--period" in wrong.stderr and says in wrong.stderr
    services = open_services(AppPaths(resources_dir=RESOURCES, data_dir=data))
    try:
        assert all(not services.staff.plans(t.id) for t in services.staff.teachers())
    finally:
        services.db.close()
