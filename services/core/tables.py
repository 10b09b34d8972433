"""Russian names of the synced tables, for reports, cover sheets and import reports."""

from __future__ import annotations

TABLE_TITLES: dict[str, str] = {
    "site": "Организация",
    "school_status": "Статус школы",
    "school_curator": "Кураторы школ",
    "catalogue_version": "Справочники",
    "indicator_definition": "Показатели управления",
    "threshold": "Пороговые значения",
    "roadmap": "Дорожные карты",
    "roadmap_section": "Разделы дорожных карт",
    "roadmap_item": "Мероприятия дорожных карт",
    "roadmap_occurrence": "Сроки мероприятий дорожных карт",
    "protocol": "Протоколы",
    "protocol_agenda_item": "Повестки протоколов",
    "protocol_decision": "Решения протоколов",
    "programme_staff": "Кадровое обеспечение программ",
    "self_audit": "Самоаудит",
    "audit_answer": "Ответы самоаудита",
    "risk_assessment": "Оценки факторов риска",
    "teacher": "Педагоги",
    "development_plan": "ИППР",
    "professional_deficit": "Профессиональные дефициты",
    "development_activity": "Мероприятия ИППР",
    "vpr_result": "Результаты ВПР",
    "gia_result": "Результаты ГИА",
    "progression": "Переводы и выпуск",
    "assessment_result": "Успеваемость и качество знаний",
    "indicator_target": "Целевые показатели",
    "district_comment": "Комментарии управления",
}


def table_title(name: str) -> str:
    return TABLE_TITLES.get(name, name)
