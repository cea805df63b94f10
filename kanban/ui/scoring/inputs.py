"""The item editor's Scoring tab: an item's WSJF and RICE inputs, each formula with the
item's own numbers and the score they give, worked out as one types."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import SCORE_FIELDS, ScoreMethod
from kanban.errors import ValidationError
from kanban.metrics.scoring import (
    FIELD_LABELS,
    FORMULAS,
    ScoreInputs,
    method_fields,
    missing,
    score,
)
from kanban.services.rules import check_score
from kanban.ui.forms import error_label

NONE_TEXT = "—"
HINTS = {
    "time_criticality": "e.g. 1, 2, 3, 5, 8, 13, 20",
    "risk_reduction": "e.g. 1, 2, 3, 5, 8, 13, 20",
    "job_size": "above 0, e.g. 1, 2, 3, 5, 8, 13, 20",
    "reach": "people or events per period, e.g. 500",
    "impact": "e.g. 0.25, 0.5, 1, 2, 3",
    "confidence": "a share: 0.8 or 80%",
    "effort": "above 0, e.g. person-months",
}


def parse_input(name: str, text: str) -> float | None:
    """A typed scoring input: empty is none, ``80%`` is 0.8. Raises ValidationError with
    the rule's message (:func:`kanban.services.rules.check_score`) for a value no score can
    use, or a plain one for text that is not a number."""
    text = text.strip().replace(",", ".") if text.count(",") == 1 else text.strip()
    if not text:
        return None
    share = text.endswith("%")
    try:
        value = float(text[:-1] if share else text)
    except ValueError:
        raise ValidationError(f"{FIELD_LABELS[name]} must be a number, not {text!r}") from None
    return check_score(name, value / 100 if share else value)


def shown_input(value: float | None) -> str:
    """A stored input as the field shows it."""
    return "" if value is None else f"{value:g}"


class ScoringPanel(QWidget):
    """The inputs of both methods side by side; ``changed`` when any of them is edited."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.business_value = QSpinBox()
        self.business_value.setRange(-1, 1_000_000)
        self.business_value.setSpecialValueText(NONE_TEXT)  # the minimum: not valued yet
        self.business_value.setAccessibleName("Business value")
        self.business_value.valueChanged.connect(self._update)
        self.edits: dict[str, QLineEdit] = {}
        for name in SCORE_FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText(HINTS[name])
            edit.setAccessibleName(FIELD_LABELS[name])
            edit.textChanged.connect(self._update)
            self.edits[name] = edit
        self.formulas: dict[str, QLabel] = {}
        self.results: dict[str, QLabel] = {}
        self.error = error_label()
        self.error.setObjectName("scoring_error")

        groups = QHBoxLayout()
        groups.setSpacing(12)
        for method in ScoreMethod:
            groups.addWidget(self._group(method), 1)
        note = QLabel(
            "Scores suggest an order and never change it: Rank by score (the backlog's context "
            "menu) proposes one for you to review. Every weight is 1. Each change of an input "
            "is kept, old value and new, in the History tab."
        )
        note.setWordWrap(True)
        note.setEnabled(False)  # drawn in the palette's quieter text colour
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(groups)
        layout.addWidget(self.error)
        layout.addWidget(note)
        self.history = QTreeWidget()
        self.history.setObjectName("scoring_history")
        self.history.setHeaderLabels(["When", "Who", "Inputs changed (old → new)"])
        self.history.setRootIsDecorated(False)
        self.history.setAlternatingRowColors(True)
        layout.addWidget(QLabel("Earlier inputs"))
        layout.addWidget(self.history, 1)
        self._update()

    def show_history(self, entries: Sequence[tuple[str, str, str]]) -> None:
        """The item's history entries that changed an input: ``(when, who, detail)``, the
        detail as the service logs it (``"job_size; job size 3 → 5"``), newest first."""
        self.history.clear()
        for when, who, detail in reversed(entries):
            _names, _, values = detail.partition("; ")
            if values:
                row = QTreeWidgetItem([when, who, values])
                row.setToolTip(2, values)  # a change of many inputs is wider than the tab
                self.history.addTopLevelItem(row)
        for column in range(2):
            self.history.resizeColumnToContents(column)

    def _group(self, method: ScoreMethod) -> QGroupBox:
        box = QGroupBox("WSJF: weighted shortest job first" if method == ScoreMethod.WSJF
                        else "RICE: reach, impact, confidence, effort")  # fmt: skip
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(8)
        for name in method_fields(method):
            widget = self.business_value if name == "business_value" else self.edits[name]
            form.addRow(FIELD_LABELS[name], widget)
        formula = QLabel(FORMULAS[method])
        formula.setWordWrap(True)
        formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        result = QLabel()
        result.setObjectName(f"{method.value}_result")
        result.setTextFormat(Qt.TextFormat.PlainText)
        result.setWordWrap(True)
        font = result.font()
        font.setBold(True)
        result.setFont(font)
        form.addRow(formula)
        form.addRow(result)
        self.formulas[method] = formula
        self.results[method] = result
        return box

    # --- values ------------------------------------------------------------------------------

    def set_value(self, name: str, value: float | int | None) -> None:
        """Show one stored input."""
        if name == "business_value":
            self.business_value.setValue(-1 if value is None else int(value))
        else:
            self.edits[name].setText(shown_input(value))

    def values(self) -> dict[str, Any]:
        """Each input as typed: a number, None when empty, or the text itself when it is not
        a number (so it counts as changed, and :meth:`problem` says why it cannot be saved)."""
        out: dict[str, Any] = {}
        for name, edit in self.edits.items():
            try:
                out[name] = parse_input(name, edit.text())
            except ValidationError:
                text = edit.text().strip()
                try:  # a number the rule refuses goes to the service, which says why
                    out[name] = float(text[:-1]) / 100 if text.endswith("%") else float(text)
                except ValueError:
                    out[name] = text
        return out

    def business(self) -> int | None:
        """The business value (None: not valued yet)."""
        value = self.business_value.value()
        return None if value < 0 else value

    def problem(self) -> str | None:
        """Why the inputs as typed cannot be saved (the first one), or None."""
        for name, edit in self.edits.items():
            try:
                parse_input(name, edit.text())
            except ValidationError as error:
                return str(error)
        return None

    def inputs(self) -> ScoreInputs:
        """The inputs as typed, those not valid left out, for the scores shown."""
        numbers: dict[str, float | None] = {}
        for name, edit in self.edits.items():
            try:
                numbers[name] = parse_input(name, edit.text())
            except ValidationError:
                numbers[name] = None
        return ScoreInputs(0, "", "", "", business_value=self.business(), **numbers)

    # --- the scores ----------------------------------------------------------------------------

    def _update(self) -> None:
        problem = self.problem()
        self.error.setText(problem or "")
        self.error.setVisible(problem is not None)
        inputs = self.inputs()
        for method in ScoreMethod:
            self.results[method].setText(worked(inputs, method))
        self.changed.emit()


def worked(inputs: ScoreInputs, method: str) -> str:
    """A score worked out with the item's numbers (``= (8 + 5 + 3) / 4 = 4.00``), or what it
    still needs."""
    value = score(inputs, method)
    if value is None:
        return f"No score yet: needs {', '.join(missing(inputs, method))}"
    numbers = [f"{inputs.value(name):g}" for name in method_fields(method)]
    if method == ScoreMethod.WSJF:
        a, b, c, d = numbers
        return f"= ({a} + {b} + {c}) / {d} = {value:.2f}"
    a, b, c, d = numbers
    return f"= {a} × {b} × {c} / {d} = {value:.2f}"
