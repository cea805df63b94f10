"""The Jinja2 environment of the report templates (``resources/templates``)."""

from __future__ import annotations

import functools

import jinja2
from markupsafe import Markup, escape

from kanban.reports import text
from kanban.resources_path import resource


def _load(name: str) -> str:
    template = resource("templates", name)
    if not template.is_file():
        raise jinja2.TemplateNotFound(name)
    return template.read_text(encoding="utf-8")


def _lines(value: str) -> Markup:
    """Plain text with its line breaks kept: every line escaped, joined by <br>."""
    return Markup("<br>").join(escape(line) for line in value.splitlines())


@functools.cache
def environment() -> jinja2.Environment:
    """Jinja2 with autoescape on for every template: user text always arrives escaped."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_load),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        points=text.points,
        points_phrase=text.points_phrase,
        day=text.day,
        lines=_lines,
        health_label=text.HEALTH_LABELS.__getitem__,
        health_colour=text.HEALTH_COLOURS.__getitem__,
    )
    env.globals.update(
        plural=text.plural,
        forecast_sentence=text.forecast_sentence,
        forecast_check=text.forecast_check,
        finish=text.finish,
        percentile_dates=text.percentile_dates,
        history_rows=text.history_rows,
        history_header=text.HISTORY_HEADER,
    )
    return env
