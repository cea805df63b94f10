"""Paints a board card: key, title, points, labels, assignee, blocked marker, age, questions,
and the refinement markers (not Ready, criteria checked off, comments, blocked by)."""

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
    QPointF,
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
    QStaticText,
    QTextLayout,
    QTransform,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from kanban.domain import plural
from kanban.services.records import Card
from kanban.ui.board.model import CARD_ROLE
from kanban.ui.theme import KIND_COLORS

BLOCKED_COLOR = QColor("#d32f2f")
BLOCKED_TEXT_DARK = QColor("#fca5a5")
NOT_READY_COLOR = QColor("#d97706")
DONE_COLOR = QColor("#15803d")
DONE_DARK = QColor("#4ade80")
QUESTION_COLOR = QColor("#f9a825")
QUESTION_TEXT = QColor("#3e2700")
WHITE = QColor("white")
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
ELIDE = Qt.TextElideMode.ElideRight
OUTER_X, OUTER_Y = 6, 4  # space around a card inside its row (rows touch: no dead drop zones)
PAD_X, PAD_Y = 12, 8
RADIUS = 6.0
MAX_CHIPS = 3
CARD_HINT_WIDTH = 160  # a card's size hint; the view widens every card to its own width
FRAME_MARGIN = 2  # room around a card's frame for the outer half of a selected card's border
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
    not_ready: QRect | None = None
    checklist: QRect | None = None
    comments: QRect | None = None
    blocked_by: QRect | None = None


