"""TAM capacity across every record: book size, priority-1 share, onboardings, red accounts."""

from __future__ import annotations

from issues_book import book, days, plan, record

from triage.facts.capacity import CapacityLimits, capacity_facts, tam_loads

ADOPTION = ("segment::enterprise", "stage::adoption")


def accounts(*records):  # type: ignore[no-untyped-def]
    return plan(book(*records)).accounts


def test_a_book_within_limits_is_not_over_committed() -> None:
    book_of_tam = accounts(
        record(iid=1, name="A", labels=ADOPTION),
        record(iid=2, name="B", labels=ADOPTION, priority=2),
        record(iid=3, name="C", labels=("segment::enterprise", "stage::discovery")),
    )
    [load] = tam_loads(book_of_tam, CapacityLimits()).values()
    assert (load.tam, load.accounts, load.priority_1) == ("tom.tam", ("A", "B"), 1)
    assert not load.over_committed


def test_each_broken_limit_is_a_reason() -> None:
    red = {"color": "red", "date": days(-1)}
    records = [record(iid=n, name=f"R{n}", labels=ADOPTION, sentiment=red) for n in range(1, 4)] + [
        record(
            iid=n,
            name=f"O{n}",
            labels=("segment::enterprise", "stage::onboarding"),
            onboarding_started=days(-5),
            priority=2,
        )
        for n in range(10, 14)
    ]
    limits = CapacityLimits(
        max_accounts=6,
        max_priority_1_share=0.34,
        share_from_accounts=6,
        max_onboardings=3,
        max_red=2,
    )
    [load] = tam_loads(accounts(*records), limits).values()
    assert load.reasons == (
        "7 accounts (limit 6)",
        "3 of 7 accounts at priority 1 (43%, limit 34%)",
        "4 onboardings at once (limit 3)",
        "3 red accounts (limit 2)",
    )


def test_a_small_book_is_not_judged_by_its_priority_one_share() -> None:
    [load] = tam_loads(accounts(record(labels=ADOPTION)), CapacityLimits()).values()
    assert load.priority_1_share == 1.0
    assert not load.over_committed


def test_churned_accounts_and_other_tams_do_not_count() -> None:
    loads = tam_loads(
        accounts(
            record(iid=1, name="A", labels=ADOPTION),
            record(iid=2, name="Gone", labels=("segment::enterprise", "stage::churned")),
            record(
                iid=3, name="Other", labels=ADOPTION, team={"sal": "sam.sal", "tam": "tess.tam"}
            ),
        ),
        CapacityLimits(),
    )
    assert {tam: load.accounts for tam, load in loads.items()} == {
        "tess.tam": ("Other",),
        "tom.tam": ("A",),
    }


def test_capacity_facts_of_an_account() -> None:
    found = accounts(
        record(iid=1, name="A", labels=ADOPTION),
        record(iid=2, name="B", labels=ADOPTION, team={"sal": "sam.sal"}),
    )
    loads = tam_loads(found, CapacityLimits())
    assert capacity_facts(found[0], loads) == {
        "tam_accounts": 1,
        "tam_priority_1_share": 1.0,
        "tam_onboardings": 0,
        "tam_red_accounts": 0,
        "tam_over_committed": False,
    }
    assert set(capacity_facts(found[1], loads).values()) == {None}
