"""Reading earlier agendas back: action items, facilitator turns, the coverage slice."""

from __future__ import annotations

from triage.kinds.agenda_history import (
    ActionItem,
    action_items,
    facilitator_for,
    missed,
    rotation,
    state_marker,
)

DESCRIPTION = """\
## Action items from last time

- [ ] @tom.tam send the deck (from g/accounts#7)
- [x] @sara.sa done already

### Notes inside the section

* [ ] @sam.sal: call the buyer.

## Customers

- [ ] @tom.tam a checkbox outside the sections

## **Action items**

+ [ ] agree the POV scope with @sara.sa
- [ ]
- [~] dropped
"""


def test_action_items_are_the_unchecked_boxes_under_action_item_headings() -> None:
    assert action_items(DESCRIPTION) == [
        ActionItem("@tom.tam send the deck", "tom.tam", "g/accounts#7"),
        ActionItem("@sam.sal: call the buyer.", "sam.sal", None),
        ActionItem("agree the POV scope with @sara.sa", "sara.sa", None),
    ]
    assert [i.task for i in action_items(DESCRIPTION)] == [
        "send the deck",
        "call the buyer.",
        "agree the POV scope with @sara.sa",
    ]


def test_text_printed_inert_reads_back_as_written() -> None:
    [item] = action_items("## Action items\n- [ ] @a.b fix \\*this\\* &amp; \\#12 &lt;x&gt;\n")
    assert item == ActionItem("@a.b fix *this* & #12 <x>", "a.b", None)
    assert item.task == "fix *this* & #12 <x>"


def test_the_owner_needed_prefix_an_agenda_printed_is_not_part_of_the_item() -> None:
    text = (
        "## Action items from last time\n"
        "- [ ] **owner needed:** get a project (from g/a#3)\n"
        "- [ ] **owner needed:** \\*\\*owner needed:\\*\\* \\*\\*owner needed:\\*\\* get more\n"
        "- [ ] **owner needed:** @\u200bcustomer.person follow up\n"
    )
    assert action_items(text) == [
        ActionItem("get a project", None, "g/a#3"),
        ActionItem("get more", None, None),
        ActionItem("@customer.person follow up", "customer.person", None),
    ]


def test_the_facilitator_is_whoever_waited_longest() -> None:
    crew = ("a", "b", "c")
    assert facilitator_for(crew, []) == "a"
    assert facilitator_for(crew, ["a"]) == "b"
    assert facilitator_for(crew, ["a", "b", "c"]) == "a"
    assert facilitator_for(crew, ["c", "gone", "a"]) == "b"
    assert facilitator_for(crew, [None, "b"]) == "a"
    assert facilitator_for((), ["a"]) is None


def test_missed_counts_the_latest_meetings_without_the_account() -> None:
    held = [frozenset({2}), frozenset({3}), frozenset({1})]
    assert [missed(a, held) for a in (1, 2, 3, 4)] == [2, 0, 1, 3]


def test_rotation_takes_a_slice_and_everyone_about_to_miss_k_meetings() -> None:
    quiet = list(range(1, 9))
    assert rotation(quiet, [], frozenset(), 4) == [1, 2]
    assert rotation(quiet, [frozenset({1, 2})], frozenset(), 4) == [3, 4]
    overdue = [frozenset({5, 6, 7, 8}), frozenset({5, 6, 7, 8}), frozenset({5, 6, 7, 8})]
    assert rotation(quiet, overdue, frozenset(), 4) == [1, 2, 3, 4]
    assert rotation(quiet, [frozenset({1, 2})], frozenset({8}), 4) == [3, 4, 8]
    assert rotation([], [], frozenset(), 4) == []


def test_the_state_marker_lists_facilitator_and_covered_records() -> None:
    marker = state_marker("tom.tam", [12, 3, 12])
    assert marker == "<!-- salsatam:agenda facilitator=tom.tam covered=3,12 -->"