class _Colors:
    """The colours of cards for one palette (light or dark), worked out once."""

    def __init__(self, palette: QPalette) -> None:
        self.dark = is_dark(palette)
        self.base = palette.color(QPalette.ColorRole.Base)
        self.text = palette.color(QPalette.ColorRole.Text)
        self.highlight = palette.color(QPalette.ColorRole.Highlight)
        mid = palette.color(QPalette.ColorRole.Mid)
        self.muted = blend(self.text, self.base, 0.42)
        self.selected_fill = blend(self.base, self.highlight, 0.14)
        self.blocked_fill = blend(self.base, BLOCKED_COLOR, 0.07)
        self.blocked_pill = blend(self.base, BLOCKED_COLOR, 0.16 if self.dark else 0.12)
        self.done = DONE_DARK if self.dark else DONE_COLOR
        self.border = blend(mid, self.base, 0.25 if self.dark else 0.1)
        self.border_hover = blend(mid, self.text, 0.35)
        self.pill = blend(self.base, self.text, 0.1)
        self.more = blend(self.base, self.text, 0.08)
        self._chips: dict[str, tuple[QColor, QColor]] = {}
        self._avatars: dict[str, tuple[QColor, QColor]] = {}

    def chip(self, label: str) -> tuple[QColor, QColor]:
        """Background and text colour of a label chip."""
        if label not in self._chips:
            background = name_color(label, self.dark)
            self._chips[label] = (background, blend(self.text, background, 0.15))
        return self._chips[label]

    def avatar(self, name: str) -> tuple[QColor, QColor]:
        """Background and text colour of a person's initials."""
        if name not in self._avatars:
            background = name_color(name, self.dark, lightness=105)
            text = QColor("#1a1a1a") if _luminance(background) > 0.45 else WHITE
            self._avatars[name] = (background, text)
        return self._avatars[name]


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
        self.avatar = QFont(self.badge)
        self.avatar.setPointSizeF(max(6.0, self.badge.pointSizeF() - 1))
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
        self._palettes: dict[int, _Colors] = {}
        self._paths: dict[tuple[int, int], QPainterPath] = {}
        self._statics: dict[tuple[str, int], QStaticText] = {}
        self._frames: dict[tuple[object, ...], QPixmap] = {}  # see _frame
        # Drawn cards by (id of the card, size, state, ...): (the card, its pixmap), least
        # recently used first.
        self._pixmaps: dict[tuple[object, ...], tuple[Card, QPixmap]] = {}
        self._last_font: tuple[QFont, str] | None = None  # a font and its key()

    def fonts(self, font: QFont) -> _Fonts:
        """Card fonts for a view font (cached)."""
        key = font.key()
        if key not in self._fonts:
            self._fonts[key] = _Fonts(font)
        return self._fonts[key]

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(CARD_HINT_WIDTH, self.fonts(option.font).height)

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
        # Refinement on the key line: criteria checked off and comments (right), not Ready (left).
        comments_rect = checklist_rect = None
        if card.comments:
            width = fonts.key_h + 3 + fonts.small_fm.horizontalAdvance(str(card.comments))
            comments_rect = QRect(key_right - width + 1, top, width, fonts.key_h)
            key_right = comments_rect.left() - 8
        if card.checklist_total:
            text = f"{card.checklist_done}/{card.checklist_total}"
            width = fonts.key_h + 3 + fonts.small_fm.horizontalAdvance(text)
            checklist_rect = QRect(key_right - width + 1, top, width, fonts.key_h)
            key_right = checklist_rect.left() - 8
        key_left = inner.left()
        not_ready = None
        if card.ready is False:
            size = fonts.key_h - 4
            not_ready = QRect(key_left, top + 2, size, size)
            key_left = not_ready.right() + 6
        key = QRect(key_left, top, key_right - key_left, fonts.key_h)
        title = QRect(inner.left(), key.bottom() + 5, inner.width(), fonts.line_h * 2)
        meta = QRect(inner.left(), inner.bottom() - fonts.meta_h + 1, inner.width(), fonts.meta_h)
        out = CardLayout(box, key, points, title, meta)
        out.not_ready, out.checklist, out.comments = not_ready, checklist_rect, comments_rect

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
        if card.blocked_by:
            text = _blocked_by_text(card.blocked_by)
            width = fonts.key_h + 2 + fonts.badge_fm.horizontalAdvance(text) + 10
            out.blocked_by = QRect(
                right - width + 1, middle - fonts.key_h // 2 - 1, width, fonts.key_h + 2
            )
            right = out.blocked_by.left() - 6
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
        # repaints every visible card: draw each one once into a pixmap and reuse it. The key
        # holds the card's id() (hashing the whole record took longer than the blit) and the
        # entry the card itself, so a hit is the same record, never a reused id.
        size = option.rect.size()
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        device = painter.device()
        ratio = device.devicePixelRatioF() if device else 1.0
        key = (
            id(card), size.width(), size.height(), selected, hovered, ratio,
            option.palette.cacheKey(), self._font_key(option.font), days_since(card.column_since),
        )  # fmt: skip
        entry = self._pixmaps.pop(key, None)
        if entry is None or entry[0] is not card:
            pixmap = QPixmap(size * ratio)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            target = QPainter(pixmap)
            self.draw(target, QRect(QPoint(0, 0), size), option, card, selected, hovered)
            target.end()
            while len(self._pixmaps) >= PIXMAP_CACHE_SIZE:
                del self._pixmaps[next(iter(self._pixmaps))]  # the least recently used
            entry = (card, pixmap)
        self._pixmaps[key] = entry
        painter.drawPixmap(option.rect.topLeft(), entry[1])

    def _font_key(self, font: QFont) -> str:
        # QFont.key() builds its string anew each time (~30 µs); the view's font rarely changes.
        if self._last_font is None or self._last_font[0] != font:
            self._last_font = (QFont(font), font.key())
        return self._last_font[1]

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
        colors = self._colors(option.palette)
        geo = self.layout(rect, card, fonts)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected:
            fill, border, width = colors.selected_fill, colors.highlight, 2.0
        else:
            fill = colors.blocked_fill if _blocked(card) else colors.base
            border, width = (colors.border_hover if hovered else colors.border), 1.0
        # The stripe on the left edge: the item's kind, or red when it is blocked.
        stripe = BLOCKED_COLOR if _blocked(card) else KIND_COLORS.get(card.kind, colors.muted)
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        frame = self._frame(geo.card.size(), fill, stripe, border, width, ratio)
        painter.drawPixmap(geo.card.topLeft() - QPoint(FRAME_MARGIN, FRAME_MARGIN), frame)

        painter.setFont(fonts.key)
        painter.setPen(colors.muted)
        kind = "" if card.kind == "story" else f"  ·  {card.kind}"
        key_text = fonts.small_fm.elidedText(card.key + kind, ELIDE, geo.key.width())
        painter.drawText(geo.key, LEFT, key_text)
        if geo.points is not None:
            points = _points_text(card.points)
            self._pill(painter, geo.points, points, colors.pill, colors.text, fonts.badge)

        painter.setFont(fonts.title)
        painter.setPen(colors.text)
        self._title(painter, geo.title, card.title, fonts)

        for chip_rect, label, overflow in geo.chips:
            if overflow:
                self._pill(painter, chip_rect, label, colors.more, colors.muted, fonts.small)
            else:
                background, foreground = colors.chip(label)
                self._pill(painter, chip_rect, label, background, foreground, fonts.small)
        if geo.questions is not None:
            text = f"? {card.open_questions}"
            self._pill(painter, geo.questions, text, QUESTION_COLOR, QUESTION_TEXT, fonts.badge)
        if geo.blocked is not None:
            self._blocked_sign(painter, geo.blocked)
        self._refinement(painter, geo, card, colors, fonts)
        if geo.days is not None:
            painter.setPen(colors.muted)
            self._text(painter, geo.days, f"{days_since(card.column_since)}d", fonts.small, 1.0)
        if geo.avatar is not None and card.assignee:
            background, foreground = colors.avatar(card.assignee)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(background)
            painter.drawEllipse(QRectF(geo.avatar))
            painter.setPen(foreground)
            self._text(painter, geo.avatar, initials(card.assignee), fonts.avatar)
        painter.restore()

    def _colors(self, palette: QPalette) -> _Colors:
        key = palette.cacheKey()
        if key not in self._palettes:
            self._palettes[key] = _Colors(palette)
        return self._palettes[key]

    def _frame(
        self, size: QSize, fill: QColor, stripe: QColor, border: QColor, width: float, ratio: float
    ) -> QPixmap:
        """A card's rounded panel, its stripe and its border: the same few for every card, and
        stroking the border alone took 0.3 ms of the 0.8 a new card took to draw."""
        key = (size.width(), size.height(), fill.rgba(), stripe.rgba(), border.rgba(), width, ratio)
        frame = self._frames.get(key)
        if frame is None:
            if len(self._frames) > 64:
                self._frames.clear()
            margin = QSize(FRAME_MARGIN, FRAME_MARGIN)
            frame = QPixmap((size + margin * 2) * ratio)
            frame.setDevicePixelRatio(ratio)
            frame.fill(Qt.GlobalColor.transparent)
            painter = QPainter(frame)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.translate(FRAME_MARGIN, FRAME_MARGIN)
            path = self._card_path(size)
            painter.fillPath(path, fill)
            painter.setClipPath(path)
            painter.fillRect(QRectF(0, 0, 4.5, size.height()), stripe)
            painter.setClipping(False)
            painter.strokePath(path, QPen(border, width))
            painter.end()
            self._frames[key] = frame
        return frame

    def _card_path(self, size: QSize) -> QPainterPath:
        key = (size.width(), size.height())
        if key not in self._paths:
            path = QPainterPath()
            path.addRoundedRect(
                QRectF(0.5, 0.5, size.width() - 1, size.height() - 1), RADIUS, RADIUS
            )
            self._paths[key] = path
        return self._paths[key]

    def _title(self, painter: QPainter, rect: QRect, title: str, fonts: _Fonts) -> None:
        layout = QTextLayout(title, fonts.title)
        layout.beginLayout()
        first = layout.createLine()
        first.setLineWidth(rect.width())
        rest = title[first.textLength() :].strip() if first.isValid() else ""
        layout.endLayout()
        line = QRect(rect.left(), rect.top(), rect.width(), fonts.line_h)
        painter.drawText(
            line, LEFT, title[: first.textLength()].rstrip() if first.isValid() else title
        )
        if rest:
            line.translate(0, fonts.line_h)
            painter.drawText(line, LEFT, fonts.title_fm.elidedText(rest, ELIDE, rect.width()))

    def _static(self, text: str, font: QFont) -> QStaticText:
        """Short texts repeat from card to card (labels, points, ages): shape each once."""
        key = (text, id(font))  # the fonts of a _Fonts, kept as long as the delegate
        static = self._statics.get(key)
        if static is None:
            if len(self._statics) > 2000:
                self._statics.clear()
            static = QStaticText(text)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(QTransform(), font)
            self._statics[key] = static
        return static

    def _text(
        self, painter: QPainter, rect: QRect, text: str, font: QFont, align: float = 0.5
    ) -> None:
        """Draw a short text in ``rect``, centred vertically; ``align`` 0.5 centres it
        horizontally, 1.0 puts it against the right edge."""
        static = self._static(text, font)
        size = static.size()
        painter.setFont(font)
        x = rect.left() + (rect.width() - size.width()) * align
        y = rect.top() + (rect.height() - size.height()) / 2
        painter.drawStaticText(QPointF(x, y), static)

    def _pill(
        self,
        painter: QPainter,
        rect: QRect,
        text: str,
        fill: QColor,
        color: QColor,
        font: QFont,
    ) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        radius = rect.height() / 2
        painter.drawRoundedRect(QRectF(rect), radius, radius)
        painter.setPen(color)
        self._text(painter, rect, text, font)

    def _refinement(
        self, painter: QPainter, geo: CardLayout, card: Card, colors: _Colors, fonts: _Fonts
    ) -> None:
        """The refinement markers: not Ready, criteria checked off, comments, blocked by."""
        if geo.not_ready is not None:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(NOT_READY_COLOR, 2.0))
            painter.drawEllipse(QRectF(geo.not_ready).adjusted(1, 1, -1, -1))
        if geo.checklist is not None:
            box = QRectF(geo.checklist.left(), geo.checklist.top() + 2, fonts.key_h - 4,
                         fonts.key_h - 4)  # fmt: skip
            complete = card.checklist_done == card.checklist_total
            color = colors.done if complete else colors.muted
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(color, 1.4))
            painter.drawRoundedRect(box, 2, 2)
            tick = QPainterPath(QPointF(box.left() + box.width() * 0.22, box.center().y()))
            tick.lineTo(box.left() + box.width() * 0.43, box.bottom() - box.height() * 0.25)
            tick.lineTo(box.right() - box.width() * 0.2, box.top() + box.height() * 0.25)
            painter.drawPath(tick)
            text_rect = geo.checklist.adjusted(fonts.key_h - 1, 0, 0, 0)
            painter.setPen(color)
            self._text(painter, text_rect, f"{card.checklist_done}/{card.checklist_total}",
                       fonts.small, 0.0)  # fmt: skip
        if geo.comments is not None:
            bubble = QRectF(geo.comments.left(), geo.comments.top() + 2, fonts.key_h - 3,
                            fonts.key_h - 6)  # fmt: skip
            painter.setPen(QPen(colors.muted, 1.4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            path = QPainterPath()
            path.addRoundedRect(bubble, 3, 3)
            tail = QPainterPath(QPointF(bubble.left() + 3, bubble.bottom()))
            tail.lineTo(bubble.left() + 2, bubble.bottom() + 3.5)
            tail.lineTo(bubble.left() + 7, bubble.bottom())
            painter.drawPath(path.united(tail))
            painter.setPen(colors.muted)
            text_rect = geo.comments.adjusted(fonts.key_h, 0, 0, 0)
            self._text(painter, text_rect, str(card.comments), fonts.small, 0.0)
        if geo.blocked_by is not None:
            rect = geo.blocked_by
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colors.blocked_pill)
            radius = rect.height() / 2
            painter.drawRoundedRect(QRectF(rect), radius, radius)
            size = fonts.key_h - 4
            sign = QRect(rect.left() + 4, rect.center().y() - size // 2, size, size)
            self._blocked_sign(painter, sign)
            painter.setPen(BLOCKED_COLOR if not colors.dark else BLOCKED_TEXT_DARK)
            self._text(painter, rect.adjusted(size + 8, 0, -5, 0),
                       _blocked_by_text(card.blocked_by), fonts.badge, 0.0)  # fmt: skip

    def _blocked_sign(self, painter: QPainter, rect: QRect) -> None:
        # A "no entry" sign drawn from shapes: no font or emoji needed.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(BLOCKED_COLOR)
        painter.drawEllipse(QRectF(rect))
        bar = QRectF(rect).adjusted(
            rect.width() * 0.22, rect.height() * 0.41, -rect.width() * 0.22, -rect.height() * 0.41
        )
        painter.fillRect(bar, WHITE)

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
        if geo.blocked_by is not None and geo.blocked_by.contains(pos):
            verb = "which is" if len(card.blocked_by) == 1 else "which are"
            return _escaped(f"Blocked by {', '.join(card.blocked_by)}, {verb} not done")
        if geo.not_ready is not None and geo.not_ready.adjusted(-3, -3, 3, 3).contains(pos):
            return _escaped("Not ready: " + " ".join(card.not_ready_because))
        if geo.checklist is not None and geo.checklist.contains(pos):
            return _escaped(
                f"{card.checklist_done} of {card.checklist_total} acceptance criteria checked off"
            )
        if geo.comments is not None and geo.comments.contains(pos):
            return _escaped(plural(card.comments, "comment"))
        if geo.days is not None and geo.days.contains(pos):
            return _escaped(f"{days_since(card.column_since)} days in this column")
        return ""


def _blocked(card: Card) -> bool:
    return bool(card.blocked_reason or card.blocked_by)


def _blocked_by_text(keys: tuple[str, ...]) -> str:
    """``WEB-36``, or ``WEB-36 +2`` for several blockers."""
    return keys[0] if len(keys) == 1 else f"{keys[0]} +{len(keys) - 1}"


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
