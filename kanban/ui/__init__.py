"""The Qt user interface: it calls kanban.services and never touches storage itself."""
