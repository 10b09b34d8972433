"""The checks of an import: pure functions over the run's state and a package (DESIGN §7).

Each check returns a `Refusal` (the package is stopped: refused, quarantined or already
imported) or None; none of them reads or writes the database. The engine runs them in the order
of `services.sync.engine`: identity (setup, recipient, kind, already imported, the signer's
trust), sequence, schema, scope (what binding the rows refused), counts, ownership (the table
of `services.sync.ownership`, over the whole package), fork.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime

from models import Peer, Role, SyncState
from services.core.hlc import MAX_FORWARD_DRIFT_MS, Stamp
from services.packages.types import Manifest, PackageKind, VerifiedPackage
from services.sync.bind import Rows, plan_for
from services.sync.merge import ScopeViolation
from services.sync.merge_pg import connection_lost
from services.sync.ownership_checks import (
    Measures,
    OwnerLookup,
    OwnershipViolation,
    PackageRows,
    check_package,
)
from services.sync.report import Code, SeqStatus, Verdict
from services.sync.trust import Standing, introduces, key_standing, stranger

YEAR_2010_MS = 1262304000000


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a package stops before its first write, and what its report says."""

    verdict: Verdict
    reason: str
    code: str = ""  # a `report.Code`
    seq_status: SeqStatus | None = None  # set on the report when the check decided it
    unknown_signer: bool = False  # the report's signature verdict becomes "unknown-key"
    detail: str = ""  # the precise reason behind `code`, where it has one


@dataclass(slots=True)
class RunState:
    """What the checks of every package of a run consult.

    Read once when the run starts (`ledger.load_state`) and kept up to date by the run itself:
    its transaction holds the database, so nobody else changes it.
    """

    own: str | None = None  # this site's id and role
    role: str | None = None
    peers: dict[str, list[Peer]] = field(default_factory=dict)  # site id → its peer rows
    applied: set[str] = field(default_factory=set)  # SHA-256 of every package applied here
    applied_seqs: set[tuple[str, int | None]] = field(default_factory=set)  # (sender, seq)
    states: dict[str, SyncState] = field(default_factory=dict)  # sender → sequence state
    locked: set[str] = field(default_factory=set)  # senders whose sequence lock the run holds


NOT_SET_UP = Refusal(
    Verdict.REFUSED,
    "Программа ещё не настроена: выполните «python main.py init».",
    Code.NOT_SET_UP,
)


def check_identity(state: RunState, pkg: VerifiedPackage) -> Refusal | None:
    """Addressed to us, of the kind we take, not applied before, signed by a trusted key."""
    m = pkg.manifest
    if state.own is None or state.role is None:
        return NOT_SET_UP
    if m.recipient_id != state.own:
        return Refusal(
            Verdict.REFUSED,
            "Пакет адресован другой организации. Попросите отправителя сформировать пакет "
            "для вашей организации.",
            Code.WRONG_RECIPIENT,
        )
    wanted = (
        PackageKind.SCHOOL_REPORT if state.role == Role.DISTRICT else PackageKind.DISTRICT_BULLETIN
    )
    if m.kind != wanted:
        return Refusal(Verdict.REFUSED, "Пакет такого вида здесь не принимается.", Code.WRONG_KIND)
    if pkg.file_sha256 in state.applied:
        return Refusal(
            Verdict.ALREADY,
            "Этот пакет уже импортирован; ничего не изменено.",
            Code.ALREADY,
            SeqStatus.ALREADY,
        )
    return check_signer(state, pkg)


def check_signer(state: RunState, pkg: VerifiedPackage) -> Refusal | None:
    """The signer's standing under the trust policy (`trust.key_standing`)."""
    m = pkg.manifest
    standing = key_standing(state.peers.get(m.sender_id, []), m.key_id, m.seq)
    if standing.standing is Standing.REVOKED:
        limit = standing.limit
        up_to = f" (принимаются только пакеты до № {limit})" if limit is not None else ""
        if m.kind == PackageKind.DISTRICT_BULLETIN:  # the district changed its key
            text = (
                f"Прежний ключ управления заменён новым{up_to}. Рассылка № {m.seq} подписана "
                "прежним ключом и не принята, ничего не изменено. Сообщите об этом в управление."
            )
        else:
            text = (
                f"Ключ отправителя отозван управлением{up_to}. Пакет № {m.seq} не принят. Если "
                "школа работает на новом компьютере, подтвердите её новый ключ."
            )
        return Refusal(Verdict.REFUSED, text, Code.REVOKED)
    if standing.standing is Standing.TRUSTED and pkg.signer_known:
        if introduces(state.peers.get(m.sender_id, []), m.successor):
            return DISTRICT_KEY_CHANGE
        return None
    if m.successor is not None:  # only the trusted key may introduce a new one
        return FORGED_INTRODUCTION
    return quarantine_stranger(state, pkg)


