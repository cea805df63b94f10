"""Undoable user intents: one QUndoCommand per intent, holding ids and plain values."""
