"""The floor every app stands on: audit trail, fixture syncing, spreadsheet reading, numbers, text,
roles, the calendar and the access decorator. It imports no app of the portal (see
docs/architecture.md); every app may import it."""