# Nothing of the bulletin is applied until a person confirms the new key by phone; the new
# fingerprint is typed, never shown (the command line adds its own `enroll` line).
DISTRICT_KEY_CHANGE = Refusal(
    Verdict.QUARANTINED,
    "Управление образования сменило свой ключ: эта рассылка подписана прежним ключом и сообщает "
    "новый. Рассылка пока не загружена. Позвоните в управление по известному вам номеру, "
    "попросите прочитать отпечаток нового ключа с экрана программы и введите его в окне, "
    "которое откроется при загрузке рассылки на экране «Обмен с управлением».",
    Code.DISTRICT_KEY_CHANGE,
)
NEW_DISTRICT_KEY = Refusal(
    Verdict.QUARANTINED,
    "Рассылка подписана новым ключом управления, который здесь ещё не подтверждён. Она отложена; "
    "сначала загрузите рассылку, которая сообщает новый ключ (она подписана прежним), — тогда "
    "загрузится и эта. Если той рассылки нет, позвоните в управление по известному вам номеру "
    "и попросите прислать её.",  # the command line adds its own `enroll` line (sync_cmds.py)
    Code.QUARANTINED_NEW_KEY,
    unknown_signer=True,
)
FORGED_INTRODUCTION = Refusal(
    Verdict.REFUSED,
    "Пакет сообщает о новом ключе, но подписан ключом, который здесь не подтверждён. Такой "
    "пакет не принимается, ничего не изменено. Сообщите об этом отправителю по телефону.",
    Code.UNKNOWN_SENDER,
    unknown_signer=True,
)


# How to confirm a key: the methodist types what the school reads out. The program never shows
# the fingerprint of a key it does not trust yet, so it can never be copied from the screen.
CONFIRM_HOW = (
    "Сверьте отпечаток по телефону: попросите школу прочитать отпечаток её ключа (он в её окне "
    "«Обмен с управлением» и на сопроводительном листе, подписанном директором) и введите его "
    "в окне «Импорт пакетов» на вкладке «Карантин» кнопкой «{button}»."
)  # the command line adds its own `enroll` line (ui/cli/sync_cmds.py)


def quarantine_stranger(state: RunState, pkg: VerifiedPackage) -> Refusal:
    """A package signed by a key not confirmed here waits for a person (never its fingerprint).

    A new key of a school whose key is trusted (a reinstall, or a forgery) and another
    installation with the code of an enrolled school each get their own reason.
    """
    m = pkg.manifest
    card = m.sender_card
    kind = stranger(state.peers, m.sender_id, m.key_id, card.code if card else "")
    if kind.new_key and m.kind == PackageKind.DISTRICT_BULLETIN:
        return NEW_DISTRICT_KEY
    if kind.new_key:
        return Refusal(
            Verdict.QUARANTINED,
            "Новый ключ уже подтверждённой школы: переустановка программы или подделка. Пакет "
            "отложен в карантин. Позвоните в школу и узнайте, переустанавливали ли программу. "
            + CONFIRM_HOW.format(button="Заменить ключ школы…"),
            Code.QUARANTINED_NEW_KEY,
            unknown_signer=True,
        )
    if kind.same_code is not None:
        return Refusal(
            Verdict.QUARANTINED,
            f"Ещё одна установка с кодом {kind.same_code.code}: школа «{kind.same_code.name}» "
            "с этим кодом уже подтверждена, а этот пакет прислала другая установка программы. "
            "Пакет отложен в карантин; с данными подтверждённой школы он не смешивается. "
            "Выясните у школы, какая установка настоящая. "
            + CONFIRM_HOW.format(button="Подтвердить ключ школы…"),
            Code.QUARANTINED_SECOND_INSTALL,
            unknown_signer=True,
        )
    return Refusal(
        Verdict.QUARANTINED,
        "Пакет подписан ещё не подтверждённым ключом и отложен в карантин. "
        + CONFIRM_HOW.format(button="Подтвердить ключ школы…"),
        Code.QUARANTINED_UNKNOWN_KEY,
        unknown_signer=True,
    )


def seq_status(state: RunState, m: Manifest) -> SeqStatus:
    """Where package № seq stands in its sender's sequence."""
    if (m.sender_id, m.seq) in state.applied_seqs:
        return SeqStatus.FORK
    known = state.states.get(m.sender_id)
    last = known.last_seq if known else 0
    if m.seq == last + 1:
        return SeqStatus.NEW
    return SeqStatus.GAP if m.seq > last else SeqStatus.OUT_OF_ORDER


def check_schema(m: Manifest, known: Collection[str]) -> Refusal | None:
    """Refuse a schema newer than this program's (one it does not know)."""
    if m.schema in known:
        return None
    return Refusal(
        Verdict.REFUSED,
        f"Пакет создан более новой версией Опоры (версия программы {m.app_version}, схема "
        f"«{m.schema}»). Обновите Опору до версии {m.app_version} или новее и повторите импорт.",
        Code.NEWER_SCHEMA,
    )


def schema_warning(m: Manifest, records_changed: bool) -> str | None:
    if not records_changed:
        return None
    return (
        f"Пакет создан более старой версией Опоры (схема «{m.schema}»); записи преобразованы "
        "к текущей схеме."
    )


