"""Results entries (DTOs) and their consistency rules, shared by the service and the importer.

Each `check_*` returns the problems as (field, Russian message) pairs, so the service can refuse a
save with one message and the Excel importer can point at the sheet, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models.results import ExamKind
from services.indicators.units import value_bounds

MIN_YEAR, MAX_YEAR = 2010, 2100
VPR_GRADES = (4, 5, 6, 7, 8, 10, 11)
VPR_SUBJECTS = (
    "Русский язык",
    "Математика",
    "Окружающий мир",
    "История",
    "Обществознание",
    "География",
    "Биология",
    "Физика",
    "Химия",
    "Литература",
    "Информатика",
    "Иностранный язык",
    "Английский язык",
    "Немецкий язык",
    "Французский язык",
)
GIA_SUBJECTS = (
    "Русский язык",
    "Математика",
    "Математика (базовая)",
    "Математика (профильная)",
    "Физика",
    "Химия",
    "Биология",
    "География",
    "История",
    "Обществознание",
    "Литература",
    "Информатика",
    "Английский язык",
    "Немецкий язык",
    "Французский язык",
)
EXAM_TITLES = {ExamKind.OGE: "ОГЭ", ExamKind.EGE: "ЕГЭ", ExamKind.GVE: "ГВЭ"}
LEVEL_TITLES = {
    "all": "Вся школа",
    "1-4": "1–4 классы",
    "5-9": "5–9 классы",
    "10-11": "10–11 классы",
}

Problems = list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class VprEntry:
    """ВПР of one grade (or class) and subject: counts of marks and the journal comparison."""

    year: int
    grade: int
    subject: str
    participants: int
    n2: int
    n3: int
    n4: int
    n5: int
    class_label: str = ""
    lowered: int | None = None
    confirmed: int | None = None
    raised: int | None = None
    id: str = ""


@dataclass(frozen=True, slots=True)
class GiaEntry:
    """ОГЭ/ЕГЭ of one subject: participants, results below the minimum (or «2»), mean score."""

    year: int
    exam: ExamKind
    subject: str
    participants: int
    below_min: int = 0
    mean_score: float | None = None
    high_scorers: int = 0
    id: str = ""


@dataclass(frozen=True, slots=True)
class ProgressionEntry:
    """Promotion and graduation of one level of education (or the whole school)."""

    year: int
    level: str = "all"
    pupils: int = 0
    repeaters: int = 0
    conditionally_promoted: int = 0
    graduates_9: int = 0
    certificates_9: int = 0
    graduates_11: int = 0
    certificates_11: int = 0
    medals: int = 0
    # Inputs of municipal indicators; None: not entered (an indicator then says so).
    gia9_admitted: int | None = None
    gia9_no_fail: int | None = None
    gia11_admitted: int | None = None
    medal_claimants: int | None = None
    badge_claimants: int | None = None
    badge_recipients: int | None = None
    id: str = ""


ASSESSMENT_PERIODS = {
    "year": "Год",
    "term1": "1-я четверть (триместр, полугодие)",
    "term2": "2-я четверть (триместр, полугодие)",
    "term3": "3-я четверть (триместр)",
    "term4": "4-я четверть",
}


@dataclass(frozen=True, slots=True)
class AssessmentEntry:
    """The year's (or a term's) marks of one class and subject: pupils, without «2», on «4»–«5»."""

    year: int
    grade: int
    subject: str
    pupils: int
    achieved: int
    quality: int
    period: str = "year"
    class_label: str = ""
    id: str = ""


@dataclass(frozen=True, slots=True)
class TargetEntry:
    """The school's baseline and target of one indicator (or «code|subject») for a year."""

    year: int
    indicator_code: str
    baseline: float | None = None
    target: float | None = None
    id: str = ""


def _year(year: int, problems: Problems) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        problems.append(("year", f"год {year} вне допустимого диапазона {MIN_YEAR}–{MAX_YEAR}"))


def _not_negative(entry: object, fields: tuple[str, ...], problems: Problems) -> None:
    for name in fields:
        value = getattr(entry, name)
        if value is not None and value < 0:
            problems.append((name, "число не может быть отрицательным"))


def _subject(subject: str, problems: Problems) -> None:
    if not subject.strip():
        problems.append(("subject", "не указан предмет"))
    elif len(subject) > 100:
        problems.append(("subject", "название предмета длиннее 100 знаков"))


