"""Scoring on screen: the item editor's inputs, the backlog's scores, the value/effort matrix."""
