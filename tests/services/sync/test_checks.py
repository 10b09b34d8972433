"""The import checks as pure functions over a run's state and a package (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from models import Peer, PeerStatus, Role, SyncState
from services.core.hlc import MAX_FORWARD_DRIFT_MS, Stamp
from services.packages.keys import normalize_fingerprint
from services.packages.types import PackageKind, VerifiedPackage
from services.sync import checks
from services.sync.checks import Refusal, RunState
from services.sync.merge import ScopeViolation
from services.sync.report import SeqStatus, Verdict
from services.sync.rows import RowInvalid
from tests.services.sync_support import card, package

SCHOOL = "11111111-1111-4111-8111-111111111111"
ME = "22222222-2222-4222-8222-222222222222"


def _peer(status: PeerStatus, up_to: int | None = None, key_id: str = "") -> Peer:
    c = card(SCHOOL, key_id=key_id)
    return Peer(site_id=SCHOOL, role=Role.SCHOOL, name=c.name, code=c.code,
                signing_key=c.signing_key, key_id=c.key_id, age_recipient=c.age_recipient,
                fingerprint=c.fingerprint,
                status=status, accept_up_to_seq=up_to, added_at=datetime.now(UTC))  # fmt: skip


def _state(*peers: Peer, last_seq: int | None = None) -> RunState:
    state = RunState(own=ME, role=Role.DISTRICT.value, peers={SCHOOL: list(peers)})
    if last_seq is not None:
        state.states[SCHOOL] = SyncState(
            peer_site_id=SCHOOL, last_seq=last_seq, updated_at=datetime.now(UTC)
        )
    return state


def _pkg(seq: int = 1, **kw: object) -> VerifiedPackage:
    return package(SCHOOL, ME, seq, [], **kw)  # type: ignore[arg-type]


def _code(refusal: Refusal | None) -> tuple[Verdict, str] | None:
    return None if refusal is None else (refusal.verdict, refusal.code)


def test_identity_admits_a_trusted_sender() -> None:
    assert checks.check_identity(_state(_peer(PeerStatus.TRUSTED)), _pkg()) is None


@pytest.mark.parametrize(
    ("state", "pkg", "expected"),
    [
        (RunState(), _pkg(), (Verdict.REFUSED, "not-set-up")),
        (_state(_peer(PeerStatus.TRUSTED)), replace(_pkg(), manifest=replace(
            _pkg().manifest, recipient_id="someone else")), (Verdict.REFUSED, "wrong-recipient")),
        (_state(_peer(PeerStatus.TRUSTED)), _pkg(kind=PackageKind.DISTRICT_BULLETIN),
         (Verdict.REFUSED, "wrong-kind")),
        (_state(_peer(PeerStatus.REVOKED, 2)), _pkg(3), (Verdict.REFUSED, "revoked")),
        (_state(_peer(PeerStatus.REVOKED)), _pkg(1), (Verdict.REFUSED, "revoked")),
        (_state(_peer(PeerStatus.PENDING)), _pkg(),
         (Verdict.QUARANTINED, "quarantined-unknown-key")),
        (_state(), _pkg(), (Verdict.QUARANTINED, "quarantined-unknown-key")),
        (_state(_peer(PeerStatus.TRUSTED)), _pkg(known=False),
         (Verdict.QUARANTINED, "quarantined-unknown-key")),
        (_state(_peer(PeerStatus.TRUSTED, key_id="OLDKEY0000000000")), _pkg(known=False),
         (Verdict.QUARANTINED, "quarantined-new-key")),
    ],
)  # fmt: skip
def test_identity_refusals(
    state: RunState, pkg: VerifiedPackage, expected: tuple[Verdict, str]
) -> None:
    assert _code(checks.check_identity(state, pkg)) == expected


def test_a_revoked_key_is_admitted_up_to_its_limit_and_the_refusal_names_it() -> None:
    state = _state(_peer(PeerStatus.REVOKED, 2))
    assert checks.check_identity(state, _pkg(2)) is None
    refusal = checks.check_identity(state, _pkg(3))
    assert refusal is not None and "до № 2" in refusal.reason and "№ 3" in refusal.reason


def test_an_applied_file_is_already_imported_whoever_signed_it() -> None:
    pkg = _pkg()
    state = _state()
    state.applied.add(pkg.file_sha256)
    refusal = checks.check_identity(state, pkg)
    assert refusal is not None and refusal.verdict is Verdict.ALREADY
    assert refusal.seq_status is SeqStatus.ALREADY


def test_an_unknown_signer_is_marked_and_its_fingerprint_never_shown() -> None:
    pkg = _pkg(known=False)
    refusal = checks.check_identity(_state(), pkg)
    assert refusal is not None and refusal.unknown_signer
    assert "сверьте отпечаток по телефону" in refusal.reason.lower()
    assert "«Подтвердить ключ школы…»" in refusal.reason  # how to do it in the program
    assert "--confirm" not in refusal.reason  # the GUI shows the reason too: no command there
    assert normalize_fingerprint(pkg.signer_fingerprint) not in normalize_fingerprint(
        refusal.reason
    )


def test_a_new_key_of_a_trusted_school_has_its_own_reason() -> None:
    state = _state(_peer(PeerStatus.TRUSTED, key_id="OLDKEY0000000000"))
    refusal = checks.check_identity(state, _pkg(known=False))
    assert refusal is not None and refusal.code == "quarantined-new-key"
    assert "новый ключ уже подтверждённой школы: переустановка программы или подделка" in (
        refusal.reason.lower()
    )
    assert "«Заменить ключ школы…»" in refusal.reason and "--replace-key" not in refusal.reason


def test_another_installation_with_an_enrolled_code_is_named_as_such() -> None:
    other = _peer(PeerStatus.TRUSTED)
    other.site_id, other.code = "44444444-4444-4444-8444-444444444444", card(SCHOOL).code
    state = RunState(own=ME, role=Role.DISTRICT.value, peers={other.site_id: [other]})
    refusal = checks.check_identity(state, _pkg(known=False))
    assert refusal is not None and refusal.code == "quarantined-second-install"
    assert f"ещё одна установка с кодом {other.code}" in refusal.reason.lower()


@pytest.mark.parametrize(
    ("last", "seq", "expected"),
    [(None, 1, SeqStatus.NEW), (3, 4, SeqStatus.NEW), (3, 6, SeqStatus.GAP),
     (3, 2, SeqStatus.OUT_OF_ORDER), (None, 2, SeqStatus.GAP)],
)  # fmt: skip
def test_seq_status(last: int | None, seq: int, expected: SeqStatus) -> None:
    assert checks.seq_status(_state(last_seq=last), _pkg(seq).manifest) is expected


def test_a_number_applied_before_is_a_fork_and_quarantined() -> None:
    state = _state(last_seq=5)
    state.applied_seqs.add((SCHOOL, 2))
    status = checks.seq_status(state, _pkg(2).manifest)
    assert status is SeqStatus.FORK
    assert _code(checks.check_fork(status, 2)) == (Verdict.QUARANTINED, "fork")
    assert checks.check_fork(SeqStatus.OUT_OF_ORDER, 2) is None


def test_schema_unknown_is_refused_and_an_older_one_warned() -> None:
    m = _pkg(schema="9999_future").manifest
    refusal = checks.check_schema(m, ["0001", "0002"])
    assert _code(refusal) == (Verdict.REFUSED, "newer-schema")
    assert refusal is not None and "9999_future" in refusal.reason
    old = _pkg(schema="0001").manifest
    assert checks.check_schema(old, ["0001", "0002"]) is None
    assert checks.schema_warning(old, records_changed=False) is None
    assert "«0001»" in (checks.schema_warning(old, records_changed=True) or "")


def test_counts_must_equal_the_manifest() -> None:
    held = {"teacher": 2}  # records as the payload held them, before any conversion
    assert checks.check_counts({"teacher": 2, "site": 0}, held) is None
    wrong = checks.check_counts({"teacher": 3}, held)
    assert _code(wrong) == (Verdict.REFUSED, "damaged")
    assert wrong is not None and wrong.detail == "counts"


def test_rows_refused_while_binding_name_scope_or_record() -> None:
    assert checks.row_refusal(ScopeViolation("x")).code == "scope"
    assert checks.row_refusal(RowInvalid("y")).code == "record"


def test_clock_warnings() -> None:
    now = 1_800_000_000_000
    assert checks.clock_warning(None, now) is None
    assert checks.clock_warning(Stamp(now, 0, "d"), now) is None
    assert "отстают (год 2001)" in (
        checks.clock_warning(Stamp(1_000_000_000_000, 0, "d"), now) or ""
    )
    ahead = checks.clock_warning(Stamp(now + MAX_FORWARD_DRIFT_MS + 1, 0, "d"), now)
    assert ahead is not None and "спешат" in ahead


def test_storage_refusals_say_what_to_do() -> None:
    assert "не хватает места" in checks.storage_refusal(OSError("database or disk is full")).reason
    other = checks.storage_refusal(OSError("locked"))
    assert other.code == "storage" and "(locked)" in other.reason
