"""The synthetic county generator, without a database."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bangfu.core.domain.idnumber import parse
from bangfu.demo.base import GANNAN_PROFILE, LUOLONG_PROFILE, MABIAN_PROFILE
from bangfu.demo.domain.households import household
from bangfu.demo.domain.people import IdAllocator
from bangfu.registry.domain import codes
from bangfu.registry.domain.income import totals

TODAY = dt.date(2026, 11, 30)


@settings(max_examples=40)
@given(
    seed=st.integers(0, 10**9),
    profile=st.sampled_from([GANNAN_PROFILE, MABIAN_PROFILE, LUOLONG_PROFILE]),
    worker=st.booleans(),
)
def test_every_household_is_a_valid_registry_household(seed: int, profile, worker: bool) -> None:
    rng, ids = random.Random(seed), IdAllocator()
    h = household(rng, profile, TODAY, ids, workshop_worker=worker)
    assert [m.relation for m in h.members].count("户主") == 1
    for m in h.members:
        idn = parse(m.id_number, TODAY)
        assert idn.value.startswith(profile.region)
        assert idn.sex == m.sex
        assert (TODAY.year - idn.birth_date.year) - (
            (TODAY.month, TODAY.day) < (idn.birth_date.month, idn.birth_date.day)
        ) == m.age
        assert m.ethnicity == profile.ethnicity
        for field, allowed in (
            ("in_school", codes.IN_SCHOOL),
            ("health", codes.HEALTH),
            ("labour", codes.LABOUR),
            ("employment", codes.EMPLOYMENT),
            ("relation", codes.RELATION),
        ):
            assert getattr(m, field) in allowed
    assert set(h.statements) == {TODAY.year - 1, TODAY.year - 2}
    for lines in h.statements.values():
        assert all(ln.item in codes.ITEM_CATEGORY and ln.amount >= 0 for ln in lines)
    if worker:  # the workshop worker's wage is left to the payroll, so no wage line names them
        assert h.workshop_worker is not None
        assert h.members[h.workshop_worker].employment == "务工"
        assert not any(
            ln.member == h.workshop_worker and ln.item.startswith("wage.") for ln in h.statements[TODAY.year - 1]
        )
    assert h.no_labour == all(m.labour not in codes.HAS_LABOUR for m in h.members)


def test_ids_stay_unique_across_a_county() -> None:
    rng, ids = random.Random(7), IdAllocator()
    numbers = [m.id_number for _ in range(2000) for m in household(rng, GANNAN_PROFILE, TODAY, ids).members]
    assert len(numbers) == len(set(numbers))


def test_per_capita_incomes_spread_like_a_real_county() -> None:
    """A few percent under the 6,000-yuan line, most between 8,000 and 20,000 (seed-stories brief)."""
    rng, ids = random.Random(20201201), IdAllocator()
    hs = [household(rng, GANNAN_PROFILE, TODAY, ids) for _ in range(3000)]
    pcs = [totals([(ln.item, ln.amount) for ln in h.statements[TODAY.year - 1]], len(h.members)).per_capita for h in hs]
    under = sum(pc < 6000 for pc in pcs) / len(pcs)
    middle = sum(8000 <= pc <= 20000 for pc in pcs) / len(pcs)
    assert 0.01 <= under <= 0.08
    assert middle >= 0.6
    older = [
        totals([(ln.item, ln.amount) for ln in h.statements[TODAY.year - 2]], len(h.members)).net_income for h in hs
    ]
    newer = [
        totals([(ln.item, ln.amount) for ln in h.statements[TODAY.year - 1]], len(h.members)).net_income for h in hs
    ]
    assert sum(newer) > sum(older)  # incomes grew from the year before
    share = {k: sum(getattr(h, k) for h in hs) / len(hs) for k in ("dibao", "tekun", "no_labour", "poverty_exited")}
    assert 0.03 < share["dibao"] < 0.12 and 0.003 < share["tekun"] < 0.03 and share["no_labour"] < 0.05
    assert 0.5 < share["poverty_exited"] < 0.6
    assert 0.02 < sum(bool(h.monitoring_type) for h in hs) / len(hs) < 0.06


def test_same_seed_same_county() -> None:
    def run() -> list[str]:
        rng, ids = random.Random(3), IdAllocator()
        return [m.id_number + m.name for _ in range(50) for m in household(rng, MABIAN_PROFILE, TODAY, ids).members]

    assert run() == run()
