"""ThresholdService: thresholds per year and publishing of the shipped catalogues."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from models import stable_id
from models.catalogue import CatalogueKind, CatalogueVersion, Comparison, Threshold
from services.app import Services
from services.audit import catalogue as audit_catalogue
from services.core.errors import Invalid, NotFound
from services.district.demo import EXAMPLE_THRESHOLDS
from services.district.thresholds import ThresholdDraft, ThresholdService
from services.indicators.catalogue import catalogue
from services.indicators.thresholds import load_thresholds
from tests.conftest import BOTH_ENGINES

pytestmark = BOTH_ENGINES


@pytest.fixture
def svc(district: Services) -> ThresholdService:
    return ThresholdService(district.db, district.paths.catalogues_dir)


def draft(code: str = "VPR_FAIL", value: float = 25.0, **kw: object) -> ThresholdDraft:
    args: dict[str, object] = {
        "year": 2025,
        "indicator_code": code,
        "comparison": Comparison.GT,
        "value": value,
    }
    args.update(kw)
    return ThresholdDraft(**args)  # type: ignore[arg-type]


def test_services_field_is_wired(district: Services) -> None:
    district.thresholds.save(draft())
    assert [t.indicator_code for t in district.thresholds.for_year(2025)] == ["VPR_FAIL"]


def test_save_creates_one_row_per_year_and_indicator(svc: ThresholdService, district: Services):
    first = svc.save(draft(value=25, note="  старое  "))
    assert first.id == stable_id("threshold", "VPR_FAIL", 2025)
    assert first.note == "старое"
    second = svc.save(draft(value=30, comparison=Comparison.GE, note="новое"))
    assert second.id == first.id
    items = svc.for_year(2025)
    assert len(items) == 1
    assert (items[0].value, items[0].comparison, items[0].note) == (30, Comparison.GE, "новое")
    assert items[0].condition == "≥ 30 %"
    assert items[0].name == "Доля отметок «2» по ВПР"
    svc.save(draft(year=2026))
    assert [t.year for t in load_thresholds_all(district)] == [2025, 2026]


def load_thresholds_all(district: Services) -> list[Threshold]:
    with district.db.session() as s:
        return list(s.exec(select(Threshold).order_by(col(Threshold.year))))


def test_rows_are_district_owned_and_read_by_indicators(svc: ThresholdService, district: Services):
    svc.save(draft(value=12.5))
    with district.db.session() as s:
        row = s.exec(select(Threshold)).one()
        assert row.owner == district.site.profile().site.id
        assert row.hlc
        reads = load_thresholds(s, 2025)
    assert reads[0].holds(13) and not reads[0].holds(12.5)
    assert reads[0].text() == "> 12,5"


def test_listing_follows_catalogue_order(svc: ThresholdService, district: Services):
    for code in ("TEACHER_PK", "VPR_FAIL|Математика", "ROADMAP_EXEC", "VPR_FAIL"):
        svc.save(draft(code, 10, comparison="<"))
    with district.db.session() as s:
        order = [d.code for d in catalogue(s, district.paths.catalogues_dir)]
    listed = [t.indicator_code for t in svc.for_year(2025)]
    assert listed == ["ROADMAP_EXEC", "VPR_FAIL", "VPR_FAIL|Математика", "TEACHER_PK"]
    codes = [c.split("|")[0] for c in listed]
    assert codes == sorted(codes, key=order.index)
    assert svc.for_year(2025)[2].name.endswith(": Математика")
    assert svc.for_year(2024) == []
    assert svc.years() == [2025]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"code": "NO_SUCH"}, "«NO_SUCH» неизвестен"),
        ({"value": 100.5}, "от 0 до 100"),
        ({"value": -1}, "от 0 до 100"),
        ({"value": float("nan")}, "от 0 до 100"),
        ({"comparison": "=="}, "Условие «==» неизвестно"),
        ({"year": 1900}, "Год 1900"),
        ({"code": "CERT_9|Математика"}, "не считается по отдельным предметам"),
        ({"code": "VPR_FAIL|  "}, "Укажите предмет"),
        ({"note": "я" * 501}, "длиннее 500"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    svc: ThresholdService, district: Services, kwargs: dict[str, Any], fragment: str
) -> None:
    svc.save(draft(value=20))
    before = district.db.change_count
    with pytest.raises(Invalid, match=fragment):
        svc.save(draft(**kwargs))
    assert district.db.change_count == before
    assert [(t.indicator_code, t.value) for t in svc.for_year(2025)] == [("VPR_FAIL", 20)]


def test_bounds_are_accepted(svc: ThresholdService) -> None:
    assert svc.save(draft(value=0)).value == 0
    assert svc.save(draft(value=100)).value == 100


def test_delete_writes_a_tombstone_and_readding_revives(svc: ThresholdService, district: Services):
    item = svc.save(draft())
    svc.delete(item.id)
    assert svc.for_year(2025) == []
    with district.db.session() as s:
        row = s.get(Threshold, item.id)
        assert row is not None and row.deleted
        assert load_thresholds(s) == []
    with pytest.raises(NotFound):
        svc.delete(item.id)
    with pytest.raises(NotFound):
        svc.delete("no-such-id")
    again = svc.save(draft(value=33))
    assert again.id == item.id and again.value == 33
    assert len(load_thresholds_all(district)) == 1


def test_inherited_thresholds_of_earlier_years(svc: ThresholdService) -> None:
    svc.save(draft("VPR_FAIL", 20, year=2023))
    svc.save(draft("VPR_FAIL", 25, year=2024))
    svc.save(draft("ROADMAP_EXEC", 40, year=2024, comparison="<"))
    svc.save(draft("ROADMAP_EXEC", 50, year=2026, comparison="<"))
    svc.save(draft("TEACHER_PK", 50, year=2027, comparison="<"))
    got = [(t.indicator_code, t.year, t.value) for t in svc.inherited(2026)]
    assert got == [("VPR_FAIL", 2024, 25)]
    assert [(t.indicator_code, t.year) for t in svc.inherited(2025)] == [
        ("ROADMAP_EXEC", 2024),
        ("VPR_FAIL", 2024),
    ]
    assert svc.inherited(2023) == []


def test_copy_previous_year_is_idempotent(svc: ThresholdService, district: Services):
    with pytest.raises(Invalid, match="За 2024 год порогов нет"):
        svc.copy_previous_year(2025)
    svc.save(draft("VPR_FAIL", 25, year=2024, note="н"))
    svc.save(draft("ROADMAP_EXEC", 40, year=2024, comparison="<"))
    svc.save(draft("ROADMAP_EXEC", 50, year=2025, comparison="<"))  # kept as it is
    assert svc.copy_previous_year(2025) == 1
    after = {t.indicator_code: t for t in svc.for_year(2025)}
    assert after["VPR_FAIL"].value == 25 and after["VPR_FAIL"].note == "н"
    assert after["ROADMAP_EXEC"].value == 50
    before = district.db.change_count
    assert svc.copy_previous_year(2025) == 0
    assert district.db.change_count == before
    assert len(svc.for_year(2024)) == 2


def test_fill_examples_uses_demo_defaults_and_editing_clears_the_flag(
    svc: ThresholdService,
) -> None:
    svc.save(draft("VPR_FAIL", 15))  # the district's own value is not replaced
    added = svc.fill_examples(2025)
    assert added == len(EXAMPLE_THRESHOLDS) - 1
    items = {t.indicator_code: t for t in svc.for_year(2025)}
    assert items["VPR_FAIL"].value == 15 and not items["VPR_FAIL"].is_example
    for code, comparison, value, note in EXAMPLE_THRESHOLDS[1:]:
        t = items[code]
        assert (t.comparison, t.value, t.note, t.is_example) == (comparison, value, note, True)
    assert svc.fill_examples(2025) == 0
    code, comparison, value, _note = EXAMPLE_THRESHOLDS[1]
    edited = svc.save(draft(code, value, comparison=comparison))
    assert not edited.is_example


def test_demo_rows_are_updated_not_duplicated(svc: ThresholdService, district: Services) -> None:
    owner = district.site.profile().site.id
    demo_id = stable_id("threshold", owner, "VPR_FAIL", 2025)
    with district.db.session() as s:
        s.add(Threshold(id=demo_id, owner=owner, year=2025, indicator_code="VPR_FAIL",
                        comparison=Comparison.GT, value=25, is_example=True))  # fmt: skip
    assert svc.fill_examples(2025) == len(EXAMPLE_THRESHOLDS) - 1
    item = svc.save(draft(value=20))
    assert item.id == demo_id
    assert [t.value for t in svc.for_year(2025) if t.indicator_code == "VPR_FAIL"] == [20]


# -- catalogues --------------------------------------------------------------------------------


def test_catalogue_listing_and_publishing(
    svc: ThresholdService, district: Services, catalogues_dir: Path
) -> None:
    entries = svc.catalogues()
    assert [(e.kind, e.version) for e in entries] == [
        (CatalogueKind.INDICATORS, 1),
        (CatalogueKind.RISK_FACTORS, 1),
    ]
    assert not any(e.published or e.problem for e in entries)
    assert entries[0].title == "Показатели результатов школы (версия 1)"
    assert svc.publish("risk_factors", 1) is True
    state = {e.kind: e.published for e in svc.catalogues()}
    assert state == {CatalogueKind.INDICATORS: False, CatalogueKind.RISK_FACTORS: True}
    before = district.db.change_count
    assert svc.publish("risk_factors", 1) is False
    assert district.db.change_count == before
    with district.db.session() as s:
        row = s.get(CatalogueVersion, stable_id("catalogue", "risk_factors", 1))
        assert row is not None and row.owner == district.site.profile().site.id
        shipped = json.loads((catalogues_dir / "risk_factors_v1.json").read_text("utf-8"))
        assert json.loads(row.content) == shipped
        assert audit_catalogue.catalogue_for(s, 1, catalogues_dir).version == 1
    with pytest.raises(NotFound, match="версии 7"):
        svc.publish("indicators", 7)


def test_published_newer_version_is_used_by_the_loaders(
    tmp_path: Path, district: Services, catalogues_dir: Path
):
    doc = json.loads((catalogues_dir / "indicators_v1.json").read_text("utf-8"))
    doc["version"] = 2
    doc["indicators"][0]["name"] = "Исполнение дорожной карты (версия 2)"
    (tmp_path / "indicators_v2.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    svc = ThresholdService(district.db, tmp_path)
    assert svc.publish("indicators", 2)
    with district.db.session() as s:
        names = {d.code: d.name for d in catalogue(s, catalogues_dir)}
    assert names["ROADMAP_EXEC"] == "Исполнение дорожной карты (версия 2)"


def _bad_copy(shipped: Path, tmp_path: Path, name: str, text: str) -> None:
    for f in shipped.glob("*.json"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / name).write_text(text, "utf-8")


@pytest.mark.parametrize(
    ("name", "text", "fragment"),
    [
        ("indicators_v3.json", "{not json", "не является корректным JSON"),
        ("indicators_v3.json", '{"kind": "indicators", "version": 4}', "версия 4"),
        ("indicators_v3.json", '{"kind": "risk_factors", "version": 3}', '"kind": "indicators"'),
        ("indicators_v3.json", '{"kind": "indicators", "version": 3}', "повреждён"),
        ("risk_factors_v3.json", '{"kind": "risk_factors", "version": 3}', "не принят"),
    ],
)
def test_malformed_file_is_refused(
    tmp_path: Path, catalogues_dir: Path, district: Services, name: str, text: str, fragment: str
) -> None:
    _bad_copy(catalogues_dir, tmp_path, name, text)
    svc = ThresholdService(district.db, tmp_path)
    kind, version = name.removesuffix(".json").rsplit("_v", 1)
    entry = next(e for e in svc.catalogues() if e.file_name == name)
    assert fragment in entry.problem and not entry.published
    before = district.db.change_count
    with pytest.raises(Invalid, match=fragment.replace('"', ".").replace("{", ".")):
        svc.publish(kind, int(version))
    assert district.db.change_count == before
    assert svc.publish("indicators", 1)  # the good ones are still publishable


def test_bulletin_carries_thresholds_tombstones_and_published_catalogues(
    svc: ThresholdService, district: Services
) -> None:
    from services.district.bulletin import bulletin_records

    kept = svc.save(draft("VPR_FAIL", 25))
    gone = svc.save(draft("ROADMAP_EXEC", 40, comparison="<"))
    svc.delete(gone.id)
    svc.publish("indicators", 1)
    district_id = district.site.profile().site.id
    with district.db.session() as s:
        records = bulletin_records(s, district_id, "any-school")
    rows = {(r.table, r.row["id"]): r.row for r in records}
    assert rows[("threshold", kept.id)]["value"] == 25
    assert rows[("threshold", gone.id)]["deleted"] is True
    cid = stable_id("catalogue", "indicators", 1)
    assert json.loads(rows[("catalogue_version", cid)]["content"])["version"] == 1
