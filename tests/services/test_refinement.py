"""Refinement services: checklists and templates, comments, links and resources, the
Definitions of Ready and Done, and the refinement fields of the board's cards."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kanban.domain import Definition, LinkRole, ReadinessCheck
from kanban.errors import NotFoundError, ValidationError
from kanban.services import Database
from kanban.services.checklists import (
    add_criteria,
    check_criterion,
    edit_line,
    get_checklist,
    list_templates,
    move_line,
    remove_line,
    restore_line,
    set_line_done,
    set_template,
)
from kanban.services.comments import (
    add_comment,
    delete_comment,
    edit_comment,
    list_comments,
    restore_comment_text,
)
from kanban.services.items import (
    add_item,
    delete_item,
    get_card,
    item_history,
    load_board,
    move_item,
    restore_item,
)
from kanban.services.links import (
    add_resource,
    blocked_chains,
    dependency_order,
    how_to_open,
    link_items,
    list_links,
    remove_link,
    remove_resource,
    restore_link,
    unlink_items,
)
from kanban.services.products import list_columns
from kanban.services.questions import answer_question, ask_question, set_question_state
from kanban.services.readiness import check_items, confirm_rule, list_rules, set_rules
from kanban.services.records import ProductInfo
from kanban.services.refinement import get_refinement
from kanban.services.sprints import create_sprint, set_sprint_items

Rows = Callable[..., list[dict[str, Any]]]


def _column(db: Database, product: ProductInfo, name: str) -> int:
    return next(c.id for c in list_columns(db, product.id) if c.name == name)


def _lines(db: Database, key: str) -> list[tuple[int, str, bool]]:
    return [(line.number, line.text, line.done) for line in get_checklist(db, key)]


# --- checklists ----------------------------------------------------------------------------


def test_criteria_are_added_checked_edited_moved_and_removed(
    db: Database, product: ProductInfo
) -> None:
    card = add_item(db, "WEB", "Pay")
    added = add_criteria(db, card.key, "- Visa works\n- [x] Mastercard works")
    assert [(line.number, line.done) for line in added] == [(1, False), (2, True)]
    add_criteria(db, card.key, "Declined cards say why", at=1)
    assert _lines(db, card.key) == [
        (1, "Declined cards say why", False),
        (2, "Visa works", False),
        (3, "Mastercard works", True),
    ]
    assert check_criterion(db, card.key, 2).done
    assert not set_line_done(db, added[1].id, False).done
    assert edit_line(db, added[0].id, "  Visa   works with 3-D Secure ").text == (
        "Visa works with 3-D Secure"
    )
    assert move_line(db, added[0].id, 1).number == 1
    removed = remove_line(db, added[1].id)
    assert _lines(db, card.key) == [
        (1, "Visa works with 3-D Secure", True),
        (2, "Declined cards say why", False),
    ]
    assert restore_line(db, removed).number == 3
    actions = [h.action for h in item_history(db, card.key)]
    assert actions.count("criterion_added") == 4  # three added, one put back
    assert {"criterion_done", "criterion_undone", "criterion_edited", "criterion_removed"} <= set(
        actions
    )
    edited = next(h for h in item_history(db, card.key) if h.action == "criterion_edited")
    assert edited.detail == "WEB-1: Visa works → Visa works with 3-D Secure"


def test_a_bad_criterion_is_refused(db: Database, product: ProductInfo, snapshot) -> None:
    card = add_item(db, "WEB", "Pay")
    add_criteria(db, card.key, "Visa")
    before = snapshot()
    with pytest.raises(ValidationError, match="needs some text"):
        add_criteria(db, card.key, "  \n - \n")
    with pytest.raises(NotFoundError, match=r"WEB-1 has no criterion 2 \(it has lines 1 to 1\)"):
        check_criterion(db, card.key, 2)
    with pytest.raises(NotFoundError, match="No item WEB-9"):
        add_criteria(db, "WEB-9", "Visa")
    assert snapshot() == before


def test_new_items_start_with_their_kinds_template(db: Database, product: ProductInfo) -> None:
    set_template(db, "WEB", None, ["Product owner accepted it"])
    set_template(db, "WEB", "bug", ["Steps to reproduce", " ", "Fix verified"])
    assert [(t.kind, t.text) for t in list_templates(db, "WEB")] == [
        (None, "Product owner accepted it"),
        ("bug", "Steps to reproduce"),
        ("bug", "Fix verified"),
    ]
    bug = add_item(db, "WEB", "Crash", kind="bug")
    story = add_item(db, "WEB", "Search")
    assert [text for _, text, _ in _lines(db, bug.key)] == [
        "Product owner accepted it",
        "Steps to reproduce",
        "Fix verified",
    ]
    assert [text for _, text, _ in _lines(db, story.key)] == ["Product owner accepted it"]
    with pytest.raises(ValidationError, match="'feature' must be one of"):
        set_template(db, "WEB", "feature", ["x"])


# --- comments ------------------------------------------------------------------------------


def test_comments_are_edited_and_deleted_by_their_author_only(
    db: Database, product: ProductInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = add_item(db, "WEB", "Pay")
    mine = add_comment(db, card.key, "Talk to **Finance**")
    theirs = add_comment(db, card.key, "Done?", by="Ana")
    assert (mine.author, theirs.author) == ("po", "Ana")
    edited = edit_comment(db, mine.id, "Talk to *Finance* first")
    assert edited.edited_at is not None
    with pytest.raises(ValidationError, match="Only Ana can edit this comment"):
        edit_comment(db, theirs.id, "No")
    with pytest.raises(ValidationError, match="Only Ana can delete"):
        delete_comment(db, theirs.id)
    assert restore_comment_text(db, mine).text == "Talk to **Finance**"
    delete_comment(db, mine.id)
    assert [c.id for c in list_comments(db, card.key)] == [theirs.id]
    assert [c.deleted for c in list_comments(db, card.key, include_deleted=True)] == [True, False]
    assert not delete_comment(db, mine.id, deleted=False).deleted  # undo
    monkeypatch.setenv("KANBAN_USER", "Ana")
    assert edit_comment(db, theirs.id, "Done.").text == "Done."
    history = {(h.action, h.detail) for h in item_history(db, card.key)}
    assert ("comment_edited", "WEB-1: Talk to **Finance**") in history  # old texts are kept
    assert ("comment_deleted", "WEB-1: Talk to **Finance**") in history
    assert ("comment_edited", "WEB-1: Done?") in history
    with pytest.raises(ValidationError, match="comment is required"):
        add_comment(db, card.key, " ")


# --- links ---------------------------------------------------------------------------------


def test_links_are_seen_from_both_sides(db: Database, product: ProductInfo) -> None:
    api, ui, old = (add_item(db, "WEB", t) for t in ("API", "UI", "Old UI"))
    link = link_items(db, api.key, "blocks", ui.key)
    assert (link.role, link.other_key, link.other_done) == (LinkRole.BLOCKS, "WEB-2", False)
    link_items(db, old.key, "duplicates", ui.key)
    link_items(db, ui.key, "relates-to", api.key)
    assert [(x.role, x.other_key) for x in list_links(db, ui.key)] == [
        ("blocked_by", "WEB-1"),
        ("relates_to", "WEB-1"),
        ("duplicated_by", "WEB-3"),
    ]
    assert [(x.role, x.other_key) for x in list_links(db, api.key)] == [
        ("blocks", "WEB-2"),
        ("relates_to", "WEB-2"),
    ]
    removed = unlink_items(db, ui.key, "blocked-by", api.key)
    assert removed.role == "blocked_by"
    assert [x.role for x in list_links(db, api.key)] == ["relates_to"]
    assert restore_link(db, ui.id, removed).id == removed.id
    history = [(h.action, h.detail) for h in item_history(db, ui.key)]
    assert ("linked", "WEB-1 blocks WEB-2") in history
    assert ("unlinked", "WEB-1 blocks WEB-2") in history
    assert remove_link(db, removed.id, api.id).role == "blocks"


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (("WEB-1", "blocks", "WEB-1"), None, "cannot be linked to itself"),
        (("WEB-1", "blocks", "WEB-2"), ("WEB-1", "blocks", "WEB-2"), "linked that way already"),
        (("WEB-1", "relates-to", "WEB-2"), ("WEB-2", "relates-to", "WEB-1"), "already"),
        (("WEB-1", "blocks", "WEB-2"), ("WEB-2", "blocks", "WEB-1"), "would make a loop"),
        (("WEB-1", "blocks", "WEB-2"), ("WEB-3", "blocked-by", "WEB-2"), "would make a loop"),
        (("WEB-1", "needs", "WEB-2"), None, "A link is one of blocks, blocked-by"),
    ],
)
def test_a_bad_link_is_refused(
    db: Database, product: ProductInfo, snapshot, first, second, message: str
) -> None:
    for title in ("A", "B", "C"):
        add_item(db, "WEB", title)
    link_items(db, "WEB-3", "blocks", "WEB-1")  # so WEB-1 -> WEB-2 -> WEB-3 closes a loop
    calls = [first] if second is None else [first, second]
    *setup, bad = calls
    for call in setup:
        link_items(db, *call)
    before = snapshot()
    with pytest.raises(ValidationError, match=message):
        link_items(db, *bad)
    assert snapshot() == before


def test_blocked_chains_and_dependency_order(db: Database, product: ProductInfo) -> None:
    a, b, c, d = (add_item(db, "WEB", t) for t in "ABCD")
    link_items(db, b.key, "blocks", a.key)  # A waits on B, which waits on C
    link_items(db, c.key, "blocks", b.key)
    link_items(db, d.key, "blocks", c.key)
    move_item(db, d.id, column_id=_column(db, product, "Done"))  # a finished blocker
    chains = blocked_chains(db, product.id)
    assert [chain.keys for chain in chains] == [("WEB-1", "WEB-2", "WEB-3")]
    assert dependency_order(db, product.id) == [d.id, c.id, b.id, a.id]


def test_resource_links_and_how_they_open(
    db: Database, product: ProductInfo, tmp_path: Path
) -> None:
    card = add_item(db, "WEB", "Pay")
    spec = tmp_path / "spec.pdf"
    spec.write_bytes(b"%PDF")
    tool = tmp_path / "deploy"
    tool.write_text("#!/bin/sh\nrm -rf ~\n")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    launcher = tmp_path / "open.desktop"
    launcher.write_text("[Desktop Entry]\nExec=xterm\n")
    link = tmp_path / "spec-link.sh"
    os.symlink(spec, link)

    web = add_resource(db, card.key, "https://example.com/spec", "Spec")
    add_resource(db, card.key, str(spec))
    assert [(r.title, r.target) for r in get_refinement(db, card.key).resources] == [
        ("Spec", "https://example.com/spec"),
        ("", str(spec)),
    ]
    assert how_to_open(web.target).action == "url"
    assert how_to_open("mailto:po@example.com").action == "url"
    assert how_to_open(str(spec)).action == "file"
    assert how_to_open(spec.as_uri()).location == str(spec)
    assert how_to_open(str(tmp_path)).action == "folder"
    for program in (tool, launcher, link):  # an exec bit, a launcher, a launcher's name
        opening = how_to_open(str(program))
        assert (opening.action, opening.location) == ("folder", str(tmp_path)), program
        assert "nothing is run" in opening.message
    assert how_to_open(str(tmp_path / "gone.pdf")).action == "refused"
    assert how_to_open("javascript:alert(1)").action == "refused"
    for bad in ("javascript:alert(1)", "relative/path.pdf", "ftp://host/x", " "):
        with pytest.raises(ValidationError):
            add_resource(db, card.key, bad)
    assert remove_resource(db, web.id).target == web.target


# --- readiness -----------------------------------------------------------------------------


def test_an_item_with_an_open_question_is_not_ready_until_it_is_answered(
    db: Database, product: ProductInfo
) -> None:
    card = add_item(db, "WEB", "Pay", points=3)
    add_criteria(db, card.key, "Visa works")
    assert get_refinement(db, card.key).ready.met
    asked = ask_question(db, "WEB", "Amex too?", item_ref=card.key)
    ready = get_refinement(db, card.key).ready
    assert (ready.met, ready.reasons) == (False, ("It has 1 open question.",))
    assert get_card(db, card.id).not_ready_because == ("It has 1 open question.",)
    answer_question(db, asked.id, "No")
    assert get_refinement(db, card.key).ready.met
    set_question_state(db, asked.id, "open")
    assert not get_card(db, card.id).ready
    set_question_state(db, asked.id, "obsolete")
    assert get_card(db, card.id).ready


def test_a_definition_is_written_and_custom_rules_are_confirmed(
    db: Database, product: ProductInfo
) -> None:
    built_in = list_rules(db, "WEB", Definition.READY)
    assert all(rule.id is None for rule in built_in)
    assert [r.rule for r in built_in if r.enabled] == [
        "has_points", "has_criteria", "no_open_questions", "not_blocked",
    ]  # fmt: skip
    points = next(r for r in built_in if r.rule == ReadinessCheck.HAS_POINTS)
    custom = points.__class__(
        None, product.id, "ready", "custom", "UX signed off", True, "UX signed off"
    )
    written = set_rules(db, "WEB", "ready", [points, custom])
    assert [(r.rule, r.enabled) for r in written] == [
        ("has_points", True),
        ("custom", True),
        ("has_criteria", False),
        ("no_open_questions", False),
        ("not_blocked", False),
        ("criteria_done", False),
    ]
    card = add_item(db, "WEB", "Pay", points=1)
    rule_id = written[1].id
    assert rule_id is not None
    assert check_items(db, [card.id], "ready")[card.id].reasons == (
        "Not confirmed: UX signed off.",
    )
    assert confirm_rule(db, card.key, rule_id).met
    assert get_card(db, card.id).ready
    # Keeping the custom line's id keeps its confirmations.
    set_rules(db, "WEB", "ready", [written[1]])
    assert check_items(db, [card.id], "ready")[card.id].met
    assert not confirm_rule(db, card.key, rule_id, confirmed=False).met
    with pytest.raises(ValidationError, match="listed twice"):
        set_rules(db, "WEB", "ready", [points, points])
    with pytest.raises(ValidationError, match="definition is one of ready, done"):
        list_rules(db, "WEB", "sprint")


def test_overrides_are_recorded_in_the_history(
    db: Database, product: ProductInfo, rows: Rows
) -> None:
    unready = add_item(db, "WEB", "Gift cards")
    ready = add_item(db, "WEB", "Pay", points=2)
    add_criteria(db, ready.key, "Visa works")
    sprint = create_sprint(db, "WEB", "Sprint 1")
    set_sprint_items(db, sprint.id, add=[unready.id, ready.id])
    overrides = rows("activities", where="action = 'ready_overridden'")
    assert [(o["item_id"], o["detail"]) for o in overrides] == [
        (
            unready.id,
            "WEB-1 went into Sprint 1 while not Ready: It has no story points. "
            "It has no acceptance criteria.",
        )
    ]
    done = _column(db, product, "Done")
    move_item(db, ready.id, column_id=done)
    assert rows("activities", where="action = 'done_overridden'")[0]["detail"] == (
        "WEB-2 went into Done without meeting its Definition of Done: "
        "1 of 1 acceptance criteria is not checked off."
    )
    move_item(db, unready.id, column_id=done)  # no criteria: nothing left to check off
    assert len(rows("activities", where="action = 'done_overridden'")) == 1


# --- the board and undo --------------------------------------------------------------------


def test_cards_carry_progress_comments_blockers_and_readiness(
    db: Database, product: ProductInfo
) -> None:
    api = add_item(db, "WEB", "API", points=3)
    ui = add_item(db, "WEB", "UI", points=2)
    epic = add_item(db, "WEB", "Checkout", kind="epic")
    add_criteria(db, ui.key, "- [x] Form\n- Errors\n- Totals")
    add_comment(db, ui.key, "Looks good")
    add_comment(db, ui.key, "Ship it")
    link_items(db, api.key, "blocks", ui.key)
    for card in (load_board(db, "WEB").cards[1], get_card(db, ui.id)):
        assert (card.checklist_done, card.checklist_total, card.comments) == (1, 3, 2)
        assert card.blocked_by == ("WEB-1",)
        assert card.ready is False
        assert card.not_ready_because == ("It is blocked by WEB-1, which is not done.",)
    board = {card.id: card for card in load_board(db, "WEB").cards}
    assert board[api.id].not_ready_because == ("It has no acceptance criteria.",)
    assert board[epic.id].ready is None  # not asked of an epic
    move_item(db, api.id, column_id=_column(db, product, "Done"))
    after = get_card(db, ui.id)
    assert (after.blocked_by, after.ready) == ((), True)
    assert get_card(db, api.id).ready is None  # started: Ready is no longer asked


def test_undoing_a_delete_brings_the_refinement_back(db: Database, product: ProductInfo) -> None:
    other = add_item(db, "WEB", "API")
    card = add_item(db, "WEB", "Pay")
    add_criteria(db, card.key, "- [x] Visa\n- Amex")
    add_comment(db, card.key, "Hi")
    link_items(db, other.key, "blocks", card.key)
    add_resource(db, card.key, "https://example.com")
    before = get_refinement(db, card.key)
    restore_item(db, delete_item(db, card.id))
    after = get_refinement(db, card.key)
    assert (after.checklist, after.comments, after.links, after.resources) == (
        before.checklist,
        before.comments,
        before.links,
        before.resources,
    )
