"""The risk-factor catalogue of the self-audit: versioned JSON data, loaded strictly.

The shipped version lives in `resources/catalogues/risk_factors_v<N>.json`; a district may
publish a newer version, which arrives as a `CatalogueVersion` row (kind «risk_factors»). Every
audit remembers the version it was filled with, so an old audit is read with its own catalogue.

A criterion gives 0, 1 or 2 risk points (see `level_rule` inside the file): a scale question
(0 «нет», 1 «частично», 2 «да») with the direction of risk, or a number with a unit, a range
and the thresholds from which it gives 1 and 2 points.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from models.catalogue import CatalogueKind, CatalogueVersion
from services.core.errors import AppError

log = logging.getLogger(__name__)

FILE_PATTERN = "risk_factors_v*.json"
KNOWN_FACTORS: tuple[str, ...] = tuple(f"R{n:02d}" for n in range(1, 12))
SCALE_TITLES: dict[int, str] = {0: "нет", 1: "частично", 2: "да"}
MAX_POINTS = 2


class CatalogueError(AppError):
    """A risk-factor catalogue cannot be used; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str
    factor_code: str
    kind: str  # "scale" | "number"
    question: str
    risk_when: str  # scale: "no" | "yes"; number: "higher" | "lower"
    unit: str = ""
    minimum: float = 0.0
    maximum: float = 0.0
    point1: float = 0.0  # numbers: the value from which the criterion gives 1 risk point
    point2: float = 0.0  # ... and 2 risk points
    weight: float = 1.0

    @property
    def is_scale(self) -> bool:
        return self.kind == "scale"

    def risk_points(self, score: int | None, value: float | None) -> int | None:
        """0–2 risk points for an answer, or None when the criterion is unanswered."""
        if self.is_scale:
            if score is None:
                return None
            return MAX_POINTS - score if self.risk_when == "no" else score
        if value is None:
            return None
        if self.risk_when == "higher":
            return 2 if value >= self.point2 else 1 if value >= self.point1 else 0
        return 2 if value <= self.point2 else 1 if value <= self.point1 else 0

    def range_text(self) -> str:
        """«от 0 до 100 %» for a number, «0 — нет, 1 — частично, 2 — да» for a scale."""
        if self.is_scale:
            return ", ".join(f"{k} — {v}" for k, v in SCALE_TITLES.items())
        return f"от {_num(self.minimum)} до {_num(self.maximum)} {self.unit}".strip()

    def risk_text(self) -> str:
        """How the answer turns into risk, in words for the printed forms."""
        if self.is_scale:
            return "риск при ответе «нет»" if self.risk_when == "no" else "риск при ответе «да»"
        sign = "≥" if self.risk_when == "higher" else "≤"
        return f"риск: {sign} {_num(self.point1)} — 1 балл, {sign} {_num(self.point2)} — 2 балла"


@dataclass(frozen=True, slots=True)
class Measure:
    title: str
    deadline: str = ""
    responsible: str = ""
    expected_result: str = ""


@dataclass(frozen=True, slots=True)
class Factor:
    code: str
    order: int
    title: str
    enabled_by_default: bool
    criteria: tuple[Criterion, ...]
    measures: tuple[Measure, ...]


@dataclass(frozen=True, slots=True)
class Catalogue:
    version: int
    title: str
    level_rule: str
    bounds: tuple[float, float, float]  # percent of risk from which low, medium, high begin
    factors: tuple[Factor, ...]

    def factor(self, code: str) -> Factor | None:
        return next((f for f in self.factors if f.code == code), None)

    def criterion(self, code: str) -> Criterion | None:
        return next((c for f in self.factors for c in f.criteria if c.code == code), None)

    def default_factors(self) -> tuple[Factor, ...]:
        return tuple(f for f in self.factors if f.enabled_by_default)


def _num(x: float) -> str:
    return f"{x:g}".replace(".", ",")


# -- strict parsing ----------------------------------------------------------------------------


class _Problem(Exception):
    """One thing wrong with the document (Russian), turned into a CatalogueError by the caller."""


