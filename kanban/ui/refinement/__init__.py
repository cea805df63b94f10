"""Backlog refinement: checklists, comments, links, Definitions of Ready and Done."""