def check_vpr(e: VprEntry) -> Problems:
    problems: Problems = []
    _year(e.year, problems)
    if e.grade not in range(4, 12):
        problems.append(("grade", f"класс {e.grade}: ВПР пишут в 4–11 классах"))
    _subject(e.subject, problems)
    if len(e.class_label) > 20:
        problems.append(("class_label", "обозначение класса длиннее 20 знаков"))
    counts = ("participants", "n2", "n3", "n4", "n5", "lowered", "confirmed", "raised")
    _not_negative(e, counts, problems)
    if problems:
        return problems
    marks = e.n2 + e.n3 + e.n4 + e.n5
    if marks != e.participants:
        problems.append(
            (
                "participants",
                f"сумма отметок «2»–«5» ({marks}) не равна числу участников ({e.participants})",
            )
        )
    objectivity = (e.lowered, e.confirmed, e.raised)
    if any(v is not None for v in objectivity):
        if any(v is None for v in objectivity):
            missing = (
                "lowered" if e.lowered is None else "confirmed" if e.confirmed is None else "raised"
            )
            problems.append((missing, "заполните все три числа сравнения с журналом или ни одного"))
        else:
            total = sum(v or 0 for v in objectivity)
            if total != e.participants:
                problems.append(
                    (
                        "confirmed",
                        f"понизили + подтвердили + повысили ({total}) не равно числу "
                        f"участников ({e.participants})",
                    )
                )
    return problems


def check_gia(e: GiaEntry) -> Problems:
    problems: Problems = []
    _year(e.year, problems)
    _subject(e.subject, problems)
    _not_negative(e, ("participants", "below_min", "high_scorers"), problems)
    if problems:
        return problems
    if e.below_min > e.participants:
        problems.append(
            (
                "below_min",
                f"ниже минимума ({e.below_min}) больше, чем участников ({e.participants})",
            )
        )
    elif e.high_scorers > e.participants:
        problems.append(
            (
                "high_scorers",
                f"80–100 баллов ({e.high_scorers}) больше, чем участников ({e.participants})",
            )
        )
    elif e.below_min + e.high_scorers > e.participants:
        problems.append(
            ("high_scorers", "ниже минимума и 80–100 баллов вместе больше, чем участников")
        )
    if e.mean_score is not None and not 0 <= e.mean_score <= 100:
        problems.append(("mean_score", "средний балл должен быть от 0 до 100"))
    if e.mean_score is not None and e.participants == 0:
        problems.append(("mean_score", "средний балл указан, а участников нет"))
    return problems


# Progression inputs of municipal indicators: blank means «не введено», never 0.
OPTIONAL_COUNTS = (
    "gia9_admitted",
    "gia9_no_fail",
    "gia11_admitted",
    "medal_claimants",
    "badge_claimants",
    "badge_recipients",
)
PROGRESSION_COUNTS = (
    "pupils",
    "repeaters",
    "conditionally_promoted",
    "graduates_9",
    "certificates_9",
    "graduates_11",
    "certificates_11",
    "medals",
    "gia9_admitted",
    "gia9_no_fail",
    "gia11_admitted",
    "medal_claimants",
    "badge_claimants",
    "badge_recipients",
)


def check_progression(e: ProgressionEntry) -> Problems:
    problems: Problems = []
    _year(e.year, problems)
    if e.level not in LEVEL_TITLES:
        problems.append(("level", f"уровень «{e.level}» не из списка"))
    _not_negative(e, PROGRESSION_COUNTS, problems)
    if problems:
        return problems
    if e.repeaters + e.conditionally_promoted > e.pupils:
        problems.append(
            ("repeaters", "оставленных и переведённых условно вместе больше, чем обучающихся")
        )
    if e.certificates_9 > e.graduates_9:
        problems.append(("certificates_9", "аттестатов 9 кл. больше, чем выпускников 9 кл."))
    if e.certificates_11 > e.graduates_11:
        problems.append(("certificates_11", "аттестатов 11 кл. больше, чем выпускников 11 кл."))
    if e.medals > e.certificates_11:
        problems.append(("medals", "медалистов больше, чем выпускников 11 кл. с аттестатом"))
    _at_most(e, "gia9_no_fail", "gia9_admitted", problems)
    _at_most(e, "medals", "medal_claimants", problems)
    _at_most(e, "badge_recipients", "badge_claimants", problems)
    return problems


