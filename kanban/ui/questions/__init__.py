"""The Questions screen."""
