"""Paints a board card: key, title, points, labels, assignee, blocked marker, age, questions."""

from __future__ import annotations

import datetime as dt
import html
import zlib
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from kanban.services.records import Card
from kanban.ui.board.model import CARD_ROLE

KIND_COLORS = {
    "story": QColor("#43a047"),
    "bug": QColor("#e53935"),
    "task": QColor("#1e88e5"),
    "spike": QColor("#8e24aa"),
    "epic": QColor("#fb8c00"),
}
BLOCKED_COLOR = QColor("#d32f2f")
QUESTION_COLOR = QColor("#f9a825")
OUTER_X, OUTER_Y = 6, 4  # space around a card inside its row (rows touch: no dead drop zones)
PAD_X, PAD_Y = 12, 8
RADIUS = 6.0
MAX_CHIPS = 3
PIXMAP_CACHE_SIZE = 32  # drawn cards kept per column view: its visible ones and some more


def blend(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def is_dark(palette: QPalette) -> bool:
    """True for a dark colour scheme (light text on a dark base)."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def name_color(name: str, dark: bool, lightness: int | None = None) -> QColor:
    """A stable colour for a name (label chips, avatars) that reads on the palette."""
    hue = zlib.crc32(name.encode()) % 360
    return QColor.fromHsl(hue, 150, lightness if lightness is not None else (70 if dark else 228))


def initials(name: str) -> str:
    """``"Ada Lovelace"`` -> ``"AL"``."""
    parts = name.split()
    return "".join(p[0] for p in parts[:2]).upper() if parts else "?"


def days_since(moment: dt.datetime, now: dt.datetime | None = None) -> int:
    """Whole days from a naive UTC moment until now."""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return max(0, (now - moment).days)


@dataclass
class CardLayout:
    """Where each part of a card goes, for painting and for tooltips."""

    card: QRect
    key: QRect
    points: QRect | None
    title: QRect
    meta: QRect
    avatar: QRect | None = None
    days: QRect | None = None
    blocked: QRect | None = None
    questions: QRect | None = None
    chips: list[tuple[QRect, str, bool]] = field(default_factory=list)  # rect, text, overflow


class _Fonts:
    """The fonts and line heights of a card, derived from the view's font."""

    def __init__(self, base: QFont) -> None:
        self.title = QFont(base)
        self.small = QFont(base)
        self.small.setPointSizeF(max(7.0, base.pointSizeF() - 1))
        self.key = QFont(self.small)
        self.key.setBold(True)
        self.badge = QFont(self.small)
        self.badge.setBold(True)
        self.title_fm = QFontMetrics(self.title)
        self.small_fm = QFontMetrics(self.small)
        self.badge_fm = QFontMetrics(self.badge)
        self.key_h = self.small_fm.height()
        self.line_h = self.title_fm.lineSpacing()
        self.meta_h = max(20, self.small_fm.height() + 6)
        self.height = OUTER_Y * 2 + PAD_Y * 2 + self.key_h + 4 + self.line_h * 2 + 6 + self.meta_h


class CardDelegate(QStyledItemDelegate):
    """Draws one card per row; every card has the same height (uniform item sizes)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fonts: dict[str, _Fonts] = {}
        self._pixmaps: dict[tuple[object, ...], QPixmap] = {}  # insertion order = LRU order

    def fonts(self, font: QFont) -> _Fonts:
        """Card fonts for a view font (cached)."""
        key = font.key()
        if key not in self._fonts:
            self._fonts[key] = _Fonts(font)
        return self._fonts[key]

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(160, self.fonts(option.font).height)

    def layout(self, rect: QRect, card: Card, fonts: _Fonts) -> CardLayout:
        """Lay a card out in its row's rectangle."""
        box = rect.adjusted(OUTER_X, OUTER_Y, -OUTER_X, -OUTER_Y)
        inner = box.adjusted(PAD_X, PAD_Y, -PAD_X + 2, -PAD_Y)
        top = inner.top()
        points = None
        key_right = inner.right()
        if card.points is not None:
            text = _points_text(card.points)
            width = max(fonts.key_h + 4, fonts.badge_fm.horizontalAdvance(text) + 12)
            points = QRect(inner.right() - width + 1, top - 1, width, fonts.key_h + 2)
            key_right = points.left() - 6
        key = QRect(inner.left(), top, key_right - inner.left(), fonts.key_h)
        title = QRect(inner.left(), key.bottom() + 5, inner.width(), fonts.line_h * 2)
        meta = QRect(inner.left(), inner.bottom() - fonts.meta_h + 1, inner.width(), fonts.meta_h)
        out = CardLayout(box, key, points, title, meta)

        right = meta.right()
        middle = meta.center().y()
        icon = fonts.meta_h - 2
        if card.assignee:
            out.avatar = QRect(right - icon + 1, middle - icon // 2, icon, icon)
            right = out.avatar.left() - 6
        days = f"{days_since(card.column_since)}d"
        width = fonts.small_fm.horizontalAdvance(days)
        out.days = QRect(right - width + 1, meta.top(), width, meta.height())
        right = out.days.left() - 6
        if card.blocked_reason:
            size = fonts.key_h
            out.blocked = QRect(right - size + 1, middle - size // 2, size, size)
            right = out.blocked.left() - 6
        if card.open_questions:
            text = f"? {card.open_questions}"
            width = fonts.badge_fm.horizontalAdvance(text) + 10
            out.questions = QRect(
                right - width + 1, middle - fonts.key_h // 2 - 1, width, fonts.key_h + 2
            )
            right = out.questions.left() - 6

        left = meta.left()
        shown = card.labels[:MAX_CHIPS]
        for number, label in enumerate(shown):
            more = len(card.labels) - len(shown)
            last = number == len(shown) - 1
            room = (
                right
                - left
                - (fonts.small_fm.horizontalAdvance(f"+{more}") + 8 if last and more else 0)
            )
            text = fonts.small_fm.elidedText(label, Qt.TextElideMode.ElideRight, max(0, room - 12))
            width = fonts.small_fm.horizontalAdvance(text) + 12
            if width > room or not text or text == "…":
                break
            out.chips.append(
                (QRect(left, middle - fonts.key_h // 2 - 1, width, fonts.key_h + 2), text, False)
            )
            left += width + 4
        hidden = len(card.labels) - len(out.chips)
        if hidden and card.labels:
            text = f"+{hidden}"
            width = fonts.small_fm.horizontalAdvance(text) + 8
            if left + width <= right:
                out.chips.append(
                    (QRect(left, middle - fonts.key_h // 2 - 1, width, fonts.key_h + 2), text, True)
                )
        return out

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        card = index.data(CARD_ROLE)
        if not isinstance(card, Card):
            return
        # A card takes about 0.7 ms to draw (text shaping, mostly), and a move or a scroll
        # repaints every visible card: draw each one once into a pixmap and reuse it.
        size = option.rect.size()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        key = (
            card, size.width(), size.height(), selected, hovered, ratio,
            option.palette.cacheKey(), option.font.key(), days_since(card.column_since),
        )  # fmt: skip
        pixmap = self._pixmaps.pop(key, None)
        if pixmap is None:
            pixmap = QPixmap(size * ratio)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            target = QPainter(pixmap)
            self.draw(target, QRect(QPoint(0, 0), size), option, card, selected, hovered)
            target.end()
            while len(self._pixmaps) >= PIXMAP_CACHE_SIZE:
                del self._pixmaps[next(iter(self._pixmaps))]  # the least recently used
        self._pixmaps[key] = pixmap
        painter.drawPixmap(option.rect.topLeft(), pixmap)

    def draw(
        self,
        painter: QPainter,
        rect: QRect,
        option: QStyleOptionViewItem,
        card: Card,
        selected: bool = False,
        hovered: bool = False,
    ) -> None:
        """Draw a card into ``rect`` with the option's palette and font."""
        fonts = self.fonts(option.font)
        palette = option.palette
        dark = is_dark(palette)
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        muted = blend(text, base, 0.42)
        geo = self.layout(rect, card, fonts)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(geo.card).adjusted(0.5, 0.5, -0.5, -0.5)
        path = QPainterPath()
        path.addRoundedRect(box, RADIUS, RADIUS)
        fill = blend(base, highlight, 0.14) if selected else base
        if card.blocked_reason and not selected:
            fill = blend(base, BLOCKED_COLOR, 0.07)
        painter.fillPath(path, fill)
        if selected:
            border, width = highlight, 2.0
        elif hovered:
            border, width = blend(palette.color(QPalette.ColorRole.Mid), text, 0.35), 1.0
        else:
            border, width = (
                blend(palette.color(QPalette.ColorRole.Mid), base, 0.25 if dark else 0.1),
                1.0,
            )
        painter.setPen(QPen(border, width))
        painter.drawPath(path)

        # The stripe on the left edge: the item's kind, or red when it is blocked.
        stripe = BLOCKED_COLOR if card.blocked_reason else KIND_COLORS.get(card.kind, muted)
        painter.save()
        painter.setClipPath(path)
        painter.fillRect(QRectF(box.left(), box.top(), 4, box.height()), stripe)
        painter.restore()

        painter.setFont(fonts.key)
        painter.setPen(muted)
        kind = "" if card.kind == "story" else f"  ·  {card.kind}"
        painter.drawText(
            geo.key,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fonts.small_fm.elidedText(
                card.key + kind, Qt.TextElideMode.ElideRight, geo.key.width()
            ),
        )
        if geo.points is not None:
            self._pill(
                painter, geo.points, _points_text(card.points), blend(base, text, 0.1), text, fonts
            )

        painter.setFont(fonts.title)
        painter.setPen(text)
        self._title(painter, geo.title, card.title, fonts)

        painter.setFont(fonts.small)
        for rect, label, overflow in geo.chips:
            if overflow:
                self._pill(painter, rect, label, blend(base, text, 0.08), muted, fonts, bold=False)
                continue
            chip = name_color(label, dark)
            self._pill(painter, rect, label, chip, blend(text, chip, 0.15), fonts, bold=False)
        if geo.questions is not None:
            self._pill(
                painter,
                geo.questions,
                f"? {card.open_questions}",
                QUESTION_COLOR,
                QColor("#3e2700"),
                fonts,
            )
        if geo.blocked is not None:
            self._blocked_sign(painter, geo.blocked)
        if geo.days is not None:
            painter.setFont(fonts.small)
            painter.setPen(muted)
            painter.drawText(
                geo.days,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{days_since(card.column_since)}d",
            )
        if geo.avatar is not None and card.assignee:
            self._avatar(painter, geo.avatar, card.assignee, fonts, dark)
        painter.restore()

    def _title(self, painter: QPainter, rect: QRect, title: str, fonts: _Fonts) -> None:
        layout = QTextLayout(title, fonts.title)
        layout.beginLayout()
        first = layout.createLine()
        first.setLineWidth(rect.width())
        rest = title[first.textLength() :].strip() if first.isValid() else ""
        layout.endLayout()
        painter.drawText(
            QRect(rect.left(), rect.top(), rect.width(), fonts.line_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title[: first.textLength()].rstrip() if first.isValid() else title,
        )
        if rest:
            second = fonts.title_fm.elidedText(rest, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(
                QRect(rect.left(), rect.top() + fonts.line_h, rect.width(), fonts.line_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                second,
            )

    def _pill(
        self,
        painter: QPainter,
        rect: QRect,
        text: str,
        fill: QColor,
        color: QColor,
        fonts: _Fonts,
        bold: bool = True,
    ) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        radius = rect.height() / 2
        painter.drawRoundedRect(QRectF(rect), radius, radius)
        painter.setFont(fonts.badge if bold else fonts.small)
        painter.setPen(color)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _blocked_sign(self, painter: QPainter, rect: QRect) -> None:
        # A "no entry" sign drawn from shapes: no font or emoji needed.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BLOCKED_COLOR)
        painter.drawEllipse(QRectF(rect))
        bar = QRectF(rect).adjusted(
            rect.width() * 0.22, rect.height() * 0.41, -rect.width() * 0.22, -rect.height() * 0.41
        )
        painter.fillRect(bar, QColor("white"))

    def _avatar(self, painter: QPainter, rect: QRect, name: str, fonts: _Fonts, dark: bool) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        fill = name_color(name, dark, lightness=105)
        painter.setBrush(fill)
        painter.drawEllipse(QRectF(rect))
        font = QFont(fonts.badge)
        font.setPointSizeF(max(6.0, fonts.badge.pointSizeF() - 1))
        painter.setFont(font)
        painter.setPen(QColor("#1a1a1a") if _luminance(fill) > 0.45 else QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, initials(name))

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        card = index.data(CARD_ROLE)
        if event.type() == QEvent.Type.ToolTip and isinstance(card, Card):
            tip = self.tooltip_at(event.pos(), option, card)
            if tip:
                QToolTip.showText(event.globalPos(), tip, view)
                return True
        return super().helpEvent(event, view, option, index)

    def tooltip_at(self, pos: QPoint, option: QStyleOptionViewItem, card: Card) -> str:
        """The tooltip of the card part under ``pos`` (e.g. the blocked reason); "" for none."""
        geo = self.layout(option.rect, card, self.fonts(option.font))
        if geo.blocked is not None and geo.blocked.adjusted(-3, -3, 3, 3).contains(pos):
            return _escaped(f"Blocked: {card.blocked_reason}")
        if geo.avatar is not None and geo.avatar.contains(pos):
            return _escaped(f"Assigned to {card.assignee}")
        if geo.questions is not None and geo.questions.contains(pos):
            noun = "question" if card.open_questions == 1 else "questions"
            return _escaped(f"{card.open_questions} open {noun} about this card")
        if geo.days is not None and geo.days.contains(pos):
            return _escaped(f"{days_since(card.column_since)} days in this column")
        return ""


def _points_text(points: float | None) -> str:
    if points is None:
        return ""
    return str(int(points)) if float(points).is_integer() else f"{points:g}"


def _luminance(color: QColor) -> float:
    """Relative luminance (0 black .. 1 white), to pick readable text on a colour."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def _escaped(text: str) -> str:
    return "<qt>" + html.escape(text) + "</qt>"
