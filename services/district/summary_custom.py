"""The district's own indicators in the справка: which they are, their units, their cells.

«Сводка» lists the indicators the district defined by formula after the shipped key indicators
(`services.district.summary`); the справка's PDF gives them a table of their own under the
schools' table (the landscape page holds the key columns already), and the workbook gives them
columns named after them, numbers in their own unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from services.core.ratio import Ratio
from services.district.summary import DistrictSummary, SchoolSummary, pct
from services.documents.pdf import Styles, esc, grid_table
from services.indicators.compute import KEY_INDICATORS
from services.indicators.units import UnitKind, unit_kind

PER_TABLE = 6  # indicator columns per table: wider names would not fit the landscape page
PERCENT_FORMAT = "0.0%"  # the format of the shipped indicators' cells in the workbook
NUMBER_FORMATS = {UnitKind.PERCENT: PERCENT_FORMAT, UnitKind.COUNT: "0", UnitKind.NUMBER: "0.0"}


@dataclass(frozen=True, slots=True)
class DistrictColumn:
    """One indicator the district defined, as a column of the справка."""

    code: str
    name: str
    unit: str

    @property
    def kind(self) -> UnitKind:
        return unit_kind(self.unit)

    @property
    def header(self) -> str:
        return f"{self.name}, {self.unit}" if self.unit else self.name

    @property
    def number_format(self) -> str:
        return NUMBER_FORMATS[self.kind]

    def text(self, ratio: Ratio | None) -> str:
        """The value as the PDF prints it: «78,6», «250» for a count, «—» without data."""
        value = None if ratio is None else ratio.value
        if value is not None and self.kind is UnitKind.COUNT:
            return f"{value:.0f}"
        return pct(ratio)

    def number(self, ratio: Ratio | None) -> float | None:
        """The value of a workbook cell: a fraction for a share (percent format), else as is."""
        value = None if ratio is None else ratio.value
        if value is None:
            return None
        return round(value / 100.0, 6) if self.kind is UnitKind.PERCENT else round(value, 6)


def district_columns(summary: DistrictSummary) -> list[DistrictColumn]:
    """The district's own indicators shown in «Сводка», in its order."""
    units: dict[str, str] = {}
    for school in summary.schools:
        for v in school.indicators:
            units.setdefault(v.code, v.unit)
    return [
        DistrictColumn(code, name, units.get(code, "%"))
        for code, name, _better in summary.indicator_names
        if code not in KEY_INDICATORS
    ]


def district_tables(
    st: Styles, summary: DistrictSummary, width: float, fills: tuple[Any, Any]
) -> list[Flowable]:
    """Tables of the district's own indicators per school, at most `PER_TABLE` columns each.

    `fills` are the backgrounds of a value flagged this year and of one flagged two years
    running, as in the schools' table.
    """
    columns = district_columns(summary)
    if not columns:
        return []
    story: list[Flowable] = [
        Spacer(1, 4 * mm),
        Paragraph("<b>Показатели, установленные районом</b>", st.body),
    ]
    tables = -(-len(columns) // PER_TABLE)
    size = -(-len(columns) // tables)  # seven indicators: 4 + 3, not 6 + 1
    for start in range(0, len(columns), size):
        chunk = columns[start : start + size]
        story += [Spacer(1, 2 * mm), _table(st, summary, chunk, width, fills)]
    return [*story, Spacer(1, 2 * mm)]


def _table(
    st: Styles,
    summary: DistrictSummary,
    columns: Sequence[DistrictColumn],
    width: float,
    fills: tuple[Any, Any],
) -> Flowable:
    small = ParagraphStyle("district_head", parent=st.cell_bold, fontSize=8, leading=9.5)
    head = ["№", "Школа", *(c.header for c in columns)]
    rows: list[list[Any]] = [[Paragraph(esc(h), small) for h in head]]
    style: list[tuple[Any, ...]] = [("ALIGN", (2, 1), (-1, -1), "CENTER")]
    for n, school in enumerate(summary.schools, start=1):
        rows.append([str(n), Paragraph(esc(school.name), st.cell), *_cells(school, columns)])
        style += _flag_fills(school, columns, n, fills)
    district = [c.text(summary.district_value(c.code)) for c in columns]
    rows.append(["", Paragraph("<b>По району</b>", st.cell), *district])
    value_width = 36 * mm
    widths = [8 * mm, width - 8 * mm - value_width * PER_TABLE, *([value_width] * len(columns))]
    return grid_table(rows, widths, extra_style=style)


def _cells(school: SchoolSummary, columns: Sequence[DistrictColumn]) -> list[str]:
    return [c.text(v.ratio) if (v := school.indicator(c.code)) else "—" for c in columns]


def _flag_fills(
    school: SchoolSummary, columns: Sequence[DistrictColumn], row: int, fills: tuple[Any, Any]
) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    for k, column in enumerate(columns, start=2):
        if column.code in school.flagged:
            fill = fills[1] if column.code in school.persistent else fills[0]
            found.append(("BACKGROUND", (k, row), (k, row), fill))
    return found
