"""Releases in the app: the menu that assigns items, the roadmap."""