def _at_most(e: object, part: str, whole: str, problems: Problems) -> None:
    """`part` ≤ `whole` when both are entered."""
    a, b = getattr(e, part), getattr(e, whole)
    if a is not None and b is not None and a > b:
        problems.append(
            (part, f"«{FIELD_TITLES[part]}» ({a}) больше, чем «{FIELD_TITLES[whole]}» ({b})")
        )


def check_assessment(e: AssessmentEntry) -> Problems:
    problems: Problems = []
    _year(e.year, problems)
    if e.grade not in range(1, 12):
        problems.append(("grade", f"класс {e.grade}: допустимы 1–11"))
    if e.period not in ASSESSMENT_PERIODS:
        problems.append(("period", f"период «{e.period}» не из списка"))
    _subject(e.subject, problems)
    if len(e.class_label) > 20:
        problems.append(("class_label", "обозначение класса длиннее 20 знаков"))
    _not_negative(e, ("pupils", "achieved", "quality"), problems)
    if problems:
        return problems
    if e.achieved > e.pupils:
        problems.append(("achieved", f"успевающих ({e.achieved}) больше, чем обучающихся"))
    if e.quality > e.achieved:
        problems.append(("quality", f"на «4» и «5» ({e.quality}) больше, чем успевающих"))
    return problems


def check_target(e: TargetEntry, known_codes: set[str], unit: str) -> Problems:
    problems: Problems = []
    _year(e.year, problems)
    if e.indicator_code.split("|", 1)[0] not in known_codes:
        problems.append(("indicator_code", f"показателя «{e.indicator_code}» нет в справочнике"))
    if len(e.indicator_code) > 60:
        problems.append(("indicator_code", "код показателя длиннее 60 знаков"))
    bounds = value_bounds(unit)
    for name in ("baseline", "target"):
        value = getattr(e, name)
        problem = "" if value is None else bounds.problem(float(value))
        if problem:
            problems.append((name, problem))
    return problems


FIELD_TITLES = {
    "year": "Год",
    "grade": "Класс",
    "class_label": "Буква класса",
    "subject": "Предмет",
    "participants": "Участников",
    "n2": "«2»",
    "n3": "«3»",
    "n4": "«4»",
    "n5": "«5»",
    "lowered": "Понизили",
    "confirmed": "Подтвердили",
    "raised": "Повысили",
    "exam": "Экзамен",
    "below_min": "Ниже минимума или «2»",
    "mean_score": "Средний балл",
    "high_scorers": "80–100 баллов",
    "level": "Уровень",
    "pupils": "Обучающихся",
    "repeaters": "Оставлены на повторное обучение",
    "conditionally_promoted": "Переведены условно",
    "graduates_9": "Выпускники 9 кл.",
    "certificates_9": "Аттестаты 9 кл.",
    "graduates_11": "Выпускники 11 кл.",
    "certificates_11": "Аттестаты 11 кл.",
    "medals": "Награждены медалью",
    "gia9_admitted": "Допущены к ГИА-9",
    "gia9_no_fail": "ГИА-9 без «2» по всем экзаменам",
    "gia11_admitted": "Допущены к ГИА-11",
    "medal_claimants": "Претендовали на медаль",
    "badge_claimants": "Претендовали на знак",
    "badge_recipients": "Награждены знаком",
    "period": "Период",
    "achieved": "Успевают (без «2»)",
    "quality": "На «4» и «5»",
    "indicator_code": "Показатель",
    "baseline": "Базовое значение",
    "target": "Целевое значение",
}


def problems_text(problems: Problems) -> str:
    """One Russian message for a refused entry: every problem with its field."""
    parts = [f"«{FIELD_TITLES.get(field, field)}»: {message}" for field, message in problems]
    return "Строка не сохранена. " + "; ".join(parts) + ". Исправьте значения и сохраните снова."


@dataclass(frozen=True, slots=True)
class ResultsReport:
    """Everything the results printout and export show for one year (DTOs only)."""

    school: str
    director_name: str
    director_position: str
    year: int
    vpr: tuple[VprEntry, ...]
    gia: tuple[GiaEntry, ...]
    progression: tuple[ProgressionEntry, ...]
    indicators: tuple[Any, ...]  # services.indicators.IndicatorValue
    history: dict[str, list[tuple[int, float | None]]]
    assessment: tuple[AssessmentEntry, ...] = ()  # the year's marks by class (period "year")
