"""The Portfolio screen: every product on one row."""