def row_refusal(exc: ValueError) -> Refusal:
    """A record refused while binding or merging: out of the sender's scope, or invalid."""
    if isinstance(exc, OwnershipViolation):
        return ownership_refusal(exc)
    if isinstance(exc, ScopeViolation):
        return Refusal(
            Verdict.REFUSED, f"Нарушение границ данных: {exc}. Пакет не принят.", Code.SCOPE
        )
    return Refusal(
        Verdict.REFUSED, f"Неверная запись в пакете: {exc}. Пакет не принят.", Code.RECORD
    )


def check_counts(declared: dict[str, int], held: dict[str, int]) -> Refusal | None:
    """The records per table the payload held equal the manifest's record counts."""
    if {t: n for t, n in declared.items() if n} == {t: n for t, n in held.items() if n}:
        return None
    return Refusal(
        Verdict.REFUSED,
        "Число записей в пакете не совпадает с заявленным в его описании. Пакет повреждён; "
        "попросите отправителя сформировать его заново.",
        Code.DAMAGED,
        detail="counts",
    )


def sender_role(m: Manifest) -> Role:
    """What the sender is: schools send reports, the district sends bulletins."""
    return Role.SCHOOL if m.kind == PackageKind.SCHOOL_REPORT else Role.DISTRICT


def named_rows(rows: Rows) -> PackageRows:
    return {t: (plan_for(t).spec.columns, items) for t, items in rows.items()}


def check_ownership(
    m: Manifest, rows: Rows, owners: OwnerLookup, measures: Measures = (), *, ids: bool = True
) -> Refusal | None:
    """Every row of the package is one its sender may write (`ownership.OWNERSHIP`).

    `owners` gives the stored owner of ids the package points at; the engine reads them in the
    run's transaction, so this check itself touches no database. `ids=False`: the reader has
    checked the writer and ids already.
    """
    try:
        check_package(named_rows(rows), m.sender_id, sender_role(m), owners, measures, ids=ids)
    except OwnershipViolation as exc:
        return ownership_refusal(exc)
    return None


def ownership_refusal(exc: OwnershipViolation) -> Refusal:
    return Refusal(
        Verdict.REFUSED,
        f"Нарушение границ данных: {exc}. Пакет не принят, ничего не изменено.",
        "scope",
    )


def check_fork(status: SeqStatus, seq: int) -> Refusal | None:
    """The same number from the same sender with other contents waits for a person."""
    if status is not SeqStatus.FORK:
        return None
    return Refusal(
        Verdict.QUARANTINED,
        f"Пакет № {seq} уже получен от этого отправителя с другим содержимым (восстановленная "
        "копия, вторая установка или похищенный ключ). Пакет отложен в карантин; свяжитесь со "
        "школой, прежде чем принимать решение.",
        Code.FORK,
    )


def clock_warning(top: Stamp | None, now_ms: int) -> str | None:
    """A sender's clock far behind or ahead, judged by the newest stamp in its package."""
    if top is None:
        return None
    if top.physical < YEAR_2010_MS:
        year = datetime.fromtimestamp(top.physical / 1000, UTC).year
        return (
            f"Часы компьютера отправителя, похоже, отстают (год {year}). Данные приняты; "
            "попросите отправителя проверить дату и время."
        )
    if top.physical > now_ms + MAX_FORWARD_DRIFT_MS:
        year = datetime.fromtimestamp(min(top.physical, 2**42) / 1000, UTC).year
        return (
            f"Часы компьютера отправителя спешат (год {year}). Данные приняты, но часы этой "
            "программы не переведены вперёд; попросите отправителя проверить дату."
        )
    return None


# -- failures of the whole run (the database refused a write) ---------------------------------

MISSING_REFERENCE = Refusal(
    Verdict.REFUSED,
    "Пакет ссылается на отсутствующую запись; импорт отменён, ничего не изменено.",
    Code.RECORD,
)
BROKEN_CONSTRAINT = Refusal(
    Verdict.REFUSED,
    "Неверная запись в пакете нарушила правила базы данных. Импорт отменён, ничего не изменено. "
    "Сообщите об этом разработчикам Опоры и приложите файл пакета.",
    Code.RECORD,
)


def storage_refusal(exc: Exception) -> Refusal:
    """A write the database refused (an `SQLAlchemyError` or `sqlite3.Error`)."""
    cause = str(getattr(exc, "orig", exc))[:200]
    if connection_lost(exc):
        text = (
            "Связь с сервером базы данных прервалась, импорт не сохранён: ничего не изменено. "
            "Проверьте подключение к серверу и повторите импорт."
        )
    elif "full" in cause:
        text = (
            "На диске не хватает места, данные не записаны. Ничего не изменено. "
            "Освободите место на диске и повторите импорт."
        )
    else:
        text = (
            f"Не удалось записать данные ({cause}). Ничего не изменено. Проверьте свободное "
            "место на диске и доступ к папке данных, затем повторите импорт."
        )
    return Refusal(Verdict.REFUSED, text, Code.STORAGE)
