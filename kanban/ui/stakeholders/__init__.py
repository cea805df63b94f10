"""The Stakeholders screen."""
