"""The Backlog screen."""
