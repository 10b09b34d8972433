"""Demo teachers of a small rural school with ИППР (invented names; no real personal data)."""

from __future__ import annotations

from datetime import date, timedelta

from models import Role
from models.staff import (
    ActivityForm,
    ActivityStatus,
    DeficitArea,
    DeficitSource,
    DevelopmentActivityBase,
    DevelopmentPlanBase,
    ProfessionalDeficitBase,
    TeacherBase,
)
from services.staff.service import StaffService

# name, position, subjects, category, experience, young
TEACHERS: tuple[tuple[str, str, str, str, int, bool], ...] = (
    ("Белова Ирина Сергеевна", "учитель", "Математика", "высшая", 27, False),
    ("Горохова Наталья Викторовна", "учитель", "Русский язык, литература", "первая", 19, False),
    ("Дьячков Павел Андреевич", "учитель", "Физика, информатика", "первая", 12, False),
    ("Ерёмина Ольга Николаевна", "учитель начальных классов", "Начальные классы", "высшая",
     31, False),
    ("Жукова Марина Алексеевна", "учитель начальных классов", "Начальные классы", "", 1, True),
    ("Зайцева Татьяна Ивановна", "учитель", "История, обществознание", "первая", 15, False),
    ("Климов Денис Олегович", "учитель", "Математика", "", 2, True),
    ("Лебедева Светлана Юрьевна", "учитель", "Английский язык", "соответствие занимаемой должности",
     6, False),
    ("Мухина Елена Петровна", "учитель", "Биология, химия", "высшая", 24, False),
    ("Носова Анастасия Дмитриевна", "учитель", "Русский язык", "", 1, True),
    ("Орлов Виктор Геннадьевич", "учитель", "Физическая культура, ОБЗР", "первая", 17, False),
    ("Полякова Людмила Васильевна", "учитель", "География", "высшая", 29, False),
    ("Рыбакова Юлия Константиновна", "педагог-психолог", "", "первая", 9, False),
    ("Соколова Галина Михайловна", "учитель", "Музыка, ИЗО", "соответствие занимаемой должности",
     22, False),
    ("Третьяков Артём Романович", "учитель", "Технология, информатика", "", 3, True),
)  # fmt: skip
MENTORS = {4: 3, 6: 0, 9: 1, 14: 2}  # young specialist index → mentor index

DEFICITS: tuple[tuple[DeficitArea, str, DeficitSource], ...] = (
    (DeficitArea.METHODICAL, "Формирование функциональной грамотности на уроках",
     DeficitSource.DIAGNOSTIC),
    (DeficitArea.SUBJECT, "Решение заданий повышенного уровня ВПР (текстовые задачи)",
     DeficitSource.VPR_ANALYSIS),
    (DeficitArea.PSYCH_PED, "Работа с обучающимися с трудностями в обучении",
     DeficitSource.LESSON_VISIT),
    (DeficitArea.METHODICAL, "Объективное оценивание письменных работ", DeficitSource.SELF),
    (DeficitArea.COMMUNICATIVE, "Взаимодействие с родителями слабоуспевающих обучающихся",
     DeficitSource.SELF),
)  # fmt: skip


def _year_start(today: date) -> date:
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


class StaffDemo:
    """The staff part of the demo (school role only)."""

    def __init__(self, staff: StaffService) -> None:
        self._staff = staff

    def fill_demo(self, role: Role, today: date | None = None) -> str:
        if role is not Role.SCHOOL:
            return "Педагоги: у управления образования не заполняются."
        today = today or date.today()
        ids: list[str] = []
        for n, (name, position, subjects, category, years, young) in enumerate(TEACHERS):
            mentor = ids[MENTORS[n]] if n in MENTORS else None
            ids.append(
                self._staff.save_teacher(
                    TeacherBase(
                        full_name=name,
                        position=position,
                        subjects=subjects,
                        category=category,
                        experience_years=years,
                        is_young_specialist=young,
                        mentor_id=mentor,
                    )
                )
            )
        start = _year_start(today)
        activities = 0
        for n, teacher_id in enumerate(ids):
            if n in (7, 11):
                continue  # a few teachers have no plan yet
            activities += self._plan(teacher_id, n, start, today, n in MENTORS)
        return f"Педагоги: {len(ids)}, мероприятий ИППР: {activities}."

    def _plan(self, teacher_id: str, n: int, start: date, today: date, young: bool) -> int:
        plan_id = self._staff.save_plan(
            DevelopmentPlanBase(
                teacher_id=teacher_id,
                period_start=start,
                period_end=date(start.year + 1, 8, 31),
                goals="Устранение профессиональных дефицитов, выявленных по итогам диагностики "
                "и анализа результатов ВПР",
                approve_position="Директор",
                approve_date=start + timedelta(days=14),
            )
        )
        area, text, source = DEFICITS[n % len(DEFICITS)]
        deficit = self._staff.save_deficit(
            ProfessionalDeficitBase(plan_id=plan_id, area=area, description=text, source=source)
        )
        second = DEFICITS[(n + 2) % len(DEFICITS)]
        other = self._staff.save_deficit(
            ProfessionalDeficitBase(
                plan_id=plan_id, area=second[0], description=second[1], source=second[2]
            )
        )
        course_done = start + timedelta(days=50 + 7 * n)
        lesson = start + timedelta(days=60 + 5 * n)
        items = [
            DevelopmentActivityBase(
                plan_id=plan_id, deficit_id=deficit, form=ActivityForm.COURSE,
                title=f"Курсы ПК «{text}»", provider="Институт развития образования",
                hours=36, start_date=course_done - timedelta(days=12), end_date=course_done,
                expected_result="Применение освоенных приёмов на уроках",
                report_form="Удостоверение о ПК",
                status=ActivityStatus.DONE if course_done <= today and n % 3 else
                ActivityStatus.PLANNED,
                certificate_number=f"7827 {410200 + n}" if course_done <= today and n % 3 else "",
            ),
            DevelopmentActivityBase(
                plan_id=plan_id, deficit_id=other, form=ActivityForm.OPEN_LESSON,
                title="Открытый урок для коллег ШМО", provider="ШМО",
                start_date=lesson, end_date=lesson,
                expected_result="Методическая разработка урока", report_form="Конспект, самоанализ",
                status=ActivityStatus.DONE if n % 2 and lesson <= today else ActivityStatus.PLANNED,
            ),
            DevelopmentActivityBase(
                plan_id=plan_id, deficit_id=other, form=ActivityForm.METHODICAL_ASSOCIATION,
                title="Выступление на заседании ММО", provider="Районное методическое объединение",
                start_date=start + timedelta(days=200), end_date=start + timedelta(days=200),
                expected_result="Обмен опытом", report_form="Текст выступления",
            ),
        ]  # fmt: skip
        if young:
            items.append(
                DevelopmentActivityBase(
                    plan_id=plan_id,
                    form=ActivityForm.MENTORING,
                    title="Работа в паре «наставник — молодой специалист»",
                    start_date=start,
                    end_date=date(start.year + 1, 5, 31),
                    expected_result="Самостоятельное проведение уроков",
                    report_form="Отчёт наставника",
                    status=ActivityStatus.IN_PROGRESS,
                )
            )
        for item in items:
            self._staff.save_activity(item)
        return len(items)
