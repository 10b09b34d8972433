"""The self-audit level rule and the strict risk-factor catalogue loader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from models.audit import RiskLevel
from services.audit.catalogue import (
    KNOWN_FACTORS,
    CatalogueError,
    Criterion,
    Factor,
    check_catalogues,
    load_catalogue_file,
    parse_catalogue,
)
from services.audit.levels import Answer, evaluate_factor, level_of
from tests.conftest import RESOURCES

SHIPPED = RESOURCES / "catalogues" / "risk_factors_v1.json"
BOUNDS = (20.0, 40.0, 60.0)


def shipped_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return doc


def scale(code: str, risk_when: str = "no", weight: float = 1.0) -> Criterion:
    return Criterion(code, "R01", "scale", "?", risk_when, weight=weight)


def number(code: str, risk_when: str, p1: float, p2: float) -> Criterion:
    return Criterion(code, "R01", "number", "?", risk_when, "%", 0, 100, p1, p2)


def factor(*criteria: Criterion) -> Factor:
    return Factor("R01", 1, "Оснащение", True, criteria, ())


# -- the shipped catalogue ---------------------------------------------------------------------


def test_shipped_catalogue_covers_500plus_factors() -> None:
    catalogue = load_catalogue_file(SHIPPED)
    assert catalogue.version == 1
    assert [f.code for f in catalogue.factors] == list(KNOWN_FACTORS)
    assert [f.code for f in catalogue.factors if not f.enabled_by_default] == ["R11"]
    for f in catalogue.factors:
        assert 4 <= len(f.criteria) <= 8, f.code
        assert f.measures, f.code
    total = sum(len(f.criteria) for f in catalogue.default_factors())
    assert 55 <= total <= 65
    kinds = {c.kind for f in catalogue.factors for c in f.criteria}
    assert kinds == {"scale", "number"}
    assert "от 20 % до 40 % — низкий" in catalogue.level_rule
    assert "нет ответа" in catalogue.level_rule


def test_check_catalogues_loads_directory() -> None:
    assert [c.version for c in check_catalogues(RESOURCES / "catalogues")] == [1]


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (lambda d: d["factors"][0].update(code="R99"), "неизвестный фактор риска «R99»"),
        (lambda d: d["factors"][1]["criteria"][0].pop("question"), "нет поля «question»"),
        (lambda d: d["factors"][0]["criteria"][0].update(kind="text"), "вид критерия «text»"),
        (lambda d: d["factors"][0]["criteria"][0].update(min=50), "не согласованы"),
        (lambda d: d["factors"][2].update(criteria=[]), "нет ни одного критерия"),
        (lambda d: d.update(kind="indicators"), "это не справочник факторов риска"),
        (lambda d: d["factors"][0]["criteria"].append(d["factors"][0]["criteria"][0]), "дважды"),
        (lambda d: d["level_bounds_percent"].update(medium=10), "границы уровней"),
        (lambda d: d["factors"][0]["criteria"][1].update(code="R02.9"), "должен начинаться"),
    ],
)
def test_bad_catalogue_is_refused_naming_file_and_problem(
    tmp_path: Path, mutate: Any, problem: str
) -> None:
    doc = shipped_doc()
    mutate(doc)
    bad = tmp_path / "risk_factors_v1.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        check_catalogues(tmp_path)
    assert str(bad) in str(err.value)
    assert problem in str(err.value)


def test_not_json_and_missing_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="не является корректным JSON"):
        parse_catalogue(b"{not json", "x.json")
    with pytest.raises(CatalogueError, match="нет справочника"):
        check_catalogues(tmp_path)
    wrong = tmp_path / "risk_factors_v2.json"
    wrong.write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(CatalogueError, match="в имени файла — 2"):
        load_catalogue_file(wrong)


# -- the level rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "level"),
    [
        (0.0, RiskLevel.NONE),
        (19.99, RiskLevel.NONE),
        (20.0, RiskLevel.LOW),
        (39.99, RiskLevel.LOW),
        (40.0, RiskLevel.MEDIUM),
        (59.99, RiskLevel.MEDIUM),
        (60.0, RiskLevel.HIGH),
        (100.0, RiskLevel.HIGH),
        (None, None),
    ],
)
def test_level_boundaries_belong_to_upper_level(share: float | None, level: RiskLevel) -> None:
    assert level_of(share, BOUNDS) is level


def test_scale_direction_and_unanswered_criteria() -> None:
    f = factor(scale("R01.1", "no"), scale("R01.2", "yes"), scale("R01.3"), scale("R01.4"))
    # «нет» on a no-risk question = 2 points, «нет» on a yes-risk question = 0; two unanswered
    result = evaluate_factor(f, {"R01.1": Answer(score=0), "R01.2": Answer(score=0)}, BOUNDS)
    assert (result.answered, result.total) == (2, 4)
    assert result.share == pytest.approx(50.0)
    assert result.computed is RiskLevel.MEDIUM
    assert result.completeness.value == pytest.approx(50.0)


def test_no_answer_gives_no_level() -> None:
    f = factor(scale("R01.1"), scale("R01.2"))
    result = evaluate_factor(f, {"R01.9": Answer(score=0)}, BOUNDS)
    assert result.share is None and result.computed is None and result.level is None


def test_exact_boundary_from_answers() -> None:
    # 5 criteria: one «частично» (1 point) and four «да» → 1 / 10 = 10 % → none;
    # two «частично» → 20 % exactly → low
    f = factor(*(scale(f"R01.{i}") for i in range(1, 6)))
    one = {f"R01.{i}": Answer(score=2) for i in range(1, 6)} | {"R01.1": Answer(score=1)}
    assert evaluate_factor(f, one, BOUNDS).computed is RiskLevel.NONE
    two = one | {"R01.2": Answer(score=1)}
    assert evaluate_factor(f, two, BOUNDS).share == pytest.approx(20.0)
    assert evaluate_factor(f, two, BOUNDS).computed is RiskLevel.LOW
    all_no = {f"R01.{i}": Answer(score=0) for i in range(1, 6)}
    assert evaluate_factor(f, all_no, BOUNDS).computed is RiskLevel.HIGH


@pytest.mark.parametrize(
    ("risk_when", "p1", "p2", "value", "points"),
    [
        ("higher", 10, 20, 9.99, 0),
        ("higher", 10, 20, 10, 1),
        ("higher", 10, 20, 19.9, 1),
        ("higher", 10, 20, 20, 2),
        ("lower", 90, 70, 90.1, 0),
        ("lower", 90, 70, 90, 1),
        ("lower", 90, 70, 70, 2),
        ("lower", 90, 70, 0, 2),
    ],
)
def test_number_bands(risk_when: str, p1: float, p2: float, value: float, points: int) -> None:
    assert number("R01.1", risk_when, p1, p2).risk_points(None, value) == points
    assert number("R01.1", risk_when, p1, p2).risk_points(None, None) is None


def test_weights_count_in_the_share() -> None:
    f = factor(scale("R01.1", weight=3), scale("R01.2", weight=1))
    result = evaluate_factor(f, {"R01.1": Answer(score=0), "R01.2": Answer(score=2)}, BOUNDS)
    assert result.share == pytest.approx(75.0)
    assert result.computed is RiskLevel.HIGH
