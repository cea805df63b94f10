"""Charts of a product's flow (Qt Charts), built from plain metric records and drawn on
screen, into PNG or SVG bytes, or onto a PDF page.

Between the reports and the services in the layers: data comes in as records, so nothing
here reads the database, and nothing imports the UI. Every chart is a
:class:`~kanban.charts.base.KanbanChart` in a light or dark :mod:`~kanban.charts.palette`.
"""
