"""Two completed self-audits of the demo school (last year and this year), with measures.

The profile fits the demo's small rural school: teacher shortage and pupils at risk of failure
are the main risks, equipment and internal PD improve after a year of the roadmap, language
barriers are not an issue. Answers are generated from risk points per criterion (0–2) so that
the computed levels are exactly the intended ones; numbers are plausible values inside the bands.
"""

from __future__ import annotations

from datetime import date

from models import Role
from models.audit import RiskLevel
from services.audit.catalogue import Criterion
from services.audit.service import AnswerRead, AuditService

# factor -> risk points per criterion: (last year, this year); None = not answered
POINTS: dict[str, tuple[tuple[int | None, ...], tuple[int | None, ...]]] = {
    "R01": ((2, 1, 2, 1, 0, 1), (1, 1, 1, 1, 0, 0)),
    "R02": ((2, 2, 1, 1, 1, 1), (1, 2, 1, 1, 1, 1)),
    "R03": ((1, 2, 1, 1, 1, 1), (1, 1, 1, 0, 1, 0)),
    "R04": ((1, 1, 2, 2, 1, 2), (1, 1, 1, 1, 1, 1)),
    "R05": ((1, 2, 1, 1, 1, 1), (0, 1, 0, 0, 0, 1)),
    "R06": ((1, 1, 1, 1, 1, 2), (None, 1, 1, 0, 1, 1)),
    "R07": ((2, 2, 2, 2, 1, 2, 2), (1, 2, 1, 1, 1, 1, 1)),
    "R08": ((0, 0, 0, 1, 0, 0), (0, 0, 0, 1, 0, 0)),
    "R09": ((1, 1, 1, 1, 0, 1, 1), (0, 1, 0, 1, 0, 0, 1)),
    "R10": ((2, 1, 1, 1, 1, 1), (1, 1, 1, 1, 1, None)),
}
COMMENTS: dict[str, tuple[str, str]] = {
    "R01.1": ("12 компьютеров на 230 обучающихся", "Инвентарная ведомость"),
    "R01.3": ("Интернет 10 Мбит/с, в кабинете физики связь пропадает", ""),
    "R02.1": ("Не закрыты ставки учителя математики и учителя английского языка", "Штатное"),
    "R02.2": ("6 из 15 педагогов пенсионного возраста", "Тарификация на 1 сентября"),
    "R07.2": ("Наибольшая доля «2» — математика, 5 и 6 классы", "Отчёты ФИС ОКО"),
    "R07.7": ("Понизили отметку по журналу 31 % участников ВПР по математике", "ФИС ОКО"),
    "R09.1": ("Единичные случаи в 7 классе, работает психолог", "Анкета обучающихся"),
    "R10.1": ("Собрания в 5–9 классах посещает меньше половины родителей", "Протоколы"),
}
WORKING_GROUP = (
    "Соколова Ирина Викторовна, директор\n"
    "Белова Ирина Сергеевна, руководитель ШМО учителей математики\n"
    "Горохова Наталья Викторовна, руководитель ШМО учителей русского языка\n"
    "Рыбакова Юлия Константиновна, педагог-психолог"
)
NOTES = (
    "Основные риски — дефицит кадров и высокая доля обучающихся с рисками учебной "
    "неуспешности. Антирисковые программы разрабатываются по факторам R02 и R07."
)
OVERRIDE = (
    "R02",
    RiskLevel.HIGH,
    "Две вакансии (математика, английский язык) не закрыты на 1 сентября, уроки ведут "
    "совместители; по решению рабочей группы риск оценён как высокий.",
)
MEASURE_FACTORS = ("R02", "R07")


def answer_for(c: Criterion, points: int) -> AnswerRead:
    """An answer that gives exactly `points` risk points for the criterion."""
    if c.is_scale:
        return AnswerRead(c.code, score=2 - points if c.risk_when == "no" else points)
    step = (c.maximum - c.minimum) / 100
    if c.risk_when == "higher":
        value = (c.minimum + c.point1) / 2 if points == 0 else c.point1 if points == 1 else c.point2
        value += step * 2 if points == 2 else 0
    else:
        value = (c.point1 + c.maximum) / 2 if points == 0 else c.point1 if points == 1 else c.point2
        value -= step * 5 if points == 2 else 0
    value = min(max(value, c.minimum), c.maximum)
    whole = c.unit != "%" or value >= 10
    return AnswerRead(c.code, value=float(round(value)) if whole else round(value, 1))


class AuditDemo:
    """Demo part: `fill_demo(role)` adds the audits of last year and this year (school only)."""

    def __init__(self, audit: AuditService) -> None:
        self._audit = audit

    def fill_demo(self, role: Role, today: date | None = None) -> str:
        if role is not Role.SCHOOL:
            return "Самоаудит: у управления образования не заполняется."
        today = today or date.today()
        years = (today.year - 1, today.year)
        catalogue = self._audit.catalogue()
        for step, year in enumerate(years):
            self._audit.ensure(year, date(year, 3, 10))
            answers: list[AnswerRead] = []
            for code, per_year in POINTS.items():
                factor = catalogue.factor(code)
                if factor is None:
                    continue
                for c, points in zip(factor.criteria, per_year[step], strict=False):
                    if points is None:
                        continue
                    a = answer_for(c, points)
                    comment, evidence = COMMENTS.get(c.code, ("", ""))
                    answers.append(AnswerRead(c.code, a.score, a.value, comment, evidence))
            self._audit.save_answers(year, answers)
            self._audit.set_details(year, WORKING_GROUP, NOTES, date(year, 3, 24))
        self._audit.set_override(years[1], *OVERRIDE)
        added = self._audit.create_measures(years[1], MEASURE_FACTORS, today)
        return (
            f"Самоаудит по факторам риска за {years[0]} и {years[1]} годы, {added} антирисковых мер"
        )
