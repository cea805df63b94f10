"""The Status screen."""
