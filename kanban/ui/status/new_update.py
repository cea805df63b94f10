"""The "New status update" dialog: figures from the data, the product owner's words on top."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kanban.domain import HEALTHS
from kanban.errors import KanbanError
from kanban.reports.model import UpdateText, build_draft_report
from kanban.reports.text import day, plural
from kanban.services.people import list_stakeholders
from kanban.services.records import ProductInfo, StakeholderInfo, StatusUpdateInfo
from kanban.services.status_updates import create_status_update, list_status_updates
from kanban.ui.context import AppContext, show_error
from kanban.ui.forms import SAVE, ok_cancel
from kanban.ui.status.figures import FiguresView
from kanban.ui.status.health import HEALTH_COLORS, health_label
from kanban.ui.status.preview import ReportBrowser

NAME_ROLE = Qt.ItemDataRole.UserRole + 1


class Words(TypedDict):
    """What the product owner typed, by the name both UpdateText and the service take."""

    headline: str
    progress: str
    problems: str
    schedule_outlook: str
    next_steps: str


def _swatch(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class NewStatusUpdateDialog(QDialog):
    """Write a status update of a product for the period since the last one.

    The figures (done, in progress, blocked, scope, questions, sprint, outlook) come from the
    data and are read-only; they are computed again and frozen into the update on Save.
    ``today`` fixes the day the figures are computed for (tests); None is today in UTC.
    """

    def __init__(
        self,
        ctx: AppContext,
        product: ProductInfo,
        parent: QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.product = product
        self.today = today
        self.saved_update: StatusUpdateInfo | None = None
        self.setWindowTitle(f"New status update — {product.name}")
        self.resize(1180, 760)

        draft = ctx.read(build_draft_report, product.id, today=today)
        self.figures = draft.figures
        self.period = (self.figures.period_start, self.figures.period_end)

        # Left: what the data says.
        period_label = QLabel(
            f"Period {day(self.period[0])} to {day(self.period[1])}"
            f" — {self._period_origin()}; figures as of {day(self.figures.as_of)}"
        )
        period_label.setTextFormat(Qt.TextFormat.PlainText)
        period_label.setWordWrap(True)
        self.figures_view = FiguresView()
        self.figures_view.setAccessibleName("Figures")
        self.figures_view.show_figures(self.figures)
        self.preview = ReportBrowser()
        self.preview.setAccessibleName("Draft report preview")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.figures_view, "&Figures")
        self.tabs.addTab(self.preview, "Pre&view")
        self.tabs.currentChanged.connect(self._tab_changed)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(period_label)
        left_layout.addWidget(self.tabs, 1)

        # Right: what the product owner says.
        self.health_group = QButtonGroup(self)
        health_row = QHBoxLayout()
        for health in HEALTHS:
            button = QRadioButton(health_label(health))
            button.setObjectName(f"health_{health}")
            button.setProperty("health", health)
            button.setIcon(_swatch(HEALTH_COLORS[health]))
            self.health_group.addButton(button)
            health_row.addWidget(button)
        health_row.addStretch(1)
        self.health_group.buttonToggled.connect(self._update_save)
        self.headline_edit = QLineEdit()
        self.headline_edit.setMaxLength(500)
        self.headline_edit.setPlaceholderText("The one line a busy reader remembers")
        self.progress_edit = self._text_edit("What was achieved, in the readers' terms")
        self.problems_edit = self._text_edit("What slows the project, and what would help")
        self.problems_edit.setPlainText(self._blocked_summary())
        self.outlook_edit = self._text_edit(self._outlook_hint())
        self.outlook_edit.setPlainText(self._expected_delay())
        self.next_steps_edit = self._text_edit("What happens next, and who decides what")
        self.recipients_list = QListWidget()
        self.recipients_list.setAccessibleName("Recipients")
        self._fill_recipients(ctx.read(list_stakeholders))

        form = QFormLayout()
        form.addRow("Health", health_row)
        form.addRow("Head&line", self.headline_edit)
        form.addRow("&Progress", self.progress_edit)
        form.addRow("Pro&blems", self.problems_edit)
        form.addRow("&Schedule\noutlook", self.outlook_edit)
        form.addRow("&Next steps", self.next_steps_edit)
        form.addRow("&Recipients", self.recipients_list)
        right = QWidget()
        right.setLayout(form)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([620, 560])

        self.buttons = ok_cancel(self, SAVE)
        self.save_hint = QLabel("Choose the health to save.")
        bottom = QHBoxLayout()
        bottom.addWidget(self.save_hint)
        bottom.addWidget(self.buttons, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self._update_save()
        self.headline_edit.setFocus()

    # --- building ------------------------------------------------------------------------------

    def _text_edit(self, placeholder: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(60)
        return edit

    def _period_origin(self) -> str:
        updates = self.ctx.read(list_status_updates, self.product.id)
        if not updates:
            return "no update yet, so the last 14 days"
        return f"since the last update ({day(updates[0].created_at.date())})"

    def _outlook_hint(self) -> str:
        finish = self.figures.forecast.finish_85
        hint = "Your reading of the schedule, e.g. an expected delay"
        if finish is not None:
            hint += f" (the figures: done by {day(finish)}, 85% likely)"
        return hint

    def _expected_delay(self) -> str:
        """Bad news early: a sentence on the delay when the forecast misses the target."""
        forecast = self.figures.forecast
        if forecast.delay_days is None or forecast.delay_days <= 0:
            return ""
        return (
            f"Expected delay: about {plural(forecast.delay_days, 'day')}. At the recent pace the "
            f"remaining work should be done by {day(forecast.finish_85)} (85% likely), against "
            f"the target date {day(forecast.target)}."
        )

    def _blocked_summary(self) -> str:
        return "\n".join(
            f"{item.key} {item.title}: {item.blocked_reason}" for item in self.figures.blocked.items
        )

    def _fill_recipients(self, people: list[StakeholderInfo]) -> None:
        for person in people:
            about = ", ".join(part for part in (person.role, person.organization) if part)
            address = f"<{person.email}>" if person.email else "(no e-mail address)"
            text = f"{person.name} — {about}" if about else person.name
            entry = QListWidgetItem(f"{text}  {address}")
            entry.setData(Qt.ItemDataRole.UserRole, person.id)
            entry.setData(NAME_ROLE, person.name)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            follows = self.product.id in person.product_ids
            entry.setCheckState(Qt.CheckState.Checked if follows else Qt.CheckState.Unchecked)
            self.recipients_list.addItem(entry)
        if not people:
            placeholder = QListWidgetItem("No stakeholders yet (add them on Stakeholders)")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recipients_list.addItem(placeholder)

    # --- state ---------------------------------------------------------------------------------

    def health(self) -> str | None:
        """The health chosen (on_track, at_risk, off_track), or None yet."""
        button = self.health_group.checkedButton()
        return str(button.property("health")) if button else None

    def set_health(self, health: str) -> None:
        """Choose a health, as clicking its radio button."""
        for button in self.health_group.buttons():
            if button.property("health") == health:
                button.setChecked(True)

    def _checked_recipients(self) -> list[QListWidgetItem]:
        entries = (self.recipients_list.item(r) for r in range(self.recipients_list.count()))
        return [
            entry
            for entry in entries
            if entry.data(Qt.ItemDataRole.UserRole) is not None
            and entry.checkState() == Qt.CheckState.Checked
        ]

    def recipient_ids(self) -> tuple[int, ...]:
        """The ids of the stakeholders checked as recipients."""
        return tuple(int(e.data(Qt.ItemDataRole.UserRole)) for e in self._checked_recipients())

    def texts(self) -> Words:
        """The product owner's words: headline and the four narrative fields."""
        return Words(
            headline=self.headline_edit.text().strip(),
            progress=self.progress_edit.toPlainText().strip(),
            problems=self.problems_edit.toPlainText().strip(),
            schedule_outlook=self.outlook_edit.toPlainText().strip(),
            next_steps=self.next_steps_edit.toPlainText().strip(),
        )

    def _update_save(self) -> None:
        chosen = self.health() is not None
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(chosen)
        self.save_hint.setVisible(not chosen)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.preview:
            self.refresh_preview()

    def refresh_preview(self) -> None:
        """Render the draft (today's figures and the words so far) into the preview tab."""
        text = UpdateText(
            health=self.health() or "unknown",
            recipients=tuple(str(e.data(NAME_ROLE)) for e in self._checked_recipients()),
            **self.texts(),
        )
        try:
            draft = self.ctx.read(
                build_draft_report, self.product.id, text, today=self.today, charts=True
            )
        except KanbanError as error:
            self.preview.setPlainText(str(error))
            return
        self.preview.show_report(draft)

    # --- saving --------------------------------------------------------------------------------

    def accept(self) -> None:
        health = self.health()
        if health is None:
            return
        start, end = self.period
        try:
            self.saved_update = self.ctx.write(
                create_status_update,
                self.product.id,
                health=health,
                period_start=start,
                period_end=end,
                recipient_ids=self.recipient_ids(),
                as_of=self.today,
                **self.texts(),
            )
        except KanbanError as error:
            show_error(self, error, "Cannot save the status update")
            return
        self.ctx.events.status_changed.emit(self.product.id)
        super().accept()