def _field(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in obj:
        raise _Problem(f"{where}: нет поля «{key}»")
    value = obj[key]
    if isinstance(value, bool) and kind is not bool:
        raise _Problem(f"{where}: поле «{key}» имеет неверный тип")
    if not isinstance(value, kind):
        raise _Problem(f"{where}: поле «{key}» имеет неверный тип")
    if isinstance(value, str) and not value.strip():
        raise _Problem(f"{where}: поле «{key}» пустое")
    return value


def _number(obj: dict[str, Any], key: str, where: str) -> float:
    return float(_field(obj, key, (int, float), where))


def _criterion(raw: Any, factor_code: str, index: int) -> Criterion:
    where = f"фактор {factor_code}, критерий № {index}"
    if not isinstance(raw, dict):
        raise _Problem(f"{where}: ожидался объект")
    code = str(_field(raw, "code", str, where))
    where = f"фактор {factor_code}, критерий {code}"
    if not code.startswith(factor_code + "."):
        raise _Problem(f"{where}: код критерия должен начинаться с «{factor_code}.»")
    kind = _field(raw, "kind", str, where)
    question = _field(raw, "question", str, where).strip()
    risk_when = _field(raw, "risk_when", str, where)
    weight = float(raw.get("weight", 1))
    if weight <= 0:
        raise _Problem(f"{where}: вес должен быть больше нуля")
    if kind == "scale":
        if risk_when not in ("no", "yes"):
            raise _Problem(f"{where}: risk_when для вопроса — «no» или «yes»")
        return Criterion(code, factor_code, kind, question, risk_when, weight=weight)
    if kind != "number":
        raise _Problem(f"{where}: вид критерия «{kind}» неизвестен (scale или number)")
    if risk_when not in ("higher", "lower"):
        raise _Problem(f"{where}: risk_when для числа — «higher» или «lower»")
    lo, hi = _number(raw, "min", where), _number(raw, "max", where)
    points = _field(raw, "points_from", dict, where)
    p1 = _number(points, "1", where + ", points_from")
    p2 = _number(points, "2", where + ", points_from")
    ordered = p1 <= p2 if risk_when == "higher" else p1 >= p2
    if not lo < hi or not ordered or not (lo <= p1 <= hi and lo <= p2 <= hi):
        raise _Problem(f"{where}: границы min/max и пороги points_from не согласованы")
    unit = str(_field(raw, "unit", str, where))
    return Criterion(code, factor_code, kind, question, risk_when, unit, lo, hi, p1, p2, weight)


def _measure(raw: Any, where: str) -> Measure:
    if not isinstance(raw, dict):
        raise _Problem(f"{where}: мера должна быть объектом")
    return Measure(
        title=_field(raw, "title", str, where).strip(),
        deadline=str(raw.get("deadline", "")),
        responsible=str(raw.get("responsible", "")),
        expected_result=str(raw.get("expected_result", "")),
    )


def _factor(raw: Any, index: int) -> Factor:
    where = f"фактор № {index}"
    if not isinstance(raw, dict):
        raise _Problem(f"{where}: ожидался объект")
    code = _field(raw, "code", str, where)
    if code not in KNOWN_FACTORS:
        known = f"{KNOWN_FACTORS[0]}–{KNOWN_FACTORS[-1]}"
        raise _Problem(f"неизвестный фактор риска «{code}» (известны {known})")
    where = f"фактор {code}"
    criteria_raw = _field(raw, "criteria", list, where)
    if not criteria_raw:
        raise _Problem(f"{where}: нет ни одного критерия")
    measures_raw = raw.get("measures", [])
    if not isinstance(measures_raw, list):
        raise _Problem(f"{where}: поле «measures» должно быть списком")
    return Factor(
        code=code,
        order=int(_number(raw, "order", where)),
        title=_field(raw, "title", str, where).strip(),
        enabled_by_default=bool(raw.get("enabled_by_default", True)),
        criteria=tuple(_criterion(c, code, i) for i, c in enumerate(criteria_raw, 1)),
        measures=tuple(_measure(m, f"{where}, мера") for m in measures_raw),
    )


def _bounds(doc: dict[str, Any]) -> tuple[float, float, float]:
    raw = _field(doc, "level_bounds_percent", dict, "документ")
    low, medium, high = (_number(raw, k, "level_bounds_percent") for k in ("low", "medium", "high"))
    if not 0 < low < medium < high <= 100:
        raise _Problem("границы уровней должны возрастать: 0 < low < medium < high ≤ 100")
    return low, medium, high


def _document(doc: Any) -> Catalogue:
    if not isinstance(doc, dict) or doc.get("kind") != CatalogueKind.RISK_FACTORS.value:
        raise _Problem('это не справочник факторов риска (нет "kind": "risk_factors")')
    version = _field(doc, "version", int, "документ")
    if version < 1:
        raise _Problem("номер версии должен быть положительным")
    factors_raw = _field(doc, "factors", list, "документ")
    factors = tuple(_factor(f, i) for i, f in enumerate(factors_raw, 1))
    if not factors:
        raise _Problem("нет ни одного фактора")
    codes = [f.code for f in factors]
    criteria = [c.code for f in factors for c in f.criteria]
    for kind, seen in (("фактора", codes), ("критерия", criteria)):
        dupes = sorted({c for c in seen if seen.count(c) > 1})
        if dupes:
            raise _Problem(f"код {kind} «{dupes[0]}» встречается дважды")
    return Catalogue(
        version=version,
        title=_field(doc, "title", str, "документ"),
        level_rule=_field(doc, "level_rule", str, "документ"),
        bounds=_bounds(doc),
        factors=tuple(sorted(factors, key=lambda f: (f.order, f.code))),
    )


def parse_catalogue(content: str | bytes, source: str) -> Catalogue:
    """A catalogue from its JSON text; `CatalogueError` naming `source` and the problem."""
    try:
        return _document(json.loads(content))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        problem = f"файл не является корректным JSON ({exc})"
    except _Problem as exc:
        problem = str(exc)
    except (TypeError, ValueError) as exc:
        problem = f"неверное значение ({exc})"
    raise CatalogueError(
        f"Справочник факторов риска «{source}» не принят: {problem}. "
        "Восстановите файл из дистрибутива Опоры или исправьте его."
    )


def load_catalogue_file(path: Path) -> Catalogue:
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(
            f"Справочник факторов риска «{path}» не прочитан: {exc.strerror or exc}. "
            "Восстановите файл из дистрибутива Опоры."
        ) from exc
    catalogue = parse_catalogue(content, str(path))
    expected = re.search(r"_v(\d+)\.json$", path.name)
    if expected and int(expected.group(1)) != catalogue.version:
        raise CatalogueError(
            f"Справочник факторов риска «{path}» не принят: в файле версия "
            f"{catalogue.version}, а в имени файла — {expected.group(1)}."
        )
    return catalogue


def check_catalogues(directory: Path) -> list[Catalogue]:
    """Load every shipped risk-factor catalogue strictly (called at start); refuse any bad one."""
    files = sorted(directory.glob(FILE_PATTERN))
    if not files:
        raise CatalogueError(
            f"В папке «{directory}» нет справочника факторов риска ({FILE_PATTERN}). "
            "Переустановите Опору."
        )
    return [load_catalogue_file(p) for p in files]


@lru_cache(maxsize=4)
def _shipped(directory: Path) -> tuple[Catalogue, ...]:
    return tuple(sorted(check_catalogues(directory), key=lambda c: c.version))


def shipped_catalogues(catalogues_dir: Path) -> tuple[Catalogue, ...]:
    """The catalogues shipped in `catalogues_dir` (`AppPaths.catalogues_dir`), oldest first."""
    return _shipped(catalogues_dir.resolve())


def check_shipped(catalogues_dir: Path) -> None:
    """Refuse to start when a shipped catalogue is damaged (a good result is cached)."""
    shipped_catalogues(catalogues_dir)


def _published(session: Session, version: int | None) -> Catalogue | None:
    stmt = select(CatalogueVersion).where(
        CatalogueVersion.kind == CatalogueKind.RISK_FACTORS,
        col(CatalogueVersion.deleted).is_(False),
    )
    if version is not None:
        stmt = stmt.where(CatalogueVersion.version == version)
    row = session.exec(stmt.order_by(col(CatalogueVersion.version).desc())).first()
    if row is None:
        return None
    try:
        return parse_catalogue(row.content, f"версия {row.version}, опубликованная управлением")
    except CatalogueError as exc:
        log.warning("ignoring a published risk-factor catalogue: %s", exc)
        return None


def current_catalogue(session: Session, catalogues_dir: Path) -> Catalogue:
    """The newest catalogue: the latest shipped one, or a newer version the district published."""
    shipped = shipped_catalogues(catalogues_dir)[-1]
    published = _published(session, None)
    return published if published and published.version > shipped.version else shipped


def catalogue_for(session: Session, version: int, catalogues_dir: Path) -> Catalogue:
    """The catalogue an audit was filled with (falls back to the newest when it is unknown)."""
    for catalogue in shipped_catalogues(catalogues_dir):
        if catalogue.version == version:
            return catalogue
    published = _published(session, version)
    if published is not None:
        return published
    log.warning("risk-factor catalogue v%s is unknown; using the current one", version)
    return current_catalogue(session, catalogues_dir)


def known_measures(session: Session, catalogues_dir: Path) -> frozenset[tuple[str, str]]:
    """(factor code, title) of every measure of every risk-factor catalogue known here.

    The merge engine recomputes the ids of anti-risk measures from them (`sync.ownership`).
    """
    try:
        catalogues = list(shipped_catalogues(catalogues_dir))
    except CatalogueError:  # the program refuses to start then; an import finds no measures
        catalogues = []
    stmt = select(CatalogueVersion).where(CatalogueVersion.kind == CatalogueKind.RISK_FACTORS)
    for row in session.exec(stmt).all():
        try:
            catalogues.append(parse_catalogue(row.content, f"версия {row.version}"))
        except CatalogueError as exc:
            log.warning("ignoring a published risk-factor catalogue: %s", exc)
    return frozenset((f.code, m.title) for c in catalogues for f in c.factors for m in f.measures)
