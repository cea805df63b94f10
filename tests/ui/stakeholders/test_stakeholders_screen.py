"""The Stakeholders screen: add, edit, archive and follow through the real dialog widgets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from kanban.services import Database
from kanban.services.people import add_stakeholder, list_stakeholders
from kanban.services.products import create_product
from kanban.services.records import ProductInfo
from kanban.ui.context import AppContext
from kanban.ui.stakeholders.dialog import StakeholderDialog
from kanban.ui.stakeholders.model import StakeholderTableModel
from kanban.ui.stakeholders.screen import StakeholdersScreen


@pytest.fixture
def screen(qtbot: QtBot, db: Database, product: ProductInfo) -> Iterator[StakeholdersScreen]:
    ctx = AppContext(db)
    widget = StakeholdersScreen(ctx)
    qtbot.addWidget(widget)
    ctx.select_product(product)
    yield widget
    ctx.undo_stack.clear()
    ctx.close()  # stop polling: the database closes after this test


def press_ok(dialog: StakeholderDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def cells(screen: StakeholdersScreen, row: int) -> list[str]:
    model = screen.model
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_add_through_the_dialog_follows_the_current_product(
    screen: StakeholdersScreen, db: Database, product: ProductInfo, qtbot: QtBot
) -> None:
    create_product(db, "APP", "Mobile app")
    screen.reload()
    dialog = screen.add_stakeholder()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # a name is required
    qtbot.keyClicks(dialog.name_edit, "Ada Lovelace")
    assert ok.isEnabled()
    qtbot.keyClicks(dialog.role_edit, "Sponsor")
    qtbot.keyClicks(dialog.organization_edit, "Analytical Engines")
    qtbot.keyClicks(dialog.email_edit, "ada@example.org")
    qtbot.keyClicks(dialog.contact_edit, "+44 20 7946 0000")
    qtbot.keyClicks(dialog.notes_edit, "Prefers short updates")
    assert dialog.followed_ids() == (product.id,)
    press_ok(dialog)

    [person] = list_stakeholders(db)
    assert (person.name, person.role, person.organization, person.contact, person.notes) == (
        "Ada Lovelace",
        "Sponsor",
        "Analytical Engines",
        "+44 20 7946 0000",
        "Prefers short updates",
    )
    assert person.email == "ada@example.org"
    assert person.product_ids == (product.id,)
    assert cells(screen, 0) == [
        "Ada Lovelace",
        "Sponsor",
        "Analytical Engines",
        "ada@example.org",
        "+44 20 7946 0000",
        "WEB",
    ]
    assert screen.selected() == person


def test_edit_changes_fields_and_followed_products_and_undo_restores(
    screen: StakeholdersScreen, db: Database, product: ProductInfo, qtbot: QtBot
) -> None:
    app = create_product(db, "APP", "Mobile app")
    person = add_stakeholder(db, "Grace", role="CTO", product_ids=[product.id])
    screen.reload()
    assert screen.select(person.id)
    with qtbot.waitSignal(screen.ctx.events.people_changed):
        dialog = screen.edit_selected()
        assert dialog is not None
        assert dialog.name_edit.text() == "Grace"
        dialog.role_edit.clear()
        qtbot.keyClicks(dialog.role_edit, "CEO")
        qtbot.keyClicks(dialog.email_edit, "grace@example.com")
        # Tick the app and untick the web shop in the list, as a user does.
        for row in range(dialog.products_list.count()):
            entry = dialog.products_list.item(row)
            entry.setCheckState(
                Qt.CheckState.Unchecked
                if entry.checkState() == Qt.CheckState.Checked
                else Qt.CheckState.Checked
            )
        press_ok(dialog)

    [edited] = list_stakeholders(db)
    assert (edited.role, edited.email) == ("CEO", "grace@example.com")
    assert edited.product_ids == (app.id,)
    assert cells(screen, 0)[1] == "CEO"
    assert cells(screen, 0)[-1] == "APP"

    screen.ctx.undo_stack.undo()
    [restored] = list_stakeholders(db)
    assert (restored.role, restored.email) == ("CTO", "")
    assert restored.product_ids == (product.id,)
    assert cells(screen, 0)[-1] == "WEB"
    screen.ctx.undo_stack.redo()
    assert list_stakeholders(db)[0].role == "CEO"


def test_archive_hides_until_show_archived_then_restore(
    screen: StakeholdersScreen, db: Database
) -> None:
    person = add_stakeholder(db, "Linus")
    add_stakeholder(db, "Margaret")
    screen.reload()
    screen.select(person.id)
    assert screen.archive_button.text() == "A&rchive"
    screen.archive_button.click()

    assert [p.name for p in list_stakeholders(db)] == ["Margaret"]
    assert screen.model.rowCount() == 1
    screen.show_archived.setChecked(True)
    assert screen.model.rowCount() == 2
    assert cells(screen, 0)[0] == "Linus (archived)"

    screen.select(person.id)
    assert screen.archive_button.text() == "Resto&re"
    screen.archive_button.click()
    assert [p.name for p in list_stakeholders(db)] == ["Linus", "Margaret"]
    screen.ctx.undo_stack.undo()  # undo the restore: archived again
    assert [p.name for p in list_stakeholders(db)] == ["Margaret"]


def test_a_refused_save_keeps_the_dialog_open_with_an_error(
    screen: StakeholdersScreen, db: Database, qtbot: QtBot
) -> None:
    dialog = screen.add_stakeholder()
    qtbot.keyClicks(dialog.name_edit, "   ")  # only spaces: OK stays disabled
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.accept()  # forced (e.g. Enter pressed): the service refuses the blank name
    assert dialog.isVisible()
    boxes = [w for w in dialog.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and "name is required" in boxes[0].text()
    assert list_stakeholders(db) == []
    boxes[0].close()
    dialog.reject()


def test_model_passes_the_model_tester(
    qtmodeltester: ModelTester, db: Database, product: ProductInfo
) -> None:
    person = add_stakeholder(db, "Ada", role="<b>x</b>", product_ids=[product.id])
    model = StakeholderTableModel()
    model.set_rows([person], {product.id: product.key})
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "<b>x</b>"
