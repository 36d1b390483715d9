"""The sync: from X API pages to members and activities in the workspace."""
